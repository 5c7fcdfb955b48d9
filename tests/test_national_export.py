"""The national export: its schema file, its CSV rules, both volets, API and CLI alike."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard import create_app
from dashboard.export_schema import DEFAULT_SCHEMA, SchemaError, load_schema
from dashboard.models import AuditLog, Beneficiary, Role, Territory
from dashboard.national_export import format_cell, neutralise, write_csv
from tests.api_support import Cast, add_user, assert_error, make_cast, token_for

SAMPLES = Path(__file__).parent / "data" / "samples"
SOLIS = SAMPLES / "solis_beneficiaires.csv"
EXPORT = "/api/v1/exports/national.csv"
HEADER = (
    "territoire_code;territoire_libelle;periode;indicateur_code;indicateur_libelle;valeur;"
    "numerateur;denominateur;unite;cible;statut;secret_statistique"
)


def parse(content: bytes, separator: str = ";") -> list[dict[str, str]]:
    """The file as a spreadsheet reads it: BOM first, then CSV rows."""
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=separator))


# --- cells and the CSV writer (no database) --------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x.example";"clic")', '\'=HYPERLINK("http://x.example";"clic")'),
        ("+1", "'+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("x;=1", "x;=1"),  # not a formula: it starts with x (the writer quotes the ;)
        ('"=1"', '"=1"'),  # starts with a quote: text for a spreadsheet
        ("CDAS Redon", "CDAS Redon"),
    ],
)
def test_text_cells_that_look_like_formulas_are_neutralised(text, written):
    assert neutralise(text) == written


def test_numbers_are_written_by_us_and_never_neutralised():
    schema = load_schema()
    columns = {column.name: column for column in schema.volets["indicateurs"].columns}
    # A negative or signed number stays a number: only text columns are neutralised.
    assert format_cell(columns["valeur"], -1.5) == "-1.5"
    assert format_cell(columns["valeur"], 76.5) == "76.5"
    assert format_cell(columns["valeur"], 12) == "12"
    assert format_cell(columns["numerateur"], 13) == "13"
    assert format_cell(columns["secret_statistique"], True) == "1"
    assert format_cell(columns["valeur"], None) == ""
    assert format_cell(columns["territoire_libelle"], "-1+1") == "'-1+1"


def test_the_csv_is_utf8_with_bom_crlf_and_parses_back():
    columns = load_schema().volets["indicateurs"].columns_for(breakdown=False)
    rows = [
        {
            "territory_code": "35-REDON",
            "territory_name": "x;=1",
            "value": -2.5,
            "suppressed": False,
        },
        {
            "territory_code": "35-REDON",
            "territory_name": '"=1"',
            "numerator": 7,
            "suppressed": True,
        },
    ]
    for separator in (";", ","):
        content = write_csv(columns, rows, separator)
        assert content.count(b"\r\n") == 3 and content.endswith(b"\r\n")
        parsed = parse(content, separator)
        assert [row["territoire_libelle"] for row in parsed] == ["x;=1", '"=1"']
        assert [row["valeur"] for row in parsed] == ["-2.5", ""]
        assert [row["secret_statistique"] for row in parsed] == ["0", "1"]
    assert content.decode("utf-8-sig").splitlines()[0] == HEADER.replace(";", ",")


# --- the schema file --------------------------------------------------------------------


def test_the_shipped_schema_declares_the_issue_columns():
    schema = load_schema()
    names = [column.name for column in schema.volets["indicateurs"].columns_for(False)]
    assert ";".join(names) == HEADER
    parcours = [column.name for column in schema.volets["parcours"].columns]
    assert parcours[:3] == ["territoire_code", "periode", "identifiant_pseudonyme"]


BROKEN = [
    ('source = "territory_code"', 'source = "territoire"', "colonne territoire_code : source"),
    ('format = "month"', 'format = "date"', "colonne periode : format 'date' impossible"),
    (
        'name = "valeur"',
        'name = "periode"',
        "colonne periode : ce nom de colonne apparaît deux fois",
    ),
    ('"taux_sortie_rsa",', '"taux_inexistant",', "indicateur(s) inconnu(s) : taux_inexistant"),
    ('name = "unite"', 'name = "Unité"', "name doit être en minuscules"),
    (
        "[volets.parcours]",
        "[volets.autre]",
        "il faut exactement les volets indicateurs et parcours",
    ),
    ("specification = ", "specification = = ", "illisible"),
    ('format = "boolean"', 'format = "boolean"\ncouleur = "rouge"', "clé inconnue « couleur »"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_an_invalid_schema_is_refused_with_a_clear_message(tmp_path, old, new, message):
    text = DEFAULT_SCHEMA.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "schema.toml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        load_schema(broken)
    assert message in str(caught.value) and "schema.toml" in str(caught.value)


# --- through the API and the CLI, on the SOLIS sample -----------------------------------


@pytest.fixture
def sample(db_session, cli):
    cast = make_cast(db_session)
    code, _, err = cli(
        "import", "solis", str(SOLIS), "--territory", "35-REDON", "--extracted-on", "2024-07-01"
    )
    assert code == 0, err
    return cast


def test_changing_the_schema_file_changes_the_export_without_code(tmp_path, cli, sample):
    # Rename "valeur", move "periode" first and drop "territoire_libelle", in a copy.
    text = DEFAULT_SCHEMA.read_text(encoding="utf-8")
    periode = text.index('[[volets.indicateurs.columns]]\nname = "periode"')
    block_end = text.index("[[volets.indicateurs.columns]]", periode + 10)
    block = text[periode:block_end]
    text = text[:periode] + text[block_end:]
    first = text.index("[[volets.indicateurs.columns]]")
    text = text[:first] + block + text[first:]
    libelle = text.index('[[volets.indicateurs.columns]]\nname = "territoire_libelle"')
    text = text[:libelle] + text[text.index("[[volets.indicateurs.columns]]", libelle + 10) :]
    text = text.replace('name = "valeur"', 'name = "valeur_mesuree"')
    custom = tmp_path / "national_2026.toml"
    custom.write_text(text, encoding="utf-8")

    out = tmp_path / "export.csv"
    args = ("export-national", "--territory", "35-REDON", "--period", "2024-03", "--out", str(out))
    assert cli(*args)[0] == 0
    default = parse(out.read_bytes())
    assert cli(*args, "--schema", str(custom))[0] == 0
    changed = parse(out.read_bytes())
    assert list(changed[0]) == [
        "periode", "territoire_code", "indicateur_code", "indicateur_libelle", "valeur_mesuree",
        "numerateur", "denominateur", "unite", "cible", "statut", "secret_statistique",
    ]  # fmt: skip
    assert [row["valeur_mesuree"] for row in changed] == [row["valeur"] for row in default]
    # A broken copy is refused by the CLI with the loader's message (exit 2).
    custom.write_text(text.replace('format = "month"', 'format = "date"'), encoding="utf-8")
    code, _, err = cli(*args, "--schema", str(custom))
    assert code == 2 and "colonne periode : format 'date' impossible" in err


def test_the_parcours_volet_lists_the_month_entrants_by_hand(client, db_session, sample):
    response = client.get(
        f"{EXPORT}?period=2024-03&volet=parcours", headers=sample.bearer("redon.admin")
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="national_35-REDON_2024-03_parcours.csv"'
    )
    rows = parse(response.data)
    # The sample's people subject to droits et devoirs (O) whose rights opened in March 2024
    # (SOLIS: entry = rights opening): 9762170 (02/03, T0 07/03, Social, 1st accompaniment
    # 03/04), 4007994 (06/03, 08/03, Socio-professionnel, 25/04), 4509764 (10/03, 19/03,
    # Social), 2235053 (14/03, 16/03, not oriented), 7669718 (19/03, 28/03, not oriented),
    # 5182563 (30/03, 31/03, Emploi), 5136591 (30/03, 02/04, Emploi, 06/05). 9324402
    # (13/02) entered in February.
    fields = (
        "date_ouverture_droits", "date_notification_departement", "date_entree_dispositif",
        "type_parcours", "dates_rdv_accompagnement",
    )  # fmt: skip
    got = sorted(tuple(row[name] for name in fields) for row in rows)
    assert got == sorted(
        [
            ("2024-03-02", "2024-03-07", "2024-03-02", "social", "2024-04-03"),
            ("2024-03-06", "2024-03-08", "2024-03-06", "socio-professionnel", "2024-04-25"),
            ("2024-03-10", "2024-03-19", "2024-03-10", "social", ""),
            ("2024-03-14", "2024-03-16", "2024-03-14", "", ""),
            ("2024-03-19", "2024-03-28", "2024-03-19", "", ""),
            ("2024-03-30", "2024-03-31", "2024-03-30", "professionnel", ""),
            ("2024-03-30", "2024-04-02", "2024-03-30", "professionnel", "2024-05-06"),
        ]
    )
    # In entry order; fields no source gives are empty, never invented.
    assert [row["date_entree_dispositif"] for row in rows] == sorted(
        row["date_entree_dispositif"] for row in rows
    )
    assert (
        {row["freins_identifies"] for row in rows} == {row["prestations"] for row in rows} == {""}
    )
    pseudonyms = set(
        db_session.scalars(
            select(Beneficiary.pseudonym)
            .join(Territory, Beneficiary.territory_id == Territory.id)
            .where(Territory.code == "35-REDON")
        )
    )
    assert {row["identifiant_pseudonyme"] for row in rows} <= pseudonyms
    assert "1040635257392" not in response.get_data(as_text=True)  # no NIR, ever
    # The download is in the audit log with its row count.
    details = db_session.scalars(select(AuditLog.details).where(AuditLog.action == "api")).all()
    assert [(d["volet"], d["rows"], d["status"]) for d in details] == [("parcours", 7, 200)]


@pytest.mark.parametrize("login", ["redon.copil", "redon.comop", "redon.projet", "nation"])
def test_only_admins_get_person_level_rows(client, sample, login):
    response = client.get(
        f"{EXPORT}?period=2024-03&volet=parcours&territory=35-REDON", headers=sample.bearer(login)
    )
    assert_error(response, 403, "role_insuffisant")
    # Their indicateurs volet is the same file as the admin's: disclosure always applies.
    mine = client.get(f"{EXPORT}?period=2024-03&territory=35-REDON", headers=sample.bearer(login))
    admin = client.get(f"{EXPORT}?period=2024-03", headers=sample.bearer("redon.admin"))
    assert mine.status_code == 200 and mine.data == admin.data


def test_formula_injection_through_imported_names(tmp_path, client, cli, db_session, sample):
    # A site and a territory name that a spreadsheet would evaluate.
    hostile = SOLIS.read_bytes().replace(b"CDAS Guichen", b"@SUM(A1)")
    path = tmp_path / "solis_2024-07-02.csv"
    path.write_bytes(hostile)
    code, _, err = cli("import", "solis", str(path), "--territory", "35-REDON")
    assert code == 0, err
    territory = db_session.scalar(select(Territory).where(Territory.code == "35-REDON"))
    territory.name = '=HYPERLINK("http://evil.example";"x")'
    db_session.commit()
    response = client.get(f"{EXPORT}?period=2024-03&by=site", headers=sample.bearer("redon.admin"))
    rows = parse(response.data)
    assert {row["territoire_libelle"] for row in rows} == {
        '\'=HYPERLINK("http://evil.example";"x")'
    }
    sites = {row["modalite"] for row in rows if row["ventilation"] == "site"}
    assert "'@SUM(A1)" in sites and "@SUM(A1)" not in sites
    # Numbers are untouched: every value parses as a number.
    assert all(float(row["valeur"]) >= 0 for row in rows if row["valeur"])


# --- the demo: the CSV against `pilotage indicators`, the CLI against the API ---------


@pytest.fixture
def demo(settings, db_session, cli, monkeypatch):
    from dashboard.demo.install import install_demo

    install_demo(db_session, size=200, seed=11)
    db_session.commit()
    cast = make_cast_on_demo(db_session)
    # A low threshold so the month has both published and suppressed figures.
    monkeypatch.setenv("PILOTAGE_DISCLOSURE_THRESHOLD", "3")
    app = create_app(settings.with_overrides(disclosure_threshold=3))
    yield app.server.test_client(), cast
    app.server.extensions["pilotage"].engine.dispose()


def make_cast_on_demo(db):
    cast = Cast()
    for login, role in (("demo.api.admin", Role.ADMIN), ("demo.api.copil", Role.COPIL)):
        user = add_user(db, login, role, "35-REDON")
        cast.users[login] = user.id
        cast.tokens[login] = token_for(db, user)
    db.commit()
    return cast


def test_the_csv_matches_pilotage_indicators_with_disclosure(tmp_path, cli, demo):
    client, cast = demo
    response = client.get(f"{EXPORT}?period=2024-06", headers=cast.bearer("demo.api.admin"))
    rows = parse(response.data)
    code, out, err = cli(
        "indicators", "--territory", "35-REDON", "--from", "2024-06", "--to", "2024-06",
        "--disclosure", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    expected = json.loads(out)["indicators"]
    assert [row["indicateur_code"] for row in rows] == [item["code"] for item in expected]

    def number(cell: str) -> float | None:
        return float(cell) if cell else None

    for row, item in zip(rows, expected, strict=True):
        assert (row["territoire_code"], row["periode"]) == ("35-REDON", "2024-06")
        assert row["indicateur_libelle"] == item["label"] and row["unite"] == item["unit"]
        assert number(row["valeur"]) == item["value"], item["code"]
        assert number(row["numerateur"]) == item["numerator"]
        assert number(row["denominateur"]) == item["denominator"]
        assert number(row["cible"]) == item["target"]
        assert (row["statut"] or None) == item["status"]
        assert row["secret_statistique"] == ("1" if item["suppressed"] else "0")
    flags = {row["secret_statistique"] for row in rows}
    assert flags == {"0", "1"}  # both published and suppressed figures are compared

    # The CLI writes the very same bytes, for each volet and separator.
    for extra, query in (
        ((), ""),
        (("--sep", ",", "--by", "sex"), "&sep=,&by=sex"),
        (("--volet", "parcours"), "&volet=parcours"),
    ):
        out_file = tmp_path / "national.csv"
        code, _, err = cli(
            "export-national", "--territory", "35-REDON", "--period", "2024-06",
            "--out", str(out_file), *extra,
        )  # fmt: skip
        assert code == 0, err
        api = client.get(f"{EXPORT}?period=2024-06{query}", headers=cast.bearer("demo.api.admin"))
        assert api.status_code == 200 and out_file.read_bytes() == api.data, extra


def test_parcours_rows_are_the_new_entrants_of_the_month(cli, demo):
    client, cast = demo
    response = client.get(
        f"{EXPORT}?period=2024-06&volet=parcours", headers=cast.bearer("demo.api.admin")
    )
    code, out, _ = cli(
        "indicators", "--territory", "35-REDON", "--from", "2024-06", "--to", "2024-06",
        "--format", "json",
    )  # fmt: skip
    entrants = next(i for i in json.loads(out)["indicators"] if i["code"] == "nouveaux_entrants")
    rows = parse(response.data)
    assert len(rows) == entrants["value"] > 0
    assert all(row["date_entree_dispositif"].startswith("2024-06") for row in rows)
    # A breakdown adds its rows: the headline, then one row per sex, for each indicator
    # that can be broken down by sex.
    by_sex = parse(
        client.get(f"{EXPORT}?period=2024-06&by=sex", headers=cast.bearer("demo.api.copil")).data
    )
    headline = [row for row in by_sex if not row["ventilation"]]
    assert len(headline) == len(load_schema().volets["indicateurs"].indicators)
    assert {row["modalite"] for row in by_sex if row["ventilation"] == "sex"} == {"F", "M"}


def test_the_export_cli_refuses_bad_arguments(cli, db_session, sample, tmp_path):
    for args, message in (
        (("--territory", "99-X", "--period", "2024-03"), "Territoire inconnu : 99-X."),
        (("--territory", "35-REDON", "--period", "2024-3"), "--period attend un mois"),
        (("--territory", "35-REDON", "--period", "0001-01"), "entre 1900 et 2100"),
        (
            (
                "--territory",
                "35-REDON",
                "--period",
                "2024-03",
                "--volet",
                "parcours",
                "--by",
                "sex",
            ),
            "--by ne s'emploie qu'avec le volet indicateurs",
        ),
        (("--territory", "35-REDON", "--period", "2024-03", "--sep", "|"), "--sep"),
    ):
        code, _, err = cli("export-national", *args)
        assert code == 2 and message in err, err
    # The CLI's parcours export is in the audit log too.
    out = tmp_path / "p.csv"
    code, _, _ = cli(
        "export-national", "--territory", "35-REDON", "--period", "2024-03",
        "--volet", "parcours", "--out", str(out),
    )  # fmt: skip
    assert code == 0 and len(parse(out.read_bytes())) == 7
    details = db_session.scalars(
        select(AuditLog.details).where(AuditLog.action == "export_national")
    ).all()
    assert [(d["volet"], d["period"], d["rows"], d["via"]) for d in details] == [
        ("parcours", "2024-03", 7, "cli")
    ]


def test_every_column_of_the_schema_is_documented():
    page = (Path(__file__).parent.parent / "docs" / "national_export.md").read_text("utf-8")
    for volet in load_schema().volets.values():
        for column in volet.columns:
            assert f"| `{column.name}` | `{column.source}` | {column.format} |" in page, column


# --- a real spreadsheet opens the file ---------------------------------------------------

INJECTIONS = [
    '=HYPERLINK("http://evil.example";"clic")',
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "x;=1",
    '"=1"',
]


@pytest.mark.slow
def test_libreoffice_evaluates_no_formula_of_the_export(tmp_path):
    """The export opened by LibreOffice Calc (headless, its CSV filter evaluating formulas,
    as it does by default): no cell of ours is a formula, and the numbers stay numbers. A
    control line written raw, after the export, shows the same filter does evaluate one."""
    import os
    import shutil
    import subprocess

    import openpyxl

    soffice = shutil.which("soffice")
    if soffice is None:
        message = "LibreOffice (soffice) absent : apt-get install libreoffice-calc-nogui"
        if os.environ.get("PILOTAGE_REQUIRE_LIBREOFFICE") == "1":  # set by scripts/test.sh
            pytest.fail(f"PILOTAGE_REQUIRE_LIBREOFFICE=1 mais {message}")
        pytest.skip(message)
    columns = load_schema().volets["indicateurs"].columns_for(breakdown=False)
    rows = [
        {"territory_code": "35-REDON", "territory_name": text, "value": -1.5, "numerator": 3}
        for text in INJECTIONS
    ]
    control = ";".join(["35-REDON", "=1+1"] + [""] * (len(columns) - 2)).encode() + b"\r\n"
    source = tmp_path / "export.csv"
    source.write_bytes(write_csv(columns, rows, ";") + control)
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "xlsx",
            "--infilter=CSV:59,34,76,1",  # ";", '"', UTF-8, from line 1
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheet = openpyxl.load_workbook(tmp_path / "export.xlsx").active
    lines = list(sheet.iter_rows(min_row=2))
    *ours, raw = lines
    assert raw[1].data_type == "f"  # the control: an unneutralised "=1+1" is a formula
    assert len(ours) == len(INJECTIONS)
    names = [column.name for column in columns]
    label, value = names.index("territoire_libelle"), names.index("valeur")
    for text, cells in zip(INJECTIONS, ours, strict=True):
        assert all(cell.data_type != "f" for cell in cells), (text, cells)
        # Calc reads a quoted CR as a line feed, and trims nothing else.
        written = neutralise(text).replace("\r", "\n")
        assert (cells[label].data_type, cells[label].value) == ("s", written), text
        assert cells[value].value == -1.5 and cells[value].data_type == "n"
