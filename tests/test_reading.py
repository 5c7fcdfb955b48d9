"""connectors.reading: sniffing and streaming CSV / xlsx / xls files as raw text rows."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from connectors.reading import FileRejectedError, TableSource, iter_rows, open_table
from connectors.sniffing import human_size

DATA = Path(__file__).parent / "data" / "samples"
XLS = Path(__file__).parent / "data" / "reading" / "reading_sample.xls"
NOT_A_TABLE = "Le fichier n'est pas un tableur ni un fichier CSV lisible."
ZIP_BOMB = "Le classeur Excel est anormalement volumineux une fois décompressé (fichier piégé ?)."
XML_DECLARATIONS = "Le classeur Excel contient des déclarations XML interdites (fichier piégé ?)."

SOLIS_HEADERS = (
    "N° allocataire", "Organisme payeur", "NIR", "Nom", "Prénom", "Date de naissance", "Sexe",
    "Site", "Date ouverture droits", "Date réception flux CAF/MSA", "Soumis droits et devoirs",
    "Date orientation", "Date notification orientation", "Dominante", "Organisme référent",
    "Référent", "Date 1er RDV accompagnement", "Date signature CER", "Date sortie RSA",
    "Motif sortie",
)  # fmt: skip
FRANCE_TRAVAIL_HEADERS = (
    "Identifiant FT", "NIR", "Numéro CAF", "Date d'inscription", "Modalité d'accompagnement",
    "Conseiller", "Date 1er entretien", "Date signature PPAE / CE", "Heures d'activité S-1",
    "Date reprise d'emploi", "Type de contrat", "Durée contrat (mois)",
)  # fmt: skip
MISSION_LOCALE_HEADERS = (
    "Numéro dossier i-milo", "N° allocataire CAF", "Date naissance", "Conseiller",
    "Date premier accueil", "Date entrée CEJ", "Situation", "Date début situation",
    "Nature contrat",
)  # fmt: skip
RENDEZ_VOUS_HEADERS = (
    "N° allocataire", "Motif", "Date invitation", "Date RDV", "Statut", "Relance", "Structure",
)  # fmt: skip
FEUILLE_DE_ROUTE_HEADERS = (
    "Axe", "Cible opérationnelle", "Étape / action", "Responsable(s)", "Échéance estimée",
    "Indicateur de suivi", "Avancement", "Commentaire",
)  # fmt: skip


def all_rows(source: TableSource, chunk_size: int = 10_000) -> list[dict[str, Any]]:
    return [row for chunk in iter_rows(source, chunk_size) for row in chunk]


def write_csv(tmp_path: Path, data: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rejected(path: Path, **kwargs: Any) -> str:
    with pytest.raises(FileRejectedError) as caught:
        open_table(path, **kwargs)
    return str(caught.value)


def save_workbook(path: Path, rows: list[list[Any]], title: str = "Feuille1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def rewrite_zip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name in replace.keys() - set(old.namelist()):
            new.writestr(name, replace[name])
    return target


# --- the example exports ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "separator", "headers", "count"),
    [
        ("solis_beneficiaires.csv", "cp1252", ";", SOLIS_HEADERS, 20),
        ("france_travail_suivi.csv", "utf-8-sig", ";", FRANCE_TRAVAIL_HEADERS, 8),
        ("mission_locale_imilo.csv", "utf-8", ",", MISSION_LOCALE_HEADERS, 5),
        ("rendez_vous.csv", "utf-8", ";", RENDEZ_VOUS_HEADERS, 14),
        ("feuille_de_route.csv", "utf-8", ";", FEUILLE_DE_ROUTE_HEADERS, 9),
    ],
)
def test_sample_exports(
    name: str, encoding: str, separator: str, headers: tuple[str, ...], count: int
) -> None:
    path = DATA / name
    source = open_table(path)
    assert source == TableSource(
        path=path,
        kind="csv",
        encoding=encoding,
        separator=separator,
        sheet=None,
        headers=headers,
        size_bytes=path.stat().st_size,
    )
    rows = all_rows(source)
    assert len(rows) == count
    assert [row["__row__"] for row in rows] == list(range(2, count + 2))
    assert all(set(row) == {*headers, "__row__"} for row in rows)


def test_sample_values_are_raw_text() -> None:
    solis = all_rows(open_table(DATA / "solis_beneficiaires.csv"))
    assert solis[4]["Nom"] == "Guérin"
    assert solis[3]["Date orientation"] == "31/02/2024"  # kept for the caller to reject
    assert solis[0]["Date 1er RDV accompagnement"] is None
    france_travail = all_rows(open_table(DATA / "france_travail_suivi.csv"))
    assert france_travail[1]["Heures d'activité S-1"] == "16,5"
    assert france_travail[1]["Durée contrat (mois)"] == "3"
    assert france_travail[0]["Durée contrat (mois)"] is None
    roadmap = all_rows(open_table(DATA / "feuille_de_route.csv"))
    assert roadmap[0]["Responsable(s)"] == "CD, FT"
    assert roadmap[8]["Échéance estimée"] == "Au fil de l'eau – fin décembre 2024"
    appointments = all_rows(open_table(DATA / "rendez_vous.csv", sheet="ignored for CSV"))
    assert appointments[0]["Date RDV"] == "27/03/2024 09:30"


def test_solis_as_xlsx_gives_the_same_rows(tmp_path: Path) -> None:
    with (DATA / "solis_beneficiaires.csv").open(encoding="cp1252", newline="") as stream:
        table = [[cell or None for cell in row] for row in csv.reader(stream, delimiter=";")]
    path = save_workbook(tmp_path / "solis.xlsx", table, title="Extraction")
    source = open_table(path)
    assert (source.kind, source.sheet, source.encoding, source.separator) == (
        "xlsx",
        "Extraction",
        None,
        None,
    )
    assert source.headers == SOLIS_HEADERS
    assert all_rows(source) == all_rows(open_table(DATA / "solis_beneficiaires.csv"))


def test_chunks(tmp_path: Path) -> None:
    source = open_table(DATA / "solis_beneficiaires.csv")
    chunks = list(iter_rows(source, chunk_size=3))
    assert [len(chunk) for chunk in chunks] == [3, 3, 3, 3, 3, 3, 2]
    assert chunks[6][1]["__row__"] == 21
    assert [len(chunk) for chunk in iter_rows(source, chunk_size=20)] == [20]
    with pytest.raises(ValueError, match="chunk_size"):
        next(iter_rows(source, chunk_size=0))


# --- CSV: encodings and separators ------------------------------------------------------------


def test_tab_separated(tmp_path: Path) -> None:
    path = write_csv(tmp_path, b"Nom\tHeures\r\nDupont, Marie\t16,5\r\nMartin\t12\r\n")
    source = open_table(path)
    assert (source.separator, source.headers) == ("\t", ("Nom", "Heures"))
    assert all_rows(source)[0] == {"Nom": "Dupont, Marie", "Heures": "16,5", "__row__": 2}


def test_commas_inside_cells_do_not_make_the_separator(tmp_path: Path) -> None:
    text = "Nom, prénom;Heures\nDupont, Marie;16,5\nMartin, Jean;8,25\nRoux, Léa;12\n"
    source = open_table(write_csv(tmp_path, text.encode()))
    assert (source.separator, source.headers) == (";", ("Nom, prénom", "Heures"))


def test_utf8_without_bom(tmp_path: Path) -> None:
    source = open_table(write_csv(tmp_path, "Prénom;Cœur\nLéa;Oui €\n".encode()))
    assert source.encoding == "utf-8"
    assert all_rows(source)[0]["Cœur"] == "Oui €"


def test_cp1252_specific_characters(tmp_path: Path) -> None:
    data = "Prénom;Motif\nLoïc;Cœur d’activité €\n".encode("cp1252")
    source = open_table(write_csv(tmp_path, data))
    assert source.encoding == "cp1252"
    assert all_rows(source)[0]["Motif"] == "Cœur d’activité €"


def test_latin1_only_characters(tmp_path: Path) -> None:
    # 0x81 and 0x90 are undefined in cp1252: only latin-1 decodes them.
    data = "Prénom;Code\nLéa;A".encode("latin-1") + b"\x81\x90B\n" + b"Lo\xefc;C\n" * 5
    source = open_table(write_csv(tmp_path, data))
    assert source.encoding == "latin-1"
    rows = all_rows(source)
    assert rows[0] == {"Prénom": "Léa", "Code": "A\x81\x90B", "__row__": 2}
    assert rows[-1]["Prénom"] == "Loïc"


def test_utf16_unicode_text_export(tmp_path: Path) -> None:
    # Excel's "Texte Unicode": UTF-16 with BOM, tab-separated.
    data = "\ufeffN° allocataire\tStatut\r\n6626571\tExcusé\r\n".encode("utf-16-le")
    source = open_table(write_csv(tmp_path, data, "export.txt"))
    assert (source.encoding, source.separator) == ("utf-16", "\t")
    assert all_rows(source) == [{"N° allocataire": "6626571", "Statut": "Excusé", "__row__": 2}]


def test_kind_comes_from_content_not_extension(tmp_path: Path) -> None:
    xlsx = save_workbook(tmp_path / "export.csv", [["A", "B"], ["1", "2"]])
    assert open_table(xlsx).kind == "xlsx"
    text = write_csv(tmp_path, b"A;B\n1;2\n", "export.xlsx")
    assert open_table(text).kind == "csv"


# --- CSV: row shapes --------------------------------------------------------------------------


def test_ragged_rows_and_true_line_numbers(tmp_path: Path) -> None:
    text = (
        "  Nom ; Date RDV ;Statut\r\n"  # line 1
        "Dupont;15/03/2024\r\n"  # 2: missing trailing cell
        "\r\n"  # 3: empty line
        ";;\r\n"  # 4: only separators
        'Martin;"16/03/2024\r\n14:00";Présent;en trop;;\r\n'  # 5-6: quoted newline, extra
        "Roux;;Excusé;;\r\n"  # 7: trailing empty cells are no extra
        "  Léa  ; ;  \r\n"  # 8: blanks are None
    )
    source = open_table(write_csv(tmp_path, text.encode()))
    assert source.headers == ("Nom", "Date RDV", "Statut")
    assert all_rows(source) == [
        {"Nom": "Dupont", "Date RDV": "15/03/2024", "Statut": None, "__row__": 2},
        {
            "Nom": "Martin",
            "Date RDV": "16/03/2024\r\n14:00",
            "Statut": "Présent",
            "__row__": 5,
            "__extra__": ["en trop"],
        },
        {"Nom": "Roux", "Date RDV": None, "Statut": "Excusé", "__row__": 7},
        {"Nom": "Léa", "Date RDV": None, "Statut": None, "__row__": 8},
    ]


def test_nameless_columns(tmp_path: Path) -> None:
    source = open_table(write_csv(tmp_path, b"Nom;;Statut;;\nDupont;x;Absent;;\n"))
    assert source.headers == ("Nom", "Colonne 2", "Statut")
    assert all_rows(source)[0]["Colonne 2"] == "x"


def test_nul_bytes_are_replaced(tmp_path: Path) -> None:
    data = b"Nom;Code\r\nDupont;AB\x00C\r\n" + b"Martin;12\r\n" * 30 + b"Roux;\x00\x00\r\n"
    rows = all_rows(open_table(write_csv(tmp_path, data)))
    assert rows[0]["Code"] == "AB\ufffdC"
    assert rows[-1] == {"Nom": "Roux", "Code": "\ufffd\ufffd", "__row__": 33}


def test_very_long_cells(tmp_path: Path) -> None:
    long_cell = "x" * (1024 * 1024)
    path = write_csv(tmp_path, f"Nom;Commentaire\nDupont;{long_cell}\nMartin;ok\n".encode())
    rows = all_rows(open_table(path))
    assert rows[0]["Commentaire"] == long_cell
    assert rows[1]["__row__"] == 3
    too_long = "y" * (11 * 1024 * 1024)
    path = write_csv(tmp_path, f"Nom;Commentaire\nDupont;ok\nMartin;{too_long}\n".encode())
    source = open_table(path)
    with pytest.raises(FileRejectedError) as caught:
        all_rows(source)
    assert str(caught.value) == (
        "Le fichier CSV est illisible à partir de la ligne 3 "
        "(cellule trop longue ou guillemets mal fermés)."
    )


# --- CSV: refusals ----------------------------------------------------------------------------


def test_empty_files(tmp_path: Path) -> None:
    assert rejected(write_csv(tmp_path, b"")) == "Le fichier est vide."
    assert rejected(write_csv(tmp_path, b"\r\n \r\n", "blank.csv")) == "Le fichier est vide."
    assert rejected(write_csv(tmp_path, b";;;\r\n;;\r\n", "seps.csv")) == "Le fichier est vide."


def test_header_only(tmp_path: Path) -> None:
    message = "Le fichier ne contient qu'une ligne d'en-tête."
    assert rejected(write_csv(tmp_path, b"Nom;Date RDV\r\n")) == message
    assert rejected(write_csv(tmp_path, b"Nom;Date RDV\r\n\r\n;\r\n", "blank.csv")) == message


def test_binary_renamed_csv(tmp_path: Path) -> None:
    noise = random.Random(1).randbytes(20_000)
    assert rejected(write_csv(tmp_path, noise, "noise.csv")) == NOT_A_TABLE
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(2).randbytes(5000)
    assert rejected(write_csv(tmp_path, png, "image.csv")) == NOT_A_TABLE
    assert rejected(write_csv(tmp_path, b"A;B\n" + b"\x00" * 500, "nul.csv")) == NOT_A_TABLE


def test_html_disguised_as_excel(tmp_path: Path) -> None:
    html = b"<html><body><table><tr><td>Nom</td><td>NIR</td></tr></table></body></html>"
    assert rejected(write_csv(tmp_path, html, "export.xls")) == (
        "Le fichier est une page web ou un document XML et non un vrai tableur : "
        "ouvrez-le dans Excel puis enregistrez-le au format Excel (.xlsx) ou CSV."
    )


def test_no_separator(tmp_path: Path) -> None:
    assert rejected(write_csv(tmp_path, b"Nom\nDupont\nMartin\n")) == (
        "Aucun séparateur de colonnes (point-virgule, virgule ou tabulation) "
        "n'a été reconnu dans le fichier."
    )


def test_duplicate_headers(tmp_path: Path) -> None:
    data = b"Date RDV;Statut; date rdv ;STATUT;Structure\n1;2;3;4;5\n"
    assert rejected(write_csv(tmp_path, data)) == (
        "Colonnes en double dans l'en-tête : Date RDV, Statut."
    )
    single = write_csv(tmp_path, b"Date RDV;Statut;Date RDV\n1;2;3\n", "single.csv")
    assert rejected(single) == "Colonnes en double dans l'en-tête : Date RDV."


def test_size_limits(tmp_path: Path) -> None:
    path = DATA / "rendez_vous.csv"
    assert rejected(path, max_bytes=1000) == (
        "Le fichier dépasse la taille autorisée (1000 octets)."
    )
    assert open_table(path, max_bytes=path.stat().st_size).size_bytes == 1232
    assert rejected(tmp_path / "absent.csv") == "Le fichier est introuvable."
    assert human_size(200 * 1024 * 1024) == "200 Mo"
    assert human_size(1536) == "1,5 Ko"


# --- Excel ------------------------------------------------------------------------------------


def test_xlsx_cell_values_and_row_numbers(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["N° allocataire", "Date RDV", "Heures", "Présent", "Heure"])  # row 1
    sheet.append([6626571, dt.datetime(2024, 3, 15, 9, 30), 16.5, True, dt.time(9, 30)])
    sheet.append([])  # row 3
    sheet.append([104063525739218, dt.date(2024, 3, 8), 12.0, False, None, "en trop"])
    sheet["B4"].number_format = "DD/MM/YYYY"
    sheet["A6"] = "  2037020 "
    sheet["B6"] = 45366  # a serial number formatted as a plain number stays a number
    workbook.save(tmp_path / "typed.xlsx")
    source = open_table(tmp_path / "typed.xlsx", sheet=" sheet ")
    assert source.sheet == "Sheet"
    assert all_rows(source) == [
        {
            "N° allocataire": "6626571",
            "Date RDV": "2024-03-15 09:30:00",
            "Heures": "16.5",
            "Présent": "VRAI",
            "Heure": "09:30:00",
            "__row__": 2,
        },
        {
            "N° allocataire": "104063525739218",
            "Date RDV": "2024-03-08",
            "Heures": "12",
            "Présent": "FAUX",
            "Heure": None,
            "__row__": 4,
            "__extra__": ["en trop"],
        },
        {
            "N° allocataire": "2037020",
            "Date RDV": "45366",
            "Heures": None,
            "Présent": None,
            "Heure": None,
            "__row__": 6,
        },
    ]


def test_xlsx_with_a_wrong_dimension(tmp_path: Path) -> None:
    path = save_workbook(tmp_path / "good.xlsx", [["A", "B"], ["1", "2"], ["3", "4"]])
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    wrong, count = re.subn(rb'<dimension ref="A1:B3" ?/>', b'<dimension ref="A1"/>', sheet)
    assert count == 1
    path = rewrite_zip(path, tmp_path / "wrong.xlsx", {"xl/worksheets/sheet1.xml": wrong})
    assert [row["B"] for row in all_rows(open_table(path))] == ["2", "4"]


def test_xls_fixture() -> None:
    path = XLS
    assert rejected(path) == "Le fichier ne contient qu'une ligne d'en-tête."
    source = open_table(path, sheet="Suivi")
    assert (source.kind, source.sheet, source.size_bytes) == ("xls", "Suivi", 7168)
    assert source.headers == ("N° allocataire", "Date RDV", "Heures", "Présent")
    assert all_rows(source) == [
        {
            "N° allocataire": "6626571",
            "Date RDV": "2024-03-15 09:30:00",
            "Heures": "16.5",
            "Présent": "VRAI",
            "__row__": 2,
        },
        {
            "N° allocataire": "2037020",
            "Date RDV": "2024-03-08",
            "Heures": "12",
            "Présent": "FAUX",
            "__row__": 4,
        },
    ]
    shifted = open_table(path, sheet="Décalée")
    assert shifted.headers == ("Colonne A", "Code", "Libellé")
    assert all_rows(shifted) == [
        {"Colonne A": None, "Code": "A1", "Libellé": "Équilibré", "__row__": 4},
        {"Colonne A": None, "Code": "B2", "Libellé": None, "__row__": 6},
    ]


def test_unknown_sheet(tmp_path: Path) -> None:
    assert rejected(XLS, sheet="Bénéficiaires") == (
        "La feuille « Bénéficiaires » n'existe pas dans ce classeur "
        "(feuilles : Lisez-moi, Suivi, Décalée)."
    )
    path = save_workbook(tmp_path / "one.xlsx", [["A", "B"], ["1", "2"]], title="Export")
    assert rejected(path, sheet="Feuil1") == (
        "La feuille « Feuil1 » n'existe pas dans ce classeur (feuilles : Export)."
    )


def test_empty_sheet(tmp_path: Path) -> None:
    path = save_workbook(tmp_path / "empty.xlsx", [], title="Vide")
    assert rejected(path) == "La feuille « Vide » est vide."


def test_damaged_workbooks(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<workbook>not really</workbook>")
    assert rejected(broken) == "Le classeur Excel est endommagé ou illisible."
    ole = write_csv(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088), "fake.xls")
    assert rejected(ole) == (
        "Le classeur Excel (.xls) est illisible : il est peut-être protégé par un mot de passe "
        "ou endommagé."
    )


def test_other_zip_formats(tmp_path: Path) -> None:
    plain = tmp_path / "archive.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("export.csv", "A;B\n1;2\n")
    assert rejected(plain) == NOT_A_TABLE
    ods = tmp_path / "export.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert rejected(ods) == (
        "Le format OpenDocument (.ods) n'est pas pris en charge : "
        "enregistrez-le au format Excel (.xlsx) ou CSV."
    )
    xlsb = tmp_path / "export.xlsb"
    with zipfile.ZipFile(xlsb, "w") as archive:
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert rejected(xlsb) == (
        "Le format Excel binaire (.xlsb) n'est pas pris en charge : "
        "enregistrez-le au format Excel (.xlsx) ou CSV."
    )
    assert rejected(write_csv(tmp_path, b"PK\x03\x04 truncated", "cut.xlsx")) == NOT_A_TABLE


def test_damaged_sheet_xml(tmp_path: Path) -> None:
    good = save_workbook(tmp_path / "good.xlsx", [["A", "B"], ["x", "y"]])
    with zipfile.ZipFile(good) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    broken = sheet.replace(b"</sheetData>", b"<row r='3'><c r='A3'><v>1</v></c></rowX>")
    path = rewrite_zip(good, tmp_path / "broken.xlsx", {"xl/worksheets/sheet1.xml": broken})
    source = open_table(path)  # the header and a first data row read well
    with pytest.raises(FileRejectedError) as caught:
        all_rows(source)
    assert str(caught.value) == (
        "Le classeur Excel est endommagé : la lecture s'arrête à la ligne 3."
    )


# --- hostile workbooks ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """64 MiB of zeros in a sheet part, about 64 KB once deflated; written streaming."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    block = b"0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(b"<worksheet><sheetData><row><c><v>")
            for _ in range(64):
                part.write(block)
    return path


def test_zip_bomb_by_ratio(zip_bomb: Path) -> None:
    assert zip_bomb.stat().st_size < 1024 * 1024
    assert rejected(zip_bomb) == ZIP_BOMB


def test_zip_bomb_by_total_size(zip_bomb: Path) -> None:
    kwargs = {"max_uncompressed_ratio": 10**6}
    assert rejected(zip_bomb, max_uncompressed_bytes=32 * 1024 * 1024, **kwargs) == ZIP_BOMB
    # Under both limits, the same archive goes on to the XML parser, which finds no workbook.
    assert rejected(zip_bomb, **kwargs) == "Le classeur Excel est endommagé ou illisible."


XML_DECLARATION = b'<?xml version="1.0"?>'
LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10))
    + b"]>"
)


@pytest.mark.parametrize(
    ("part", "body"),
    [
        (
            "xl/worksheets/sheet1.xml",
            XML_DECLARATION + LAUGHS + b"<worksheet><sheetData/></worksheet>",
        ),
        ("xl/sharedStrings.xml", XML_DECLARATION + LAUGHS + b"<sst><si><t>&lol9;</t></si></sst>"),
        # A DOCTYPE pushed past the inspected prefix by a long comment.
        (
            "xl/worksheets/sheet1.xml",
            XML_DECLARATION + b"<!--" + b" " * 100_000 + b"-->" + LAUGHS + b"<worksheet/>",
        ),
        # UTF-16 hides the ASCII bytes from a naive search.
        (
            "xl/worksheets/sheet1.xml",
            ('<?xml version="1.0" encoding="UTF-16"?>' + LAUGHS.decode() + "<worksheet/>").encode(
                "utf-16"
            ),
        ),
    ],
    ids=["sheet", "shared-strings", "padded", "utf-16"],
)
def test_billion_laughs(tmp_path: Path, part: str, body: bytes) -> None:
    good = save_workbook(tmp_path / "good.xlsx", [["A", "B"], ["x", "y"]])
    assert open_table(good).headers == ("A", "B")
    evil = rewrite_zip(good, tmp_path / "evil.xlsx", {part: body})
    assert rejected(evil) == XML_DECLARATIONS


def test_fixture_copies_are_byte_exact() -> None:
    # The CSV fixtures must keep their encodings and CRLF line ends through git.
    for name in ("solis_beneficiaires.csv", "france_travail_suivi.csv", "rendez_vous.csv"):
        data = (DATA / name).read_bytes()
        assert data.count(b"\r\n") == data.count(b"\n") > 0
    assert (DATA / "france_travail_suivi.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert re.search(rb"N\xb0 allocataire", (DATA / "solis_beneficiaires.csv").read_bytes())


def test_reading_a_copy_keeps_working_after_rename(tmp_path: Path) -> None:
    copy = tmp_path / "solis.txt"
    shutil.copy(DATA / "solis_beneficiaires.csv", copy)
    assert len(all_rows(open_table(copy))) == 20


def test_defusedxml_backs_up_the_prefix_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("connectors.sniffing._declares_dtd", lambda prefix, complete: False)
    good = save_workbook(tmp_path / "good.xlsx", [["A", "B"], ["x", "y"]])
    with zipfile.ZipFile(good) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    body = XML_DECLARATION + LAUGHS + sheet.replace(b"<t>x</t>", b"<t>&lol9;</t>")
    evil = rewrite_zip(good, tmp_path / "evil.xlsx", {"xl/worksheets/sheet1.xml": body})
    assert rejected(evil) == "Le classeur Excel est endommagé ou illisible."
