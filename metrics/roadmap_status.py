"""The status of each action of the feuille de route at `as_of`, and per axis / overall counts.

The status is computed, never typed: it comes from the progress the owners
declared and from the dates read out of the deadline text. Rules, first match
wins (docs/roadmap.md says the same in French):

1. progress `realise` -> `fait`;
2. progress `abandonne` -> `abandonne` (not in the pilot's list: an abandoned
   action is neither done nor late, and stays out of the shares' denominator);
3. continuous ("Permanent", "Au fil de l'eau"...) -> `continu`, even when the
   deadline also names an end date that has passed;
4. no due date -> `a_preciser`;
5. due before `as_of` -> `en_retard` (due on `as_of` itself is not late yet);
6. due within `window_days` (default 14) after `as_of`, both ends included ->
   `echeance_proche`, even if the action has not started;
7. started (`start` on or before `as_of`) or declared `en_cours` -> `en_cours`;
8. otherwise -> `a_venir`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from metrics.rounding import percentage

DEFAULT_WINDOW_DAYS = 14

# The declared progress values, as `dashboard.models.RoadmapProgress` (a test holds them equal).
PROGRESS_VALUES = ("non_demarre", "en_cours", "realise", "abandonne")
DONE, IN_PROGRESS, ABANDONED = "realise", "en_cours", "abandonne"
# Their French labels (an action is "réalisée": the noun is feminine).
PROGRESS_LABELS = {
    "non_demarre": "Non démarrée",
    "en_cours": "En cours",
    "realise": "Réalisée",
    "abandonne": "Abandonnée",
}


class RoadmapStatus(StrEnum):
    """The computed status of an action; the declaration order is the display order."""

    FAIT = "fait"
    EN_RETARD = "en_retard"
    ECHEANCE_PROCHE = "echeance_proche"
    EN_COURS = "en_cours"
    A_VENIR = "a_venir"
    CONTINU = "continu"
    A_PRECISER = "a_preciser"
    ABANDONNE = "abandonne"

    @property
    def label(self) -> str:
        """The French label shown to users ("En retard")."""
        return STATUS_LABELS[self]


STATUS_LABELS: dict[RoadmapStatus, str] = {
    RoadmapStatus.FAIT: "Fait",
    RoadmapStatus.EN_RETARD: "En retard",
    RoadmapStatus.ECHEANCE_PROCHE: "Échéance proche",
    RoadmapStatus.EN_COURS: "En cours",
    RoadmapStatus.A_VENIR: "À venir",
    RoadmapStatus.CONTINU: "Continu",
    RoadmapStatus.A_PRECISER: "À préciser",
    RoadmapStatus.ABANDONNE: "Abandonnée",
}


@dataclass(frozen=True)
class RoadmapItem:
    """One action of the feuille de route, as plain data (no database row).

    `milestones` are kept as stored: ISO dates read from the deadline by the
    import, or free labels ("Arrivée des référents") in the demo roadmap; the
    status does not use them.
    """

    axis: str
    target: str
    action: str
    owners: tuple[str, ...] = ()
    deadline_text: str | None = None
    start: dt.date | None = None
    due: dt.date | None = None
    continuous: bool = False
    milestones: tuple[str, ...] = ()
    progress: str | None = None

    def __post_init__(self) -> None:
        if self.progress is not None and self.progress not in PROGRESS_VALUES:
            raise ValueError(
                f"Unknown progress {self.progress!r}; expected one of {PROGRESS_VALUES}."
            )


def _check_window(window_days: int) -> None:
    if window_days < 0:
        raise ValueError(f"window_days cannot be negative: {window_days}.")


def action_status(
    item: RoadmapItem, as_of: dt.date, window_days: int = DEFAULT_WINDOW_DAYS
) -> RoadmapStatus:
    """The status of one action at `as_of` (rules in the module docstring)."""
    _check_window(window_days)
    if item.progress == DONE:
        return RoadmapStatus.FAIT
    if item.progress == ABANDONED:
        return RoadmapStatus.ABANDONNE
    if item.continuous:
        return RoadmapStatus.CONTINU
    if item.due is None:
        return RoadmapStatus.A_PRECISER
    if item.due < as_of:
        return RoadmapStatus.EN_RETARD
    if item.due <= as_of + dt.timedelta(days=window_days):
        return RoadmapStatus.ECHEANCE_PROCHE
    if (item.start is not None and item.start <= as_of) or item.progress == IN_PROGRESS:
        return RoadmapStatus.EN_COURS
    return RoadmapStatus.A_VENIR


@dataclass(frozen=True)
class StatusSummary:
    """Counts per status over a set of actions, and the shares done and late.

    `denominator` is every action except the abandoned ones; `share_done` and
    `share_late` are percentages with one decimal of it, None when it is 0
    (an empty roadmap has no share, not 0 %).
    """

    counts: dict[RoadmapStatus, int]
    total: int
    denominator: int
    share_done: float | None
    share_late: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": {status.value: count for status, count in self.counts.items()},
            "total": self.total,
            "denominator": self.denominator,
            "share_done": self.share_done,
            "share_late": self.share_late,
        }


def summarise(statuses: Iterable[RoadmapStatus]) -> StatusSummary:
    """Counts of every status (zeros included, display order) and the two shares."""
    counts = dict.fromkeys(RoadmapStatus, 0)
    for status in statuses:
        counts[status] += 1
    total = sum(counts.values())
    denominator = total - counts[RoadmapStatus.ABANDONNE]
    return StatusSummary(
        counts=counts,
        total=total,
        denominator=denominator,
        share_done=percentage(counts[RoadmapStatus.FAIT], denominator),
        share_late=percentage(counts[RoadmapStatus.EN_RETARD], denominator),
    )


@dataclass(frozen=True)
class RoadmapStatusReport:
    """Every action with its status (input order), the summary per axis and overall."""

    as_of: dt.date
    window_days: int
    actions: tuple[tuple[RoadmapItem, RoadmapStatus], ...]
    by_axis: dict[str, StatusSummary]
    overall: StatusSummary

    def as_dict(self) -> dict[str, Any]:
        """The summary, JSON-ready: the window, overall, then each axis in order."""
        return {
            "window_days": self.window_days,
            "overall": self.overall.as_dict(),
            "by_axis": [
                {"axis": axis, **summary.as_dict()} for axis, summary in self.by_axis.items()
            ],
        }


def roadmap_status(
    items: Sequence[RoadmapItem], as_of: dt.date, window_days: int = DEFAULT_WINDOW_DAYS
) -> RoadmapStatusReport:
    """The status of every action at `as_of`; axes are summarised in order of first appearance."""
    _check_window(window_days)
    actions = tuple((item, action_status(item, as_of, window_days)) for item in items)
    per_axis: dict[str, list[RoadmapStatus]] = {}
    for item, status in actions:
        per_axis.setdefault(item.axis, []).append(status)
    return RoadmapStatusReport(
        as_of=as_of,
        window_days=window_days,
        actions=actions,
        by_axis={axis: summarise(statuses) for axis, statuses in per_axis.items()},
        overall=summarise(status for _, status in actions),
    )


# --- What needs attention: late and due-soon actions first, and the weekly digest per owner ---

NO_OWNER_LABEL = "Sans porteur désigné"
ATTENTION_STATUSES = (RoadmapStatus.EN_RETARD, RoadmapStatus.ECHEANCE_PROCHE)


def attention_order(statuses: Sequence[tuple[RoadmapItem, RoadmapStatus]]) -> list[int]:
    """Positions of `statuses` in display order: what needs attention first.

    Late actions first (the oldest due date first), then the actions due soon
    (the nearest due date first), then every other action in its input order.
    Ties keep the input order.
    """

    def key(position: int) -> tuple[int, dt.date, int]:
        item, status = statuses[position]
        if status in ATTENTION_STATUSES and item.due is not None:
            return (ATTENTION_STATUSES.index(status), item.due, position)
        return (len(ATTENTION_STATUSES), dt.date.min, position)

    return sorted(range(len(statuses)), key=key)


def week_monday(day: dt.date) -> dt.date:
    """The Monday of `day`'s week (`day` itself on a Monday): the digest's date."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class DigestEntry:
    """One late or due-soon action in an owner's digest.

    `position` is the action's index in the sequence given to `due_digest`, so
    a caller can find its own row (database id...) again; `days` is the due
    date minus `as_of`: negative when late (-3: three days late).
    """

    position: int
    item: RoadmapItem
    status: RoadmapStatus
    days: int


@dataclass(frozen=True)
class OwnerDigest:
    """The late and due-soon actions of one owner (None: actions without an owner)."""

    owner: str | None
    entries: tuple[DigestEntry, ...]

    @property
    def label(self) -> str:
        return self.owner if self.owner is not None else NO_OWNER_LABEL

    @property
    def late(self) -> int:
        return sum(entry.status is RoadmapStatus.EN_RETARD for entry in self.entries)

    @property
    def due_soon(self) -> int:
        return sum(entry.status is RoadmapStatus.ECHEANCE_PROCHE for entry in self.entries)


@dataclass(frozen=True)
class DueDigest:
    """The weekly list: late and due-soon actions at `as_of`, grouped by owner.

    An action with several owners appears under each of them; `late` and
    `due_soon` count actions once.
    """

    as_of: dt.date
    window_days: int
    owners: tuple[OwnerDigest, ...]
    late: int
    due_soon: int

    def counts(self) -> dict[str, int]:
        return {"late": self.late, "due_soon": self.due_soon, "owners": len(self.owners)}


def due_digest(
    items: Sequence[RoadmapItem], as_of: dt.date, window_days: int = DEFAULT_WINDOW_DAYS
) -> DueDigest:
    """Late actions and actions due within `window_days` of `as_of`, per owner.

    The statuses are `action_status`'s, so "due soon" means due between
    `as_of` and `as_of + window_days`, both included, and not done, abandoned
    or continuous. Owners come in alphabetical order (the actions without an
    owner last); within an owner, the order of `attention_order`.
    """
    _check_window(window_days)
    statuses = [(item, action_status(item, as_of, window_days)) for item in items]
    per_owner: dict[str | None, list[DigestEntry]] = {}
    late = due_soon = 0
    for position in attention_order(statuses):
        item, status = statuses[position]
        if status not in ATTENTION_STATUSES or item.due is None:
            continue
        late += status is RoadmapStatus.EN_RETARD
        due_soon += status is RoadmapStatus.ECHEANCE_PROCHE
        entry = DigestEntry(position, item, status, (item.due - as_of).days)
        for owner in dict.fromkeys(item.owners) or (None,):
            per_owner.setdefault(owner, []).append(entry)
    owners = sorted(per_owner, key=lambda owner: (owner is None, (owner or "").casefold()))
    return DueDigest(
        as_of=as_of,
        window_days=window_days,
        owners=tuple(OwnerDigest(owner, tuple(per_owner[owner])) for owner in owners),
        late=late,
        due_soon=due_soon,
    )
