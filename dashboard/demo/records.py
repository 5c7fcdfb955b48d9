"""Plain, frozen records of the demo territory, database-free.

Each record mirrors the columns of one model of `dashboard.models` without
database ids: a beneficiary is referenced by its position in
`DemoData.beneficiaries` (`beneficiary_index`), a site by its name (`site`)
and a referent by its code (`referent`). No record carries a name, a NIR or
a CAF/MSA number: a person only has a pseudonym (64 hex characters).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from dashboard.models import (
    AppointmentKind,
    AppointmentStatus,
    ContractKind,
    Dominante,
    EducationLevel,
    EmploymentContractType,
    ExitReason,
    FamilySituation,
    Organisme,
    Payer,
    RoadmapProgress,
    Sex,
    SiteKind,
)


@dataclass(frozen=True, slots=True)
class SiteRecord:
    """A `Site`; `name` is its natural key inside the territory."""

    name: str
    kind: SiteKind


@dataclass(frozen=True, slots=True)
class ReferentRecord:
    """A `Referent`, known by its code; `site` is a `SiteRecord.name`."""

    code: str
    organisme: Organisme
    site: str | None
    portfolio_target: int


@dataclass(frozen=True, slots=True)
class BeneficiaryRecord:
    """A `Beneficiary`: a pseudonym and the description used to break indicators down."""

    pseudonym: str
    birth_year: int
    sex: Sex
    family_situation: FamilySituation | None
    education_level: EducationLevel | None
    payer: Payer
    site: str | None


@dataclass(frozen=True, slots=True)
class RightsPeriodRecord:
    """A `RightsPeriod`: rights opening, T0, droits et devoirs and exit."""

    beneficiary_index: int
    rights_opened_on: dt.date
    notification_received_on: dt.date | None
    scheme_entry_on: dt.date | None
    duties_start_on: dt.date | None
    duties_end_on: dt.date | None
    exit_on: dt.date | None
    exit_reason: ExitReason | None


@dataclass(frozen=True, slots=True)
class OrientationRecord:
    """An `Orientation`; `referent` is a `ReferentRecord.code`."""

    beneficiary_index: int
    decided_on: dt.date
    notified_on: dt.date | None
    dominante: Dominante
    organisme: Organisme
    referent: str | None
    is_reorientation: bool


@dataclass(frozen=True, slots=True)
class AppointmentRecord:
    """An `Appointment` (orientation, first accompaniment or milestone interview)."""

    beneficiary_index: int
    kind: AppointmentKind
    invited_on: dt.date | None
    scheduled_at: dt.datetime
    status: AppointmentStatus
    reminder_on: dt.date | None
    site: str | None
    referent: str | None


@dataclass(frozen=True, slots=True)
class ContractRecord:
    """A `Contract` of engagement (CER, PPAE, CEJ, CE from 2025)."""

    beneficiary_index: int
    kind: ContractKind
    signed_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ActivityHoursRecord:
    """An `ActivityHours` row: hours of activity in the week starting on Monday `week_start`."""

    beneficiary_index: int
    week_start: dt.date
    hours: float


@dataclass(frozen=True, slots=True)
class EmploymentOutcomeRecord:
    """An `EmploymentOutcome`: a return to employment."""

    beneficiary_index: int
    started_on: dt.date
    contract_type: EmploymentContractType
    duration_months: float | None
    durable: bool


@dataclass(frozen=True, slots=True)
class IndicatorTargetRecord:
    """An `IndicatorTarget`: one point of a trajectory (the first one carries the baseline)."""

    indicator_code: str
    period_start: dt.date
    period_end: dt.date
    target_value: float
    baseline_value: float | None


@dataclass(frozen=True, slots=True)
class RoadmapActionRecord:
    """A `RoadmapAction`; `start_on` / `due_on` are only set for explicit dates."""

    axis: str
    operational_target: str
    action: str
    owners: tuple[str, ...]
    deadline_text: str | None
    start_on: dt.date | None
    due_on: dt.date | None
    continuous: bool
    milestones: tuple[str, ...]
    follow_up_indicator: str | None
    progress: RoadmapProgress | None
    comment: str | None


@dataclass(frozen=True)
class DemoData:
    """Everything `generate_demo` produces: one list of records per table.

    `size`, `seed`, `end` are the generation arguments; `pilot_start` is the
    first day of the 24 months of history (24 months before `end`, plus one day).
    """

    size: int
    seed: int
    end: dt.date
    pilot_start: dt.date
    sites: list[SiteRecord]
    referents: list[ReferentRecord]
    beneficiaries: list[BeneficiaryRecord]
    rights_periods: list[RightsPeriodRecord]
    orientations: list[OrientationRecord]
    appointments: list[AppointmentRecord]
    contracts: list[ContractRecord]
    activity_hours: list[ActivityHoursRecord]
    employment_outcomes: list[EmploymentOutcomeRecord]
    indicator_targets: list[IndicatorTargetRecord]
    roadmap_actions: list[RoadmapActionRecord]

    def counts(self) -> dict[str, int]:
        """Number of records per table name (the keys `load_demo` returns)."""
        return {table: len(getattr(self, attr)) for attr, table in TABLE_OF_FIELD.items()}

    def record_lists(self) -> dict[str, list]:
        """The record lists by `DemoData` field name, in loading order."""
        return {name: getattr(self, name) for name in TABLE_OF_FIELD}


# DemoData field -> table name, in an order that respects foreign keys.
TABLE_OF_FIELD: dict[str, str] = {
    "sites": "site",
    "referents": "referent",
    "beneficiaries": "beneficiary",
    "rights_periods": "rights_period",
    "orientations": "orientation",
    "appointments": "appointment",
    "contracts": "contract",
    "activity_hours": "activity_hours",
    "employment_outcomes": "employment_outcome",
    "indicator_targets": "indicator_target",
    "roadmap_actions": "roadmap_action",
}


def record_field_names(record_type: type) -> tuple[str, ...]:
    """Field names of a record class (used by the loader and the tests)."""
    return tuple(field.name for field in fields(record_type))
