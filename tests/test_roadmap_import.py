"""The feuille de route connector: the 9 sample rows by hand, then `pilotage import roadmap`
end to end on SQLite and PostgreSQL (no-op re-import, newer file with history)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text

from connectors import roadmap
from connectors.profiles import match_headers
from connectors.rows import ParseContext, RowReader
from dashboard.models import ImportBatch, QuarantinedRow, RoadmapAction, RoadmapActionChange
from dashboard.models import RoadmapProgress as P
from tests.helpers import report_counts, write_csv

SAMPLE = Path(__file__).parent / "data" / "samples" / "feuille_de_route.csv"
ARGS = ("--territory", "35-REDON", "--extracted-on", "2024-07-01", "--format", "json")
D = dt.date
CHARTE, STOCK, OFFRE = (
    "Rédiger la charte des rendez-vous collectifs",
    "Convoquer 20 % du stock",
    "Recenser l'offre d'activités",
)


def sample_lines() -> list[list[str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def parse(lines: list[list[str]], year: int = 2024) -> list[tuple[object, RowReader]]:
    mapping = match_headers(lines[0], roadmap.PROFILE)
    results = []
    for number, cells in enumerate(lines[1:], start=2):
        row = {**dict(zip(lines[0], cells, strict=True)), "__row__": number}
        reader = RowReader(row, mapping, roadmap.PROFILE)
        results.append((roadmap.parse_row(reader, ParseContext("k", D(2024, 7, 1), year)), reader))
    return results


# Read by hand from the sample (year 2024): action, owners, start, due, continuous, progress.
# S12 = ISO week 12 of 2024 = Monday 18 to Sunday 24 March (1 January 2024 is a Monday);
# "Début juin" is the 10th and "Mi-juillet" the 15th (the deadline parser's convention);
# "Au fil de l'eau – fin décembre 2024" is continuous *and* due on 31/12/2024.
EXPECTED_2024 = [
    (
        "Déployer le co-diagnostic CD/FT sur les 3 sites",
        ("CD", "FT"),
        None,
        D(2024, 3, 31),
        False,
        P.REALISE,
    ),
    (CHARTE, ("CD",), D(2024, 3, 18), D(2024, 3, 24), False, P.EN_COURS),
    (STOCK, ("CD", "FT", "MSA"), None, D(2024, 7, 15), False, P.NON_DEMARRE),
    (OFFRE, ("FT",), D(2024, 1, 1), D(2024, 6, 30), False, None),
    ("Recruter 10 référents", ("CD",), D(2024, 4, 1), D(2024, 5, 31), False, P.REALISE),
    (
        "Campagne PMSMP avec le club entreprises",
        ("FT", "ETAT"),
        D(2024, 4, 1),
        D(2024, 6, 30),
        False,
        P.EN_COURS,
    ),
    ("Tenir le COMOP mensuel", ("CD", "FT", "ETAT"), None, None, True, P.NON_DEMARRE),
    (
        "Convention d'échange de données (L.263-4-1 CASF)",
        ("CD", "FT"),
        None,
        D(2024, 6, 10),
        False,
        None,
    ),
    ("Premier envoi au tableau de bord national", ("CD",), None, D(2024, 12, 31), True, P.REALISE),
]


def test_every_column_is_recognised():
    mapping = match_headers(sample_lines()[0], roadmap.PROFILE)
    assert mapping.unknown == () and len(mapping.columns) == 8


def test_the_nine_sample_rows_by_hand():
    records = [record for record, _ in parse(sample_lines())]
    got = [
        (r.action, r.owners, r.deadline.start, r.deadline.due, r.deadline.continuous, r.progress)
        for r in records
    ]
    assert got == EXPECTED_2024
    assert records[0].axis == "Entrée en parcours" and records[0].comment is None
    assert records[0].follow_up_indicator == "Part des entrants orientés en 15 jours"
    assert records[6].deadline.milestones == ()  # "Permanent": no date at all
    assert not any(record.deadline_unclear for record in records)
    assert roadmap.import_notes(records) == []


def test_roadmap_year_only_fills_deadlines_without_year():
    records = {r.action: r.deadline for r, _ in parse(sample_lines(), year=2025)}
    assert records["Déployer le co-diagnostic CD/FT sur les 3 sites"].due == D(2025, 3, 31)
    assert records[OFFRE].due == D(2024, 6, 30)  # "1er semestre 2024" names its year


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Réalisé", P.REALISE),
        ("fait", P.REALISE),
        ("Terminée", P.REALISE),
        ("100 %", P.REALISE),
        ("En cours", P.EN_COURS),
        ("Démarré", P.EN_COURS),
        ("40 %", P.EN_COURS),
        ("0,5%", P.EN_COURS),
        ("Non démarré", P.NON_DEMARRE),
        ("À faire", P.NON_DEMARRE),
        ("A venir", P.NON_DEMARRE),
        ("0 %", P.NON_DEMARRE),
        ("Abandonné", P.ABANDONNE),
        ("0.4", P.EN_COURS),  # an Excel cell formatted as a percentage (40 %)
        ("1", P.REALISE),  # the same cell at 100 %
    ],
)
def test_progress_synonyms(raw, expected):
    assert roadmap.parse_progress(raw) == expected


def _one_row(**cells: str) -> tuple[object, list[str]]:
    header = sample_lines()[0]
    lines = [header, [cells.get(column, "") for column in header]]
    record, reader = parse(lines)[0]
    return record, reader.reasons


def test_bad_rows_list_every_reason():
    record, reasons = _one_row(**{"Avancement": "Bientôt", "Commentaire": "x"})
    assert record is None
    assert reasons == [
        "Axe : valeur manquante",
        "Étape / action : valeur manquante",
        "Avancement : avancement inconnu : Bientôt",
    ]
    _, reasons = _one_row(Axe="A" * 201, **{"Étape / action": "B", "Avancement": "120 %"})
    assert reasons == [
        "Axe : texte trop long (201 caractères, 200 au plus)",
        "Avancement : avancement au-delà de 100 % : 120 %",
    ]
    _, reasons = _one_row(Axe="A", **{"Étape / action": "B", "Avancement": "50"})
    assert reasons == ["Avancement : avancement illisible : 50 (un pourcentage s'écrit « 50 % »)"]


def test_no_target_and_unclear_deadline_still_load():
    record, reasons = _one_row(
        Axe="Numérique", **{"Étape / action": "Ouvrir le dépôt", "Échéance estimée": "Au vote"}
    )
    assert reasons == [] and record.operational_target == ""
    assert record.deadline.text == "Au vote" and record.deadline_unclear
    assert (record.deadline.start, record.deadline.due, record.deadline.continuous) == (
        None,
        None,
        False,
    )
    assert roadmap.import_notes([record]) == [
        "ligne 2 : échéance à préciser (« Au vote ») : Ouvrir le dépôt"
    ]


def test_a_nir_typed_in_a_cell_is_removed_before_anything_else():
    record, _ = _one_row(
        Axe="A", **{"Étape / action": "B", "Commentaire": "voir 1 04 06 35 257 392 18 ; 1250000 €"}
    )
    assert record.comment == "voir (NIR retiré) ; 1250000 €" and record.nir_removed
    assert "257" not in str(record.raw_values)


# --- end to end through the CLI, on both backends -----------------------------------


@pytest.fixture
def run_cli(redon_json_cli):
    return redon_json_cli


def actions(db) -> dict[str, tuple]:
    rows = db.execute(
        select(
            RoadmapAction.action,
            RoadmapAction.owners,
            RoadmapAction.deadline_text,
            RoadmapAction.start_on,
            RoadmapAction.due_on,
            RoadmapAction.continuous,
            RoadmapAction.milestones,
            RoadmapAction.progress,
            RoadmapAction.comment,
        )
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def test_sample_import_then_same_file_again(run_cli, db_session):
    code, report, err = run_cli("import", "roadmap", str(SAMPLE), *ARGS)
    assert code == 0, err
    assert report_counts(report) == (9, 9, 0, 0, 0)  # 9 rows, all distinct actions, none rejected
    loaded = actions(db_session)
    for action, owners, start, due, continuous, progress in EXPECTED_2024:
        assert loaded[action][0] == list(owners)
        assert loaded[action][2:5] == (start, due, continuous)
        assert loaded[action][6] == progress
    assert loaded[STOCK][5] == ["2024-07-15"]  # milestones as ISO text
    code, report, _ = run_cli("import", "roadmap", str(SAMPLE), *ARGS)
    assert code == 0 and report["status"] == "unchanged"
    db_session.expire_all()
    assert actions(db_session) == loaded
    assert db_session.scalar(select(func.count()).select_from(RoadmapActionChange)) == 0


@pytest.mark.parametrize(("year", "due"), [("2024", D(2024, 3, 31)), ("2025", D(2025, 3, 31))])
def test_year_option_dates_deadlines_without_year(run_cli, db_session, year, due):
    code, _, err = run_cli("import", "roadmap", str(SAMPLE), *ARGS, "--year", year)
    assert code == 0, err
    query = select(RoadmapAction.due_on).where(RoadmapAction.deadline_text == "Fin mars")
    assert db_session.scalar(query) == due


def test_excel_roadmap_with_date_and_percentage_cells(run_cli, db_session, tmp_path):
    lines: list[list[object]] = [list(row) for row in sample_lines()]
    lines[1][4] = dt.datetime(2024, 3, 31)  # a real date cell instead of "Fin mars"
    lines[2][6] = 0.4  # "En cours" typed as 40 % in a percentage-formatted cell
    lines[3][4] = "- Fin mars\n- Fin juin"  # two deadlines in one cell, one per line
    book = Workbook()
    for line in lines:
        book.active.append(line)
    book.active["G3"].number_format = "0%"
    book.save(tmp_path / "feuille_de_route.xlsx")
    code, report, err = run_cli("import", "roadmap", str(tmp_path / "feuille_de_route.xlsx"), *ARGS)
    assert code == 0 and report_counts(report) == (9, 9, 0, 0, 0), err
    loaded = actions(db_session)
    first = loaded["Déployer le co-diagnostic CD/FT sur les 3 sites"]
    assert first[1:5] == ("2024-03-31", None, D(2024, 3, 31), False)
    assert loaded[CHARTE][6] == P.EN_COURS
    # The latest line is the due date; both are milestones.
    assert loaded[STOCK][3:6] == (D(2024, 6, 30), False, ["2024-03-31", "2024-06-30"])


def _newer(lines: list[list[str]]) -> list[list[str]]:
    """Charte done; stock pushed to end of September with a comment; CD joins the
    activities census; one new action whose deadline nobody can date yet."""
    header, rows = lines[0], [list(row) for row in lines[1:]]
    by_action = {row[2]: row for row in rows}
    by_action[CHARTE][6] = "Réalisé"
    by_action[STOCK][4], by_action[STOCK][7] = "Fin septembre", "Décalé après l'été"
    by_action[OFFRE][3] = "FT, CD"
    new = [
        "Numérique",
        "Partager les données",
        "Ouvrir un espace de dépôt",
        "CD",
        "Au vote du budget",
    ]
    return [header, *rows, [*new, "", "", ""]]


def test_newer_file_updates_and_records_history(run_cli, db_session, tmp_path):
    run_cli("import", "roadmap", str(SAMPLE), *ARGS)
    newer = write_csv(tmp_path, "feuille_de_route_v2.csv", _newer(sample_lines()))
    code, report, err = run_cli("import", "roadmap", str(newer), *ARGS)
    assert code == 0, err
    # 10 rows: 1 new action; 3 changed (charte, stock, offre); 9 - 3 = 6 unchanged.
    assert report_counts(report) == (10, 1, 3, 6, 0)
    assert db_session.scalar(select(func.count()).select_from(RoadmapAction)) == 10
    history = db_session.execute(
        select(RoadmapAction.action, RoadmapActionChange.field)
        .add_columns(RoadmapActionChange.before, RoadmapActionChange.after)
        .add_columns(RoadmapActionChange.user_id)
        .join(RoadmapAction)
        .order_by(RoadmapActionChange.id)
    ).all()
    # One row per changed tracked field; the owners change of OFFRE leaves no history.
    assert history == [
        (CHARTE, "progress", "en_cours", "realise", None),
        (STOCK, "comment", None, "Décalé après l'été", None),
        (STOCK, "deadline_text", "Mi-juillet", "Fin septembre", None),
        (STOCK, "due_on", "2024-07-15", "2024-09-30", None),
    ]
    loaded = actions(db_session)
    assert loaded[OFFRE][0] == ["FT", "CD"]
    # Not understood: kept as written, no date, not continuous ("échéance à préciser").
    assert loaded["Ouvrir un espace de dépôt"][1:5] == ("Au vote du budget", None, None, False)
    # ... and the report says so, in JSON and to a person.
    assert [note for note in report["notes"] if "échéance à préciser" in note] == [
        "ligne 11 : échéance à préciser (« Au vote du budget ») : Ouvrir un espace de dépôt"
    ]


DUPLICATE = (
    "action en double dans le fichier (même axe, cible opérationnelle et action qu'à "
    "la ligne 2) : seule la première est importée"
)


def test_bad_and_duplicate_rows_go_to_quarantine(run_cli, db_session, tmp_path):
    lines = sample_lines()
    lines += [
        ["Numérique", "Partager les données", "", "CD", "", "", "", ""],  # line 11: no action
        ["Numérique", "", "Former les référents", "CD", "", "", "Bientôt", ""],  # line 12
        list(lines[1]),  # line 13: same axis, target and action as line 2
    ]
    code, report, err = run_cli(
        "import", "roadmap", str(write_csv(tmp_path, "r.csv", lines)), *ARGS
    )
    assert code == 0, err
    assert report_counts(report) == (12, 9, 0, 0, 3)  # the 9 sample actions load, 3 rows rejected
    rejected = db_session.execute(
        select(QuarantinedRow.row_number, QuarantinedRow.reasons).order_by(
            QuarantinedRow.row_number
        )
    ).all()
    assert rejected == [
        (11, ["Étape / action : valeur manquante"]),
        (12, ["Avancement : avancement inconnu : Bientôt"]),
        (13, [DUPLICATE]),
    ]


def test_missing_action_column_writes_nothing(run_cli, db_session, tmp_path):
    lines = [row[:2] + row[3:] for row in sample_lines()]
    code, report, _ = run_cli("import", "roadmap", str(write_csv(tmp_path, "r.csv", lines)), *ARGS)
    assert code == 1 and "Colonne obligatoire absente : « Étape / action »" in report["message"]
    assert db_session.scalar(select(func.count()).select_from(RoadmapAction)) == 0
    assert db_session.scalar(select(ImportBatch.status)) == "failed"


def test_no_name_or_nir_reaches_the_database(run_cli, engine, tmp_path):
    lines = sample_lines()
    lines[1][7] = "Cas signalé : NIR 1040635257392 18"  # the SOLIS sample's first person
    lines.append(["Numérique", "", "", "", "", "", "", "NIR 2 85 12 35 868 199 74"])  # rejected
    run_cli("import", "roadmap", str(write_csv(tmp_path, "r.csv", lines)), *ARGS)
    dump = []
    with engine.connect() as connection:
        for table in ("roadmap_action", "roadmap_action_change", "quarantined_row", "import_batch"):
            dump += [str(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]
    blob = "\n".join(dump).replace(" ", "")
    assert blob.count("(NIRretir") == 2  # JSON may escape the "é"
    for secret in ("1040635257392", "2851235868199", "LeGoff", "Martin", "6626571"):
        assert secret not in blob, secret
