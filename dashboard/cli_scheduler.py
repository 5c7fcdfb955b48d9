"""`pilotage scheduler`: the scheduled jobs in a process of their own (one per database).

SIGTERM (systemd, docker stop) and SIGINT (Ctrl+C) ask for a clean stop: a
running job gets `--stop-timeout` seconds to finish, then the process exits 0;
past it, it exits 1 at once (see `_abandon_running_jobs`).
"""

from __future__ import annotations

import sys

import click

from dashboard.cli_common import open_db
from dashboard.config import load_settings


@click.command("scheduler", help="Exécute les tâches planifiées (un seul processus par base).")
@click.option(
    "--stop-timeout",
    type=click.IntRange(1, 3600),
    default=60,
    show_default=True,
    help="Secondes laissées à une tâche en cours pour finir à l'arrêt (SIGTERM, Ctrl+C).",
)
def scheduler_command(stop_timeout) -> None:
    import signal
    import threading

    from dashboard.scheduler import start_scheduler, stop_scheduler

    settings = load_settings()
    with open_db():
        pass  # migrate before the job store is opened
    # SIGTERM (systemd, docker stop) and SIGINT (Ctrl+C) both ask for a clean stop.
    # The main thread waits with a timeout so that it runs the handler promptly.
    stop, received = threading.Event(), []

    def ask_to_stop(signum, _frame) -> None:
        received.append(signal.Signals(signum).name)
        stop.set()

    handled = (signal.SIGTERM, signal.SIGINT)
    previous = {signum: signal.signal(signum, ask_to_stop) for signum in handled}
    try:
        scheduler = start_scheduler(settings)
        try:
            click.echo("Tâches planifiées : " + ", ".join(j.name for j in scheduler.get_jobs()))
            while not stop.wait(1.0):
                pass
            click.echo(f"Arrêt demandé ({received[0]}) : fin des tâches en cours…")
        finally:
            stopped = stop_scheduler(scheduler, wait_seconds=stop_timeout)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if not stopped:
        _abandon_running_jobs(stop_timeout)
    click.echo("Tâches planifiées arrêtées proprement.")


def _abandon_running_jobs(stop_timeout: int) -> None:
    """Exit at once: a job outlasted the stop timeout (its transaction is rolled back
    when the process ends; an import's claim is taken over later, see import_watch)."""
    import os

    click.echo(
        f"Arrêt forcé : une tâche n'a pas fini en {stop_timeout} s ; son travail en cours "
        "est annulé et sera repris.",
        err=True,
    )
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(1)  # the job's thread would keep a normal exit waiting
