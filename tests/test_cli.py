"""`pilotage` commands end to end on a real database, French one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select

from dashboard.models import Territory, User


@pytest.fixture
def run_cli(cli):
    return cli


def test_init_db_is_idempotent(run_cli):
    assert run_cli("init-db")[:2] == (0, "Base à jour.\n")


def test_territory_add_and_list(run_cli, db_session):
    code, out, _ = run_cli(
        "territory",
        "add",
        "35-redon",
        "--name",
        "Pays de Redon",
        "--departement",
        "35",
        "--pilot-start",
        "2023-01-01",
    )
    assert (code, out) == (0, "Territoire 35-REDON (Pays de Redon) créé.\n")
    territory = db_session.scalar(select(Territory).where(Territory.code == "35-REDON"))
    assert territory.parent.code == "FR" and territory.pilot_start.isoformat() == "2023-01-01"
    code, out, _ = run_cli("territory", "list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["35-REDON", "FR"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["territory", "add", "redon!", "--name", "R", "--departement", "35"],
            "Code de territoire invalide",
        ),
        (
            ["territory", "add", "35-R", "--name", "R", "--departement", "99"],
            "Code de département invalide",
        ),
        (
            ["territory", "add", "35-R", "--departement", "35"],
            "Paramètre obligatoire manquant : --name.",
        ),
        (
            [
                "territory",
                "add",
                "35-R",
                "--name",
                "R",
                "--departement",
                "35",
                "--pilot-start",
                "1/2",
            ],
            "date attendue au format AAAA-MM-JJ",
        ),
        (
            ["territory", "add", "35-R", "--name", "R", "--departement", "35", "--parent", "99-X"],
            "Territoire inconnu : 99-X",
        ),
        (["territory", "remove"], "Commande inconnue : remove."),
        (["frobnicate"], "Commande inconnue : frobnicate."),
        (["init-db", "--force"], "Option inconnue : --force."),
        (
            ["create-user", "bob", "--role", "chef", "--territory", "FR"],
            "Valeur invalide pour --role : choisissez parmi national, copil, comop, projet, admin.",
        ),
        (
            [
                "create-user",
                "bob",
                "--role",
                "admin",
                "--territory",
                "99-NOWHERE",
                "--password-stdin",
            ],
            "Territoire inconnu : 99-NOWHERE",
        ),
        (["demo", "--size", "10"], "Valeur invalide pour --size : un nombre entier au moins 50"),
        (["serve", "--port", "http"], "Valeur invalide pour --port"),
    ],
)
def test_bad_arguments_exit_2_with_one_french_line(run_cli, args, message):
    code, out, err = run_cli(*args, stdin="un-mot-de-passe-long\n")
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("Erreur : ") and message in err


def test_create_user_reads_password_from_stdin_and_hashes_it(run_cli, db_session):
    run_cli("territory", "add", "35-REDON", "--name", "Redon", "--departement", "35")
    code, out, err = run_cli(
        "create-user",
        "Claire.M",
        "--role",
        "comop",
        "--territory",
        "35-REDON",
        "--password-stdin",
        stdin="un-mot-de-passe-long\n",
    )
    assert code == 0, err
    user = db_session.scalar(select(User).where(User.login == "claire.m"))
    assert user.role == "comop" and user.password_hash.startswith("$argon2id$")
    assert "un-mot-de-passe-long" not in user.password_hash


def test_create_user_refuses_short_password_and_duplicates(run_cli, db_session):
    run_cli("territory", "add", "35-REDON", "--name", "Redon", "--departement", "35")
    code, _, err = run_cli(
        "create-user",
        "claire",
        "--role",
        "comop",
        "--territory",
        "35-REDON",
        "--password-stdin",
        stdin="court\n",
    )
    assert code == 2 and "au moins 12 caractères" in err
    args = (
        "create-user",
        "claire",
        "--role",
        "comop",
        "--territory",
        "35-REDON",
        "--password-stdin",
    )
    assert run_cli(*args, stdin="un-mot-de-passe-long\n")[0] == 0
    code, _, err = run_cli(*args, stdin="un-mot-de-passe-long\n")
    assert code == 2 and "déjà utilisé" in err
    assert db_session.scalar(select(func.count()).select_from(User)) == 1


def test_national_role_needs_the_national_level(run_cli):
    run_cli("territory", "add", "35-REDON", "--name", "Redon", "--departement", "35")
    code, _, err = run_cli(
        "create-user",
        "nat",
        "--role",
        "national",
        "--territory",
        "35-REDON",
        "--password-stdin",
        stdin="un-mot-de-passe-long\n",
    )
    assert code == 2 and "niveau national" in err


def test_help_and_module_entry_point_work():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for command in ("init-db", "territory", "create-user", "demo", "serve"):
        assert command in result.stdout
