"""`pilotage roadmap` on the sample feuille de route, statuses checked by hand, on SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from tests.helpers import write_csv

SAMPLE = Path(__file__).parent / "data" / "samples" / "feuille_de_route.csv"
IMPORT = ("--territory", "35-REDON", "--extracted-on", "2024-07-01")  # deadlines read in 2024
CODIAG = "Déployer le co-diagnostic CD/FT sur les 3 sites"
CHARTE = "Rédiger la charte des rendez-vous collectifs"
STOCK = "Convoquer 20 % du stock"
OFFRE = "Recenser l'offre d'activités"
RECRUTER = "Recruter 10 référents"
PMSMP = "Campagne PMSMP avec le club entreprises"
COMOP = "Tenir le COMOP mensuel"
CONVENTION = "Convention d'échange de données (L.263-4-1 CASF)"
ENVOI = "Premier envoi au tableau de bord national"
AXES = [
    "Entrée en parcours",
    "Accompagnement",
    "Mobilisation des entreprises",
    "Gouvernance partagée",
    "Numérique",
]


def sample_lines() -> list[list[str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def roadmap(run, *args: str) -> dict:
    code, payload, err = run("roadmap", "--territory", "35-REDON", "--format", "json", *args)
    assert code == 0, err
    return payload


def counts(**nonzero: int) -> dict[str, int]:
    codes = ("fait", "en_retard", "echeance_proche", "en_cours", "a_venir", "continu")
    return {code: 0 for code in (*codes, "a_preciser", "abandonne")} | nonzero


@pytest.fixture
def sample_loaded(redon_json_cli):
    code, _, err = redon_json_cli("import", "roadmap", str(SAMPLE), *IMPORT)
    assert code == 0, err
    return redon_json_cli


# The sample's dates (tests/test_roadmap_import.py, EXPECTED_2024): co-diagnostic due 31/03
# réalisé; charte 18/03-24/03 en cours; stock due 15/07 non démarré; offre 01/01-30/06 no
# progress; recruter 01/04-31/05 réalisé; PMSMP 01/04-30/06 en cours; COMOP permanent non
# démarré; convention due 10/06 no progress; premier envoi continuous, due 31/12, réalisé.
STATUSES = {
    # 30/06: offre and PMSMP are due today (not late); stock, due 15/07 = 30/06 + 15 days,
    # is outside the 14-day window, has no start and is "non démarré": à venir.
    "2024-06-30": {
        CODIAG: "fait",
        CHARTE: "en_retard",
        STOCK: "a_venir",
        OFFRE: "echeance_proche",
        RECRUTER: "fait",
        PMSMP: "echeance_proche",
        COMOP: "continu",
        CONVENTION: "en_retard",
        ENVOI: "fait",
    },
    # 01/07: offre and PMSMP are one day late; stock, due 15/07 = 01/07 + 14, is now soon.
    "2024-07-01": {
        CODIAG: "fait",
        CHARTE: "en_retard",
        STOCK: "echeance_proche",
        OFFRE: "en_retard",
        RECRUTER: "fait",
        PMSMP: "en_retard",
        COMOP: "continu",
        CONVENTION: "en_retard",
        ENVOI: "fait",
    },
}


@pytest.mark.parametrize(
    ("as_of", "overall"),
    [
        # 3 done, 2 late (charte, convention), 2 soon, 1 to come, 1 continuous:
        # 3/9 = 33.3 %, 2/9 = 22.2 %.
        (
            "2024-06-30",
            (counts(fait=3, en_retard=2, echeance_proche=2, a_venir=1, continu=1), 33.3, 22.2),
        ),
        # 3 done, 4 late (charte, offre, PMSMP, convention), 1 soon, 1 continuous:
        # 3/9 = 33.3 %, 4/9 = 44.4 %.
        ("2024-07-01", (counts(fait=3, en_retard=4, echeance_proche=1, continu=1), 33.3, 44.4)),
    ],
)
def test_sample_statuses_by_hand(sample_loaded, as_of, overall):
    payload = roadmap(sample_loaded, "--as-of", as_of)
    assert (payload["territory"], payload["as_of"]) == ("35-REDON", as_of)
    assert {a["action"]: a["status"] for a in payload["actions"]} == STATUSES[as_of]
    summary = payload["summary"]["overall"]
    expected_counts, share_done, share_late = overall
    assert summary == {
        "counts": expected_counts,
        "total": 9,
        "denominator": 9,
        "share_done": share_done,
        "share_late": share_late,
    }
    assert payload["summary"]["window_days"] == 14


def test_actions_in_the_files_order_and_summary_per_axis(sample_loaded):
    payload = roadmap(sample_loaded, "--as-of", "2024-07-01")
    # Axes in the order the file gives them; actions by file order within an axis.
    assert [a["action"] for a in payload["actions"]] == list(STATUSES["2024-07-01"])
    by_axis = {axis["axis"]: axis for axis in payload["summary"]["by_axis"]}
    assert list(by_axis) == AXES
    shares = {axis: (s["total"], s["share_done"], s["share_late"]) for axis, s in by_axis.items()}
    assert shares == {
        # co-diagnostic done, charte late, stock soon: 1/3 each.
        "Entrée en parcours": (3, 33.3, 33.3),
        # recruter done, offre late: 1/2 each.
        "Accompagnement": (2, 50.0, 50.0),
        # PMSMP late.
        "Mobilisation des entreprises": (1, 0.0, 100.0),
        # COMOP continuous: neither done nor late.
        "Gouvernance partagée": (1, 0.0, 0.0),
        # premier envoi done, convention late.
        "Numérique": (2, 50.0, 50.0),
    }
    charte = next(a for a in payload["actions"] if a["action"] == CHARTE)
    assert charte == {
        "axis": "Entrée en parcours",
        "target": "Orienter tous les nouveaux entrants en moins de 15 jours",
        "action": CHARTE,
        "owners": ["CD"],
        "deadline_text": "S12",
        "start": "2024-03-18",
        "due": "2024-03-24",
        "continuous": False,
        "milestones": ["2024-03-24"],
        "progress": "en_cours",
        "status": "en_retard",
        "status_label": "En retard",
    }


def test_status_filter_unclear_deadline_and_abandoned_action(redon_json_cli, tmp_path):
    lines = sample_lines()
    width = len(lines[0])
    extra = [
        ["Numérique", "Partager les données", "Ouvrir un espace de dépôt", "CD", "Au vote"],
        ["Numérique", "", "Lancer une application", "CD", "Fin janvier", "", "Abandonné"],
    ]
    lines += [row + [""] * (width - len(row)) for row in extra]
    code, _, err = redon_json_cli(
        "import", "roadmap", str(write_csv(tmp_path, "r.csv", lines)), *IMPORT
    )
    assert code == 0, err
    payload = roadmap(redon_json_cli, "--as-of", "2024-07-01", "--status", "A_PRECISER")
    # Only the action whose deadline could not be read; the summary still covers all 11.
    assert [(a["action"], a["due"], a["status"]) for a in payload["actions"]] == [
        ("Ouvrir un espace de dépôt", None, "a_preciser")
    ]
    overall = payload["summary"]["overall"]
    # 01/07 as above plus 1 à préciser and 1 abandoned (due 31/01, not counted late):
    # 11 actions, 10 without the abandoned one; 3/10 = 30.0 % done, 4/10 = 40.0 % late.
    assert overall["counts"] == counts(
        fait=3, en_retard=4, echeance_proche=1, continu=1, a_preciser=1, abandonne=1
    )
    assert (overall["total"], overall["denominator"]) == (11, 10)
    assert (overall["share_done"], overall["share_late"]) == (30.0, 40.0)
    late = roadmap(redon_json_cli, "--as-of", "2024-07-01", "--status", "en_retard")
    assert [a["action"] for a in late["actions"]] == [CHARTE, OFFRE, PMSMP, CONVENTION]


def test_csv_and_table_formats(sample_loaded):
    code, out, err = sample_loaded(
        "roadmap", "--territory", "35-REDON", "--as-of", "2024-07-01", "--format", "csv"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        "axis;target;action;owners;deadline_text;start;due;continuous;milestones;progress;"
        "status;status_label"
    )
    assert len(lines) == 1 + 9
    assert lines[3] == (
        "Entrée en parcours;Reprendre le stock;Convoquer 20 % du stock;CD, FT, MSA;Mi-juillet;;"
        "2024-07-15;non;2024-07-15;non_demarre;echeance_proche;Échéance proche"
    )
    code, out, err = sample_loaded("roadmap", "--territory", "35-redon", "--as-of", "2024-07-01")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["axe", "action", "échéance", "statut"]
    assert lines[3].split()[-3:] == ["15/07/2024", "Échéance", "proche"]
    assert lines[7].startswith("Gouvernance partagée") and lines[7].split()[-2:] == [
        "Permanent",
        "Continu",
    ]
    assert "Ensemble : 9 action(s) (fait 3, en retard 4, échéance proche 1, continu 1) ; " in out
    assert "réalisées 33.3 %, en retard 44.4 %" in out


def test_other_territory_and_default_date(sample_loaded):
    code, _, err = sample_loaded(
        "territory", "add", "44-NANTES", "--name", "N", "--departement", "44"
    )
    assert code == 0, err
    before = dt.date.today().isoformat()
    code, payload, err = sample_loaded("roadmap", "--territory", "44-NANTES", "--format", "json")
    assert code == 0, err
    # Redon's actions stay in Redon: an empty roadmap has no share (None, not 0).
    assert payload["actions"] == [] and payload["as_of"] in {before, dt.date.today().isoformat()}
    overall = payload["summary"]["overall"]
    assert (overall["total"], overall["share_done"], overall["share_late"]) == (0, None, None)
    assert payload["summary"]["by_axis"] == []
    code, out, _ = sample_loaded("roadmap", "--territory", "44-NANTES")
    assert code == 0 and "Aucune action." in out and "réalisées n.d., en retard n.d." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--territory", "99-NULLE"),
            "Erreur : Territoire inconnu : 99-NULLE. Voir « pilotage territory list ».",
        ),
        (
            ("--territory", "35-REDON", "--status", "late"),
            "Erreur : Statut inconnu : late. Statuts possibles : fait, en_retard, "
            "echeance_proche, en_cours, a_venir, continu, a_preciser, abandonne.",
        ),
        (
            ("--territory", "35-REDON", "--as-of", "2024-13-01"),
            "Erreur : Valeur invalide pour --as-of : date attendue au format AAAA-MM-JJ "
            "(reçu : '2024-13-01').",
        ),
    ],
)
def test_bad_arguments(redon_cli, args, message):
    code, out, err = redon_cli("roadmap", *args)
    assert (code, out, err.strip()) == (2, "", message)
