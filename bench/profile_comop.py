"""Time the COMOP page's list callback in-process on the load database, tab by tab.

    .venv/bin/python bench/profile_comop.py \
        --database postgresql+psycopg://pilotage@127.0.0.1:5432/pilotage_load \
        [--repeat 3] [--profile attente_orientation]

Uses the database `bench/load.py` builds (`load.comop`'s territory, 200,000
people with `--size 200000`). Logs in as `load.comop` through a Flask test
client, then posts `comop-error.children` (the lists, the note and the
week-on-week table) as the browser does, for every list, without filter and
with a site, an organisme, a referent and a week, over two periods. Prints the
first answer (facts cached, memo of that period cold) and the median of
`--repeat` more, with the number of grid rows sent and the answer's size.
`--profile LIST` prints a pyinstrument profile of that list's first answers
(pyinstrument installed by hand; not a dependency of the project).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_data import LOAD_PASSWORD, load_login  # noqa: E402

from dashboard import create_app  # noqa: E402
from dashboard.config import Settings  # noqa: E402
from layouts import ids  # noqa: E402
from metrics.operational_lists import LISTS  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PERIODS = ("", "?periode=2024-T3")


def _log_in(client) -> None:
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post(
        "/login",
        data={"login": load_login("comop"), "password": LOAD_PASSWORD, "csrf_token": token},
    )
    if response.status_code not in (302, 303):
        raise SystemExit(f"login failed: {response.status_code}")


def _show_list(client) -> dict:
    for dependency in client.get("/_dash-dependencies").get_json():
        if dependency["output"].startswith(f"..{ids.COMOP_ERROR}.children"):
            return dependency
    raise SystemExit("no COMOP list callback")


def _body(dependency: dict, search: str) -> dict:
    outputs = [
        dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
        for part in dependency["output"].strip(".").split("...")
    ]
    values = {(ids.URL, "search"): search}
    return {
        "output": dependency["output"],
        "outputs": outputs,
        "inputs": [
            {
                "id": s["id"],
                "property": s["property"],
                "value": values.get((s["id"], s["property"])),
            }
            for s in dependency["inputs"]
        ],
        "changedPropIds": [f"{ids.URL}.search"],
    }


def _post(client, dependency: dict, search: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    response = client.post("/_dash-update-component", json=_body(dependency, search))
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{search}: HTTP {response.status_code}")
    answer = response.get_json()["response"]
    error = answer[ids.COMOP_ERROR]["children"]
    if error:
        raise SystemExit(f"{search}: {error}")
    return elapsed, len(answer[ids.COMOP_GRID]["rowData"]), len(response.get_data())


def _filters(client, dependency: dict) -> dict[str, str]:
    """One site, organisme, referent and week the territory has (from its controls)."""
    from dashboard.comop_queries import territory_referents, territory_sites
    from dashboard.state import open_session

    with client.application.app_context(), open_session() as db:
        from dashboard.models import Territory

        territory = db.query(Territory).filter(Territory.code == "35-CHARGE").one()
        site = territory_sites(db, territory.id)[0].site_id
        referent = territory_referents(db, territory.id)[3].referent_id
    return {
        "": "",
        "site": f"site={site}",
        "organisme": "organisme=CD",
        "referent": f"referent={referent}",
        "semaine": "semaine=2024-W30",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", choices=list(LISTS))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="profile-comop-"))
    settings = Settings(
        instance_dir=folder,
        database_url=args.database,
        secret_key=uuid.uuid4().hex,
        pseudonym_key=uuid.uuid4().hex,
        testing=True,
    )
    app = create_app(settings)
    client = app.server.test_client()
    _log_in(client)
    client.get("/comop")
    dependency = _show_list(client)
    filters = _filters(client, dependency)
    _post(client, dependency, "")  # the facts are read once per process
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
    print(f"{'period':<18} {'list':<26} {'filter':<10} {'first ms':>9} {'warm ms':>8} "
          f"{'rows':>6} {'KiB':>6}")  # fmt: skip
    firsts, warms = [], []
    for period in PERIODS:
        for code in LISTS:
            for name, extra in filters.items():
                parts = [p for p in (period.lstrip("?"), f"liste={code}", extra) if p]
                search = "?" + "&".join(parts)
                profiling = profiler is not None and code == args.profile
                if profiling:
                    profiler.start()
                first, rows, size = _post(client, dependency, search)
                if profiling:
                    profiler.stop()
                warm = [_post(client, dependency, search)[0] for _ in range(args.repeat)]
                firsts.append(first)
                warms.extend(warm)
                print(f"{period or '(défaut)':<18} {code:<26} {name or '-':<10} {first:>9.0f} "
                      f"{statistics.median(warm):>8.0f} {rows:>6} {size / 1024:>6.0f}")  # fmt: skip
    firsts.sort()
    print(f"first answers: median {statistics.median(firsts):.0f} ms, "
          f"max {firsts[-1]:.0f} ms, total {sum(firsts) / 1000:.1f} s; "
          f"warm median {statistics.median(warms):.0f} ms")  # fmt: skip
    if profiler is not None:
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
