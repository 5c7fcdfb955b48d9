"""Sniffing an uploaded table before reading it: its kind from its first bytes, a CSV
file's encoding and separator, an xlsx archive's safety (zip bomb, XML entities).

Every refusal is a `FileRejectedError` whose message is one French sentence for the user;
messages name headers or sheets at most, never a cell's content.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import re
import zipfile
import zlib
from pathlib import Path

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Tried in this order; on a tie the earlier one wins.
SEPARATORS = (";", "\t", ",")
SEPARATOR_LINES = 50
SAMPLE_BYTES = 64 * 1024
DECODE_CHUNK = 1024 * 1024
# Share of control characters (NUL, C0/C1 codes other than tab and newlines) in the
# first 64 KB above which a "text" file is binary. A stray NUL in a cell stays below.
MAX_CONTROL_RATIO = 0.05
XML_PREFIX_BYTES = 64 * 1024
# Longest CSV cell accepted (the csv module's default is 128 KB).
FIELD_SIZE_LIMIT = 10 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))

NOT_A_TABLE = "Le fichier n'est pas un tableur ni un fichier CSV lisible."
ZIP_BOMB = "Le classeur Excel est anormalement volumineux une fois décompressé (fichier piégé ?)."
XML_DECLARATIONS = "Le classeur Excel contient des déclarations XML interdites (fichier piégé ?)."
SAVE_AS = "enregistrez-le au format Excel (.xlsx) ou CSV."
MIXED_ENCODING = (
    "Le fichier annonce l'encodage UTF-8 mais contient des caractères d'un autre encodage "
    "(Windows-1252 ?) : enregistrez-le à nouveau au format « CSV UTF-8 » ou Excel (.xlsx)."
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
_XML_ELEMENT = re.compile(rb"<[A-Za-z_]")


class FileRejectedError(ValueError):
    """The file cannot be read as a table; `str(error)` is a French sentence for the user."""


def human_size(size: int) -> str:
    """200 * 1024**2 -> "200 Mo", 1536 -> "1,5 Ko", 10 -> "10 octets"."""
    for unit, factor in (("Go", 1024**3), ("Mo", 1024**2), ("Ko", 1024)):
        if size >= factor:
            return f"{round(size / factor, 1):g} {unit}".replace(".", ",")
    return f"{size} octets"


def sniff_kind(path: Path) -> str:
    """ "xlsx", "xls" or "csv" from the first bytes, whatever the file's extension."""
    with path.open("rb") as stream:
        head = stream.read(len(OLE2_MAGIC))
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head == OLE2_MAGIC:
        return "xls"
    return "csv"


def check_xlsx(path: Path, *, max_ratio: int, max_bytes: int) -> None:
    """Refuse a zip that is no xlsx, that inflates too much, or whose XML declares a DTD."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "xl/workbook.xml" not in names:
                raise FileRejectedError(_other_zip_message(archive, names))
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos)
            if unpacked > max_bytes or unpacked > max_ratio * max(packed, 1):
                raise FileRejectedError(ZIP_BOMB)
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as part:
                        prefix = part.read(XML_PREFIX_BYTES)
                    if _declares_dtd(prefix, complete=info.file_size <= len(prefix)):
                        raise FileRejectedError(XML_DECLARATIONS)
    except FileRejectedError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # Damaged archive, unknown compression, or encrypted members.
        raise FileRejectedError(NOT_A_TABLE) from exc


def _other_zip_message(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "xl/workbook.bin" in names:
        return f"Le format Excel binaire (.xlsb) n'est pas pris en charge : {SAVE_AS}"
    if "mimetype" in names and b"opendocument" in archive.open("mimetype").read(100):
        return f"Le format OpenDocument (.ods) n'est pas pris en charge : {SAVE_AS}"
    return NOT_A_TABLE


def _declares_dtd(prefix: bytes, *, complete: bool) -> bool:
    """A DOCTYPE or ENTITY before the root element (NULs dropped so UTF-16 is caught too);
    a part whose first 64 KB hold no element at all is refused as padding around one."""
    text = prefix.replace(b"\x00", b"")
    upper = text.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        return True
    return not complete and _XML_ELEMENT.search(text) is None


def detect_encoding(path: Path) -> str:
    """BOM first; else the whole file must decode as strict UTF-8 (checked in 1 MB chunks,
    never loaded whole), else as cp1252; latin-1, which decodes anything, comes last.
    A UTF-8 BOM before bytes that are not UTF-8 (a file pieced together from two
    encodings) is refused rather than read with replacement characters."""
    with path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith(codecs.BOM_UTF8):
        if not _decodes(path, "utf-8-sig"):
            raise FileRejectedError(MIXED_ENCODING)
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        if _decodes(path, encoding):
            return encoding
    return "latin-1"


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as stream:
        try:
            while chunk := stream.read(DECODE_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def check_text(path: Path, encoding: str) -> None:
    """Refuse binary content (too many control characters) and HTML/XML disguised as a
    spreadsheet, as some tools export "Excel" files that are web pages."""
    with path.open("rb") as stream:
        raw = stream.read(SAMPLE_BYTES)
    sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw)
    if len(raw) < SAMPLE_BYTES and not sample.strip("".join(SEPARATORS) + " \r\n\ufeff"):
        raise FileRejectedError("Le fichier est vide.")  # nothing but blanks and separators
    if len(_CONTROL.findall(sample)) > MAX_CONTROL_RATIO * len(sample):
        raise FileRejectedError(NOT_A_TABLE)
    if sample.lstrip("\ufeff \t\r\n").startswith("<"):
        raise FileRejectedError(
            "Le fichier est une page web ou un document XML et non un vrai tableur : "
            f"ouvrez-le dans Excel puis {SAVE_AS}"
        )


def detect_separator(path: Path, encoding: str) -> str:
    """The separator whose first ~50 non-empty records fit the header's column count
    most often; then the one giving more columns; then `;`, tab, `,` in that order.
    Records are parsed with quotes, so a decimal comma inside a `;` file cannot win."""
    best: tuple[float, int, int] | None = None
    chosen = None
    samples = []
    for rank, separator in enumerate(SEPARATORS):
        sample = _first_records(path, encoding, separator)
        samples.append(sample)
        if not sample or len(sample[0]) < 2:
            continue
        width = len(sample[0])
        data = sample[1:]
        consistency = sum(_fits(row, width) for row in data) / len(data) if data else 1.0
        score = (consistency, width, -rank)
        if best is None or score > best:
            best, chosen = score, separator
    if chosen is None:
        if not any(samples):
            raise FileRejectedError("Le fichier est vide.")
        raise FileRejectedError(
            "Aucun séparateur de colonnes (point-virgule, virgule ou tabulation) "
            "n'a été reconnu dans le fichier."
        )
    return chosen


def _fits(row: list[str], width: int) -> bool:
    """As many cells as the header, or more but only empty ones (trailing separators)."""
    return len(row) >= width and not any(cell.strip() for cell in row[width:])


def _first_records(path: Path, encoding: str, separator: str) -> list[list[str]]:
    """The first non-empty records; those before a parsing error if one comes up (a cell
    too long, say), which `iter_rows` will then report with its line number."""
    sample: list[list[str]] = []
    with path.open(encoding=encoding, errors="replace", newline="") as stream:
        reader = csv.reader(stream, delimiter=separator)
        with contextlib.suppress(csv.Error):
            for row in reader:
                if any(cell.strip() for cell in row):
                    sample.append(row)
                    if len(sample) == SEPARATOR_LINES:
                        break
    return sample
