"""Column profiles: which header of an export holds which canonical field.

A profile lists, per canonical field, its accepted header spellings and its
type. Headers are compared after folding: case, accents, spaces,
punctuation and the `N°` / `No` / `Num` / `Numéro` variants do not matter.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

import yaml

from connectors.values import fold


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    DECIMAL = "decimal"
    INTEGER = "integer"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class ProfileField:
    name: str
    spellings: tuple[str, ...]
    type: FieldType = FieldType.TEXT
    required: bool = False
    # Identifying fields (NIR, CAF number, names) are read to pseudonymise and
    # never stored, logged or quoted.
    identifying: bool = False


@dataclass(frozen=True)
class Profile:
    source: str
    fields: tuple[ProfileField, ...]
    # Columns that may be present and are dropped on purpose (e.g. names).
    dropped: tuple[str, ...] = ()

    def field(self, name: str) -> ProfileField:
        return next(item for item in self.fields if item.name == name)


class MissingColumnsError(ValueError):
    """Required columns are absent: the import stops before writing anything."""


@dataclass(frozen=True)
class HeaderMapping:
    columns: dict[str, str]  # canonical field -> header as written in the file
    unknown: tuple[str, ...] = field(default=())  # headers no field claimed
    dropped: tuple[str, ...] = field(default=())  # headers recognised and dropped


_NUMBER_WORDS = re.compile(r"\b(?:n|no|nr|num|numero|nro)\b")


def fold_header(header: str) -> str:
    """`N° allocataire`, `Numéro allocataire`, `NUM_ALLOCATAIRE` -> `numallocataire`."""
    folded = fold(header.replace("°", " o ").replace("º", " o "))
    folded = folded.replace("n o ", "num ")
    return _NUMBER_WORDS.sub("num", folded).replace(" ", "")


def match_headers(headers: list[str] | tuple[str, ...], profile: Profile) -> HeaderMapping:
    """Map the file's headers onto the profile; raise when a required field is missing."""
    by_fold = {fold_header(header): header for header in headers}
    columns: dict[str, str] = {}
    for item in profile.fields:
        for spelling in (item.name, *item.spellings):
            header = by_fold.get(fold_header(spelling))
            if header is not None and header not in columns.values():
                columns[item.name] = header
                break
    dropped_folds = {fold_header(name) for name in profile.dropped}
    claimed = set(columns.values())
    dropped = tuple(h for h in headers if h not in claimed and fold_header(h) in dropped_folds)
    unknown = tuple(h for h in headers if h not in claimed and h not in dropped)
    missing = [item for item in profile.fields if item.required and item.name not in columns]
    if missing:
        raise MissingColumnsError(_missing_message(missing, unknown))
    return HeaderMapping(columns, unknown, dropped)


def _missing_message(missing: list[ProfileField], candidates: tuple[str, ...]) -> str:
    parts = []
    for item in missing:
        wanted = item.spellings[0] if item.spellings else item.name
        folded_candidates = {fold_header(header): header for header in candidates}
        close = difflib.get_close_matches(
            fold_header(wanted), list(folded_candidates), n=1, cutoff=0.5
        )
        hint = f" (colonne la plus proche : « {folded_candidates[close[0]]} »)" if close else ""
        parts.append(f"« {wanted} »{hint}")
    plural = "s" if len(missing) > 1 else ""
    return f"Colonne{plural} obligatoire{plural} absente{plural} : " + ", ".join(parts) + "."


class ProfileFileError(ValueError):
    """A territory's profile file cannot be used (message in French)."""


def _read_profile_file(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(text)
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
            return data if isinstance(data, dict) else {}
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        raise ProfileFileError(
            f"Le fichier de profil {path.name} est illisible : {error}"
        ) from None
    raise ProfileFileError(
        f"Format de profil non reconnu : {path.name} (attendu : .toml, .yaml ou .yml)."
    )


def load_profile(path: Path, base: Profile) -> Profile:
    """`base` with a territory's own header spellings (tried first) and dropped columns.

    TOML or YAML: `source = "solis"`, a `columns` table mapping a canonical field
    to one spelling or a list of spellings, and an optional `dropped` list.
    """
    data = _read_profile_file(path)
    source = data.get("source")
    if source is not None and source != base.source:
        raise ProfileFileError(
            f"Ce profil est celui de la source « {source} », pas de « {base.source} »."
        )
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise ProfileFileError("La rubrique « columns » doit associer un champ à ses intitulés.")
    known = {item.name for item in base.fields}
    unknown = sorted(set(columns) - known)
    if unknown:
        raise ProfileFileError(
            f"Champ(s) inconnu(s) dans le profil : {', '.join(unknown)}. "
            f"Champs possibles : {', '.join(sorted(known))}."
        )
    fields = []
    for item in base.fields:
        extra = columns.get(item.name) or []
        extra = [extra] if isinstance(extra, str) else [str(spelling) for spelling in extra]
        fields.append(replace(item, spellings=(*extra, *item.spellings)))
    dropped = data.get("dropped") or []
    if isinstance(dropped, str):
        dropped = [dropped]
    return replace(base, fields=tuple(fields), dropped=(*base.dropped, *map(str, dropped)))
