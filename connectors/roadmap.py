"""Feuille de route: one row per étape / action, under an axis and an operational target.

Deadlines ("Fin mars", "S12", "Avril / Mai", "Permanent"...) are read by
`connectors.deadlines`; a deadline the parser does not understand never rejects
the row: the text is kept without dates and the action is "échéance à préciser".
Declared progress ("Réalisé", "En cours", "50 %"...) goes through a synonym table.
The roadmap holds no personal data; as a safety net, anything shaped like a NIR
typed into a cell is replaced before the row is read, stored or quarantined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from connectors.deadlines import Deadline, parse_deadline, split_owners
from connectors.profiles import Profile, ProfileField
from connectors.rows import ParseContext, RowReader
from connectors.values import fold
from dashboard.models import RoadmapProgress

PROFILE = Profile(
    source="roadmap",
    fields=(
        ProfileField("axis", ("Axe", "Axe stratégique", "Axe de travail"), required=True),
        ProfileField(
            "operational_target",
            ("Cible opérationnelle", "Objectif opérationnel", "Cibles opérationnelles"),
        ),
        ProfileField(
            "action",
            ("Étape / action", "Étapes / actions", "Action", "Actions", "Étape"),
            required=True,
        ),
        ProfileField("owners", ("Responsable(s)", "Responsable", "Pilote(s)", "Pilote", "Porteur")),
        ProfileField("deadline", ("Échéance estimée", "Échéance", "Échéances", "Calendrier")),
        ProfileField("follow_up_indicator", ("Indicateur de suivi", "Indicateurs de suivi")),
        ProfileField("progress", ("Avancement", "État d'avancement")),
        ProfileField("comment", ("Commentaire", "Commentaires", "Observations", "Remarques")),
    ),
)

# Column sizes of `roadmap_action`: a longer text would fail the whole file on PostgreSQL.
MAX_LENGTHS = {
    "axis": 200,
    "operational_target": 500,
    "action": 1000,
    "deadline": 500,
    "follow_up_indicator": 500,
}

_P = RoadmapProgress
PROGRESS_SYNONYMS: dict[str, RoadmapProgress] = {
    **dict.fromkeys(
        ("realise", "realisee", "fait", "faite", "termine", "terminee", "acheve", "achevee"),
        _P.REALISE,
    ),
    **dict.fromkeys(("en cours", "demarre", "demarree", "commence", "commencee"), _P.EN_COURS),
    **dict.fromkeys(
        (
            "non demarre",
            "non demarree",
            "pas demarre",
            "pas demarree",
            "non commence",
            "non commencee",
            "a faire",
            "a venir",
            "a lancer",
        ),
        _P.NON_DEMARRE,
    ),
    **dict.fromkeys(("abandonne", "abandonnee", "annule", "annulee"), _P.ABANDONNE),
}
_PERCENT = re.compile(r"^[0-9]{1,3}(?:[.,][0-9]+)?\s*%$")
_BARE_NUMBER = re.compile(r"^[0-9]+(?:[.,][0-9]+)?$")

# A NIR typed into a free-text cell: sex digit, 12 more characters (2A / 2B for Corsica),
# an optional 2-digit key, spaces or dots allowed between any two characters.
_SEP = r"[\s.\u00a0\u202f]?"
NIR_SHAPE = re.compile(
    rf"(?<![0-9A-Za-z])[12378](?:{_SEP}[0-9]){{4}}{_SEP}(?:[0-9]{_SEP}[0-9]|2{_SEP}[AaBb])"
    rf"(?:{_SEP}[0-9]){{6}}(?:{_SEP}[0-9]{_SEP}[0-9])?(?![0-9])"
)
NIR_REMOVED = "(NIR retiré)"


@dataclass(frozen=True)
class RoadmapRecord:
    axis: str
    operational_target: str
    action: str
    owners: tuple[str, ...]
    deadline: Deadline
    follow_up_indicator: str | None
    progress: RoadmapProgress | None
    comment: str | None
    # Where the row came from, for the writer's rejections and the import notes.
    row_number: int | None = None
    raw_values: dict[str, str | None] = field(default_factory=dict, compare=False)
    nir_removed: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.axis, self.operational_target, self.action)

    @property
    def deadline_unclear(self) -> bool:
        """No date could be read from the deadline (empty or not understood)."""
        return not self.deadline.understood


def parse_progress(raw: str) -> RoadmapProgress:
    """ "Réalisé", "En cours", "À faire", "Abandonné", "40 %" -> the declared progress.

    A bare number from 0 to 1 is an Excel cell formatted as a percentage (0.4 = 40 %);
    a bare number above 1 is refused rather than guessed ("50": 50 % or 5000 %?).
    """
    text = raw.strip()
    percent, bare = _PERCENT.match(text), _BARE_NUMBER.match(text)
    if percent or bare:
        share = float(text.rstrip("%").strip().replace(",", "."))
        if bare:
            if share > 1:
                raise ValueError(
                    f"avancement illisible : {text} (un pourcentage s'écrit « {text} % »)"
                )
            share *= 100
        if share > 100:
            raise ValueError(f"avancement au-delà de 100 % : {text}")
        if share == 0:
            return _P.NON_DEMARRE
        return _P.REALISE if share == 100 else _P.EN_COURS
    progress = PROGRESS_SYNONYMS.get(fold(raw))
    if progress is None:
        raise ValueError(f"avancement inconnu : {raw.strip()}")
    return progress


def remove_nirs(text: str) -> str:
    return NIR_SHAPE.sub(NIR_REMOVED, text)


def _scrub(reader: RowReader) -> bool:
    """Replace NIR-shaped numbers in every cell (also what quarantine keeps); True if any."""
    found = False
    for header, value in reader.row.items():
        if value and not header.startswith("__") and NIR_SHAPE.search(value):
            reader.row[header] = remove_nirs(value)
            found = True
    return found


def _text(reader: RowReader, name: str, required: bool = False) -> str | None:
    value = reader.text(name, required=required)
    limit = MAX_LENGTHS.get(name)
    if value is not None and limit is not None and len(value) > limit:
        reader.reasons.append(
            f"{reader.label(name)} : texte trop long ({len(value)} caractères, {limit} au plus)"
        )
    return value


def parse_row(reader: RowReader, context: ParseContext) -> RoadmapRecord | None:
    """One roadmap row -> a record, or None with `reader.reasons` saying why.

    A row needs an axis and an action. Without an operational target the action is
    filed directly under its axis with the target "" (never NULL, which would let
    the same action be inserted twice despite the unique key).
    """
    nir_removed = _scrub(reader)
    axis = _text(reader, "axis", required=True)
    target = _text(reader, "operational_target") or ""
    action = _text(reader, "action", required=True)
    deadline_text = _text(reader, "deadline")
    indicator = _text(reader, "follow_up_indicator")
    progress = reader.choice("progress", parse_progress)
    if reader.reasons or axis is None or action is None:
        return None
    row_number = reader.row.get("__row__")
    return RoadmapRecord(
        axis=axis,
        operational_target=target,
        action=action,
        owners=split_owners(reader.raw("owners")),
        deadline=parse_deadline(deadline_text, context.year),
        follow_up_indicator=indicator,
        progress=progress,
        comment=reader.text("comment"),
        row_number=int(row_number) if row_number is not None else None,
        raw_values=reader.quarantine_values(),
        nir_removed=nir_removed,
    )


def import_notes(records: list[RoadmapRecord]) -> list[str]:
    """What the import report should say beyond the counts (French, one line each).

    Actions whose deadline gave no date ("échéance à préciser") and cells where a
    NIR-shaped number was removed. Nothing here is a rejection: the rows loaded.
    """
    notes = []
    for record in records:
        where = f"ligne {record.row_number}" if record.row_number else "ligne ?"
        if record.deadline_unclear:
            text = f"« {record.deadline.text} »" if record.deadline.text else "vide"
            notes.append(f"{where} : échéance à préciser ({text}) : {record.action}")
        if record.nir_removed:
            notes.append(f"{where} : numéro ressemblant à un NIR retiré du texte")
    return notes
