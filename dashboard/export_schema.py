"""The national export's columns, read from a schema file (dashboard/export_schema.toml).

When the national specification changes, the file changes, not the code:
each volet lists its columns in order, each with the field it is filled
from (`source`), how it is written (`format`), a French description, and
optionally a table of values (`values`, e.g. emploi -> professionnel). The
indicateurs volet also lists which indicators are sent and may rename
their codes. `load_schema` refuses a file that does not make sense, with
a French message naming the volet and the column.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from metrics.registry import REGISTRY

DEFAULT_SCHEMA = Path(__file__).with_name("export_schema.toml")
VOLETS = ("indicateurs", "parcours")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
COLUMN_KEYS = frozenset({"name", "source", "format", "description", "values", "when"})
VOLET_KEYS = frozenset({"description", "columns", "indicators", "indicator_codes"})
# Each volet's fields, with the formats each may be written in.
SOURCES: dict[str, dict[str, tuple[str, ...]]] = {
    "indicateurs": {
        "territory_code": ("text",),
        "territory_name": ("text",),
        "period": ("month",),
        "as_of": ("date",),
        "indicator_code": ("text",),
        "indicator_label": ("text",),
        "value": ("number",),
        "numerator": ("integer",),
        "denominator": ("integer",),
        "unit": ("text",),
        "target": ("number",),
        "status": ("text",),
        "suppressed": ("boolean",),
        "breakdown": ("text",),
        "breakdown_value": ("text",),
        "unavailable": ("text",),
    },
    "parcours": {
        "territory_code": ("text",),
        "period": ("month",),
        "pseudonym": ("text",),
        "rights_opened_on": ("date",),
        "notification_received_on": ("date",),
        "entry_on": ("date",),
        "orientation_appointment_on": ("date",),
        "orientation_decided_on": ("date",),
        "dominante": ("text",),
        "accompaniment_appointments": ("date_list",),
        "weekly_activity_hours": ("text",),
        "unavailable": ("text",),
    },
}
FORMATS = ("text", "integer", "number", "date", "month", "boolean", "date_list")
WHEN = ("breakdown",)


class SchemaError(ValueError):
    """The schema file cannot be used (French message naming what is wrong)."""


@dataclass(frozen=True)
class Column:
    name: str
    source: str
    format: str
    description: str = ""
    values: dict[str, str] = field(default_factory=dict)
    # "breakdown": written only when a breakdown (by=) is asked.
    when: str | None = None


@dataclass(frozen=True)
class Volet:
    name: str
    description: str
    columns: tuple[Column, ...]
    indicators: tuple[str, ...] = ()
    indicator_codes: dict[str, str] = field(default_factory=dict)

    def columns_for(self, breakdown: bool) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.when is None or (breakdown and c.when == WHEN[0]))


@dataclass(frozen=True)
class ExportSchema:
    specification: str
    volets: dict[str, Volet]
    path: Path


def _fail(path: Path, where: str, message: str) -> SchemaError:
    return SchemaError(f"Schéma d'export {path.name}, {where} : {message}")


def _column(path: Path, volet: str, index: int, raw: Any, seen: set[str]) -> Column:
    where = f"volet {volet}, colonne n° {index}"
    if not isinstance(raw, dict):
        raise _fail(path, where, "chaque colonne est une table [[volets.X.columns]].")
    unknown = sorted(set(raw) - COLUMN_KEYS)
    if unknown:
        raise _fail(
            path, where, f"clé inconnue « {unknown[0]} » ({', '.join(sorted(COLUMN_KEYS))})."
        )
    name, source, kind = raw.get("name"), raw.get("source"), raw.get("format")
    if not isinstance(name, str) or not NAME.match(name):
        raise _fail(path, where, "name doit être en minuscules, chiffres et _ (ex. valeur).")
    where = f"volet {volet}, colonne {name}"
    if name in seen:
        raise _fail(path, where, "ce nom de colonne apparaît deux fois.")
    seen.add(name)
    if source not in SOURCES[volet]:
        raise _fail(
            path, where, f"source inconnue {source!r} ; possibles : {', '.join(SOURCES[volet])}."
        )
    if kind not in SOURCES[volet][source]:
        allowed = ", ".join(SOURCES[volet][source])
        raise _fail(path, where, f"format {kind!r} impossible pour {source} (attendu : {allowed}).")
    values = raw.get("values", {})
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise _fail(path, where, 'values est une table de textes (valeur = "libellé").')
    if values and kind != "text":
        raise _fail(path, where, "values ne s'emploie qu'avec le format text.")
    when = raw.get("when")
    if when is not None and (volet != "indicateurs" or when not in WHEN):
        raise _fail(path, where, "when ne vaut que « breakdown », dans le volet indicateurs.")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise _fail(path, where, "description est un texte.")
    return Column(name, source, kind, description, dict(values), when)


def _indicators(path: Path, raw: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, str]]:
    codes = raw.get("indicators", list(REGISTRY))
    if not isinstance(codes, list) or not codes:
        raise _fail(path, "volet indicateurs", "indicators est une liste non vide de codes.")
    unknown = [code for code in codes if code not in REGISTRY]
    if unknown:
        raise _fail(
            path, "volet indicateurs", f"indicateur(s) inconnu(s) : {', '.join(map(str, unknown))}."
        )
    if len(set(codes)) != len(codes):
        raise _fail(path, "volet indicateurs", "un indicateur est listé deux fois.")
    renames = raw.get("indicator_codes", {})
    if not isinstance(renames, dict) or not all(
        key in codes and isinstance(value, str) and value for key, value in renames.items()
    ):
        raise _fail(
            path,
            "volet indicateurs",
            "indicator_codes associe un indicateur listé à son code national (un texte).",
        )
    return tuple(codes), dict(renames)


def _volet(path: Path, name: str, raw: Any) -> Volet:
    if not isinstance(raw, dict):
        raise _fail(path, f"volet {name}", "table [volets.X] attendue.")
    unknown = sorted(set(raw) - VOLET_KEYS)
    if unknown:
        raise _fail(path, f"volet {name}", f"clé inconnue « {unknown[0]} ».")
    columns = raw.get("columns")
    if not isinstance(columns, list) or not columns:
        raise _fail(path, f"volet {name}", "aucune colonne déclarée ([[volets.X.columns]]).")
    seen: set[str] = set()
    parsed = tuple(
        _column(path, name, i, raw_column, seen) for i, raw_column in enumerate(columns, 1)
    )
    indicators, renames = _indicators(path, raw) if name == "indicateurs" else ((), {})
    if name != "indicateurs" and ("indicators" in raw or "indicator_codes" in raw):
        raise _fail(path, f"volet {name}", "indicators ne s'emploie que dans le volet indicateurs.")
    return Volet(name, str(raw.get("description", "")), parsed, indicators, renames)


def load_schema(path: Path | None = None) -> ExportSchema:
    """The schema in `path` (default: the one shipped with the package), checked."""
    path = Path(path or DEFAULT_SCHEMA)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise SchemaError(f"Schéma d'export introuvable : {path}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SchemaError(f"Schéma d'export {path.name} illisible : {error}.") from None
    volets = raw.get("volets")
    if not isinstance(volets, dict) or sorted(volets) != sorted(VOLETS):
        raise _fail(path, "volets", f"il faut exactement les volets {' et '.join(VOLETS)}.")
    return ExportSchema(
        specification=str(raw.get("specification", "")),
        volets={name: _volet(path, name, volets[name]) for name in VOLETS},
        path=path,
    )
