"""A file sent from the imports page: decoded, size-checked, imported like `pilotage import`.

`dcc.Upload` sends the file base64-encoded inside the callback's JSON body,
so the size is checked on the encoded text before anything is decoded (a
forged callback can skip the browser's own limit). The file is written to a
folder with a server-generated name under `<instance>/uploads` (0700; only a
cleaned base name of the browser's file name is kept, for the batch history
and the extraction date), imported with `dashboard.imports.run_import` (the
CLI's function: same connectors, same report), then deleted. Each import is
written to the audit log.

The limit is the `PILOTAGE_MAX_UPLOAD_MB` setting (Settings.max_upload_mb);
whatever it says, Flask's `MAX_CONTENT_LENGTH` bounds the whole callback POST
(base64 plus JSON) before it is parsed, so `upload_limit` takes the smaller.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from dashboard import audit
from dashboard.auth import SessionUser
from dashboard.imports import (
    CONNECTORS,
    ImportRefusedError,
    ImportReport,
    extraction_date_from_name,
    run_import,
)

UPLOADS_FOLDER = "uploads"
DATA_URL = re.compile(r"^data:[^,]{0,200};base64,", re.IGNORECASE)


class UploadRefusedError(ValueError):
    """The upload cannot be imported (message in French)."""


def upload_limit(max_upload_mb: int, max_content_length: int | None) -> int:
    """Bytes of file the page accepts: the setting, within Flask's body limit."""
    setting = max_upload_mb * 1024 * 1024
    if not max_content_length:
        return setting
    # base64 takes 4 characters for 3 bytes, plus the JSON around it.
    return min(setting, max(0, (max_content_length - 4096) * 3 // 4))


def human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} Mo".replace(".", ",")


def decode_upload(contents: object, limit: int) -> bytes:
    """The bytes of a `data:...;base64,...` URL, refused beyond `limit` before decoding."""
    if not isinstance(contents, str) or not DATA_URL.match(contents):
        raise UploadRefusedError("Fichier illisible : envoyez-le de nouveau.")
    encoded = contents[contents.index(",") + 1 :]
    if len(encoded) * 3 // 4 > limit + 2:
        raise UploadRefusedError(f"Le fichier dépasse la taille autorisée ({human_size(limit)}).")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefusedError("Fichier illisible : envoyez-le de nouveau.") from None
    if len(data) > limit:
        raise UploadRefusedError(f"Le fichier dépasse la taille autorisée ({human_size(limit)}).")
    if not data:
        raise UploadRefusedError("Le fichier est vide.")
    return data


def safe_file_name(name: object) -> str:
    """The base name of the browser's file name, in plain characters (never a path)."""
    text = name if isinstance(name, str) else ""
    base = re.split(r"[\\/]", text)[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._")[-120:]
    return cleaned or "fichier"


def parse_extraction_date(value: object) -> dt.date | None:
    """The form's date (YYYY-MM-DD), or None when left empty."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UploadRefusedError("Date d'extraction illisible (attendu : jj/mm/aaaa).") from None


def import_upload(
    sessions: sessionmaker[Session],
    instance_dir: Path,
    actor: SessionUser,
    territory_code: str,
    *,
    source: object,
    contents: object,
    file_name: object,
    pseudonym_key: str,
    limit: int,
    extracted_on: dt.date | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    remote_addr: str | None = None,
) -> ImportReport:
    """Import an uploaded file for the actor's territory and return the import report.

    The extraction date defaults to the one in the file name, then to `today`.
    """
    if not isinstance(source, str) or source not in CONNECTORS:
        raise UploadRefusedError("Choisissez la source du fichier avant de l'envoyer.")
    data = decode_upload(contents, limit)
    name = safe_file_name(file_name)
    day = extracted_on or extraction_date_from_name(name) or today or dt.date.today()
    folder = instance_dir / UPLOADS_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="import-", dir=folder))
    try:
        path = work / name
        path.write_bytes(data)
        del data
        report = run_import(
            sessions,
            source,
            path,
            territory_code,
            pseudonym_key=pseudonym_key,
            extracted_on=day,
            user_id=actor.user_id,
            dry_run=dry_run,
        )
    except ImportRefusedError as error:
        raise UploadRefusedError(str(error)) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with sessions() as db:
        audit.record(
            db,
            "import_dry_run" if dry_run else "import",
            user_id=actor.user_id,
            login=actor.login,
            territory_code=territory_code,
            remote_addr=remote_addr,
            details={
                "source": source,
                "file_name": report.file_name,
                "batch_id": report.batch_id,
                "status": report.status,
                "rows_read": report.rows_read,
                "created": report.created,
                "updated": report.updated,
                "quarantined": report.quarantined,
            },
        )
        db.commit()
    return report
