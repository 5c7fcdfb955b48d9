"""The input tables of the indicators: column schemas and their validation.

Each table is a polars DataFrame with at least the columns below (extra
columns are ignored). Dates are `pl.Date`; date-times `pl.Datetime` of any
time unit without time zone (local time, cast to microseconds); identifiers
and years any integer type (cast to Int64); categories `pl.String` (or
Categorical / Enum, cast to String). A nullable column may also arrive as `pl.Null` (a
column built from Python lists that are all None). A wrong frame is a
programmer error: `ValueError`, in English.

people (one row per beneficiary; `beneficiary.*` and its site's name)
    beneficiary_id int, birth_year int|null, sex str|null ("F"/"M"),
    site str|null, family_situation str|null, education_level str|null
rights (one row per `rights_period`)
    beneficiary_id int, rights_opened_on date|null,
    notification_received_on date|null (T0), duties_start_on date|null,
    duties_end_on date|null (last day subject, included),
    exit_on date|null (first day out of the RSA)
orientations (one row per `orientation`)
    beneficiary_id int, decided_on date, notified_on date|null,
    dominante str (emploi / socio_professionnel / social),
    organisme str (FT / CD / ML / CAP_EMPLOI / MSA / CCAS / OTHER),
    referent_id int|null, is_reorientation bool
appointments (one row per `appointment`; optional, empty by default)
    beneficiary_id int, kind str (orientation / accompagnement / jalon),
    invited_on date|null, scheduled_at datetime,
    status str (planifie / present / absent / excuse / annule),
    reminder_on date|null, referent_id int|null
contracts (one row per `contract` of engagement; optional, empty by default)
    beneficiary_id int, kind str (CER / PPAE / CE / CEJ), signed_on date,
    ended_on date|null
referents (one row per `referent`; optional, empty by default)
    referent_id int, organisme str, site str|null, portfolio_target int
activity_hours (one row per `activity_hours`; optional, empty by default)
    beneficiary_id int, week_start date (a Monday), hours float (an integer
    column is accepted and cast)
outcomes (one row per `employment_outcome`; optional, empty by default)
    beneficiary_id int, started_on date, contract_type str (CDI / CDD /
    interim / creation / IAE / alternance / autre), duration_months
    float|null, durable bool
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

import polars as pl

from metrics.memo import Memo

T = TypeVar("T")

PEOPLE_SCHEMA: dict[str, pl.DataType] = {
    "beneficiary_id": pl.Int64(),
    "birth_year": pl.Int64(),
    "sex": pl.String(),
    "site": pl.String(),
    "family_situation": pl.String(),
    "education_level": pl.String(),
}
RIGHTS_SCHEMA: dict[str, pl.DataType] = {
    "beneficiary_id": pl.Int64(),
    "rights_opened_on": pl.Date(),
    "notification_received_on": pl.Date(),
    "duties_start_on": pl.Date(),
    "duties_end_on": pl.Date(),
    "exit_on": pl.Date(),
}
ORIENTATIONS_SCHEMA: dict[str, pl.DataType] = {
    "beneficiary_id": pl.Int64(),
    "decided_on": pl.Date(),
    "notified_on": pl.Date(),
    "dominante": pl.String(),
    "organisme": pl.String(),
    "referent_id": pl.Int64(),
    "is_reorientation": pl.Boolean(),
}
APPOINTMENTS_SCHEMA: dict[str, pl.DataType] = {
    "beneficiary_id": pl.Int64(),
    "kind": pl.String(),
    "invited_on": pl.Date(),
    "scheduled_at": pl.Datetime("us"),
    "status": pl.String(),
    "reminder_on": pl.Date(),
    "referent_id": pl.Int64(),
}
CONTRACTS_SCHEMA: dict[str, pl.DataType] = {
    "beneficiary_id": pl.Int64(),
    "kind": pl.String(),
    "signed_on": pl.Date(),
    "ended_on": pl.Date(),
}
REFERENTS_SCHEMA: dict[str, pl.DataType] = {
    "referent_id": pl.Int64(),
    "organisme": pl.String(),
    "site": pl.String(),
    "portfolio_target": pl.Int64(),
}
ACTIVITY_HOURS_SCHEMA: dict[str, pl.DataType] = {
    "beneficiary_id": pl.Int64(),
    "week_start": pl.Date(),
    "hours": pl.Float64(),
}
OUTCOMES_SCHEMA: dict[str, pl.DataType] = {
    "beneficiary_id": pl.Int64(),
    "started_on": pl.Date(),
    "contract_type": pl.String(),
    "duration_months": pl.Float64(),
    "durable": pl.Boolean(),
}
# Columns that must hold a value on every row.
REQUIRED: dict[str, frozenset[str]] = {
    "people": frozenset({"beneficiary_id"}),
    "rights": frozenset({"beneficiary_id"}),
    "orientations": frozenset(
        {"beneficiary_id", "decided_on", "dominante", "organisme", "is_reorientation"}
    ),
    "appointments": frozenset({"beneficiary_id", "kind", "scheduled_at", "status"}),
    "contracts": frozenset({"beneficiary_id", "kind", "signed_on"}),
    "referents": frozenset({"referent_id", "organisme", "portfolio_target"}),
    "activity_hours": frozenset({"beneficiary_id", "week_start", "hours"}),
    "outcomes": frozenset({"beneficiary_id", "started_on", "contract_type", "durable"}),
}


def _accepts(actual: pl.DataType, expected: pl.DataType, nullable: bool) -> bool:
    if nullable and actual == pl.Null:
        return True
    if expected == pl.Int64:
        return actual.is_integer()
    if expected == pl.Float64:
        return actual.is_float() or actual.is_integer()
    if expected == pl.String:
        return actual == pl.String or isinstance(actual, pl.Categorical | pl.Enum)
    if isinstance(expected, pl.Datetime):
        return isinstance(actual, pl.Datetime) and actual.time_zone is None
    return actual == expected


def check_frame(
    name: str, frame: object, schema: dict[str, pl.DataType], required: frozenset[str]
) -> pl.DataFrame:
    """`frame` reduced to `schema`'s columns, cast to their canonical types.

    Raises ValueError naming the table and the columns when a column is
    missing, has an unusable type, or holds nulls where a value is required.
    """
    if not isinstance(frame, pl.DataFrame):
        raise ValueError(f"{name} must be a polars DataFrame, got {type(frame).__name__}.")
    missing = [column for column in schema if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s): {', '.join(missing)}.")
    wrong = [
        f"{column} ({frame.schema[column]}, expected {expected})"
        for column, expected in schema.items()
        if not _accepts(frame.schema[column], expected, column not in required)
    ]
    if wrong:
        raise ValueError(f"{name} has column(s) of the wrong type: {', '.join(wrong)}.")
    nulls = [column for column in sorted(required) if frame[column].null_count() > 0]
    if nulls:
        raise ValueError(f"{name} has null values in required column(s): {', '.join(nulls)}.")
    return frame.select(pl.col(column).cast(dtype) for column, dtype in schema.items())


def check_people(frame: object) -> pl.DataFrame:
    """The validated `people` table; one row per beneficiary_id."""
    people = check_frame("people", frame, PEOPLE_SCHEMA, REQUIRED["people"])
    if people["beneficiary_id"].is_duplicated().any():
        raise ValueError("people has several rows for the same beneficiary_id.")
    return people


def check_rights(frame: object) -> pl.DataFrame:
    """The validated `rights` table."""
    return check_frame("rights", frame, RIGHTS_SCHEMA, REQUIRED["rights"])


def check_orientations(frame: object) -> pl.DataFrame:
    """The validated `orientations` table."""
    return check_frame("orientations", frame, ORIENTATIONS_SCHEMA, REQUIRED["orientations"])


def check_appointments(frame: object) -> pl.DataFrame:
    """The validated `appointments` table."""
    return check_frame("appointments", frame, APPOINTMENTS_SCHEMA, REQUIRED["appointments"])


def check_contracts(frame: object) -> pl.DataFrame:
    """The validated `contracts` table."""
    return check_frame("contracts", frame, CONTRACTS_SCHEMA, REQUIRED["contracts"])


def check_referents(frame: object) -> pl.DataFrame:
    """The validated `referents` table; one row per referent_id."""
    referents = check_frame("referents", frame, REFERENTS_SCHEMA, REQUIRED["referents"])
    if referents["referent_id"].is_duplicated().any():
        raise ValueError("referents has several rows for the same referent_id.")
    return referents


def check_activity_hours(frame: object) -> pl.DataFrame:
    """The validated `activity_hours` table; every week_start is a Monday."""
    hours = check_frame("activity_hours", frame, ACTIVITY_HOURS_SCHEMA, REQUIRED["activity_hours"])
    if (hours["week_start"].dt.weekday() != 1).any():
        raise ValueError("activity_hours has a week_start that is not a Monday.")
    return hours


def check_outcomes(frame: object) -> pl.DataFrame:
    """The validated `outcomes` table (returns to employment)."""
    return check_frame("outcomes", frame, OUTCOMES_SCHEMA, REQUIRED["outcomes"])


def empty_frame(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A frame with `schema`'s columns and no rows."""
    return pl.DataFrame(schema=schema)


TABLE_NAMES = (
    "people",
    "rights",
    "orientations",
    "appointments",
    "contracts",
    "referents",
    "activity_hours",
    "outcomes",
)


@dataclass(frozen=True)
class Frames:
    """The input tables, validated and normalised on construction.

    people, rights and orientations are required; appointments, contracts,
    referents, activity_hours and outcomes are optional (empty when not given).
    Each instance carries the memo of the tables derived from it (`derived`).
    """

    people: pl.DataFrame
    rights: pl.DataFrame
    orientations: pl.DataFrame
    appointments: pl.DataFrame = field(default_factory=lambda: empty_frame(APPOINTMENTS_SCHEMA))
    contracts: pl.DataFrame = field(default_factory=lambda: empty_frame(CONTRACTS_SCHEMA))
    referents: pl.DataFrame = field(default_factory=lambda: empty_frame(REFERENTS_SCHEMA))
    activity_hours: pl.DataFrame = field(default_factory=lambda: empty_frame(ACTIVITY_HOURS_SCHEMA))
    outcomes: pl.DataFrame = field(default_factory=lambda: empty_frame(OUTCOMES_SCHEMA))

    def __post_init__(self) -> None:
        object.__setattr__(self, "people", check_people(self.people))
        object.__setattr__(self, "rights", check_rights(self.rights))
        object.__setattr__(self, "orientations", check_orientations(self.orientations))
        object.__setattr__(self, "appointments", check_appointments(self.appointments))
        object.__setattr__(self, "contracts", check_contracts(self.contracts))
        object.__setattr__(self, "referents", check_referents(self.referents))
        object.__setattr__(self, "activity_hours", check_activity_hours(self.activity_hours))
        object.__setattr__(self, "outcomes", check_outcomes(self.outcomes))
        object.__setattr__(self, "_memo", Memo(self._tables()))

    def __getstate__(self) -> dict[str, object]:
        # The memo (and its lock) stays behind: a copy or an unpickled Frames starts empty.
        return {name: getattr(self, name) for name in TABLE_NAMES}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name in TABLE_NAMES:
            object.__setattr__(self, name, state[name])
        object.__setattr__(self, "_memo", Memo(self._tables()))

    def _tables(self) -> tuple[pl.DataFrame, ...]:
        return tuple(getattr(self, name) for name in TABLE_NAMES)

    def derived(self, key: Hashable, build: Callable[[], T], *, dated: bool = False) -> T:
        """`build()`, computed once for `key` on these tables (see metrics.memo).

        `key` names the derived table and every argument it depends on;
        `dated` marks a table that depends on a date (its own, smaller
        budget of memo entries). The value is shared: never mutate it.
        """
        return self._memo.get(key, build, self._tables(), dated)

    @classmethod
    def empty(cls) -> Frames:
        """Frames with no rows (a territory before its first import)."""
        return cls(
            people=empty_frame(PEOPLE_SCHEMA),
            rights=empty_frame(RIGHTS_SCHEMA),
            orientations=empty_frame(ORIENTATIONS_SCHEMA),
        )
