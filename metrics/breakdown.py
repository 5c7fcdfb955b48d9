"""Break an indicator down by one dimension of the people or of their orientation.

An indicator first builds its *facts*: one row per counted person, with
`beneficiary_id` and the columns of its own measure (a bool for a rate,
the delay for a delay); `with_group` adds the `group` column for one
`Dimension`; the `*_cells` functions turn the groups into the breakdown
dict, fixed categories first in their usual order (zeros included), then
any unexpected value, then "inconnu" when someone has no known value.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import polars as pl

from metrics.categories import (
    AGE_BAND_LOWER_BOUNDS,
    AGE_BANDS,
    DOMINANTES,
    EDUCATION_LEVELS,
    FAMILY_SITUATIONS,
    ORGANISMES,
    SENIORITY_BANDS,
    SENIORITY_LOWER_BOUNDS,
    SEXES,
    UNKNOWN,
)
from metrics.frames import Frames
from metrics.periods import month_key_expr, months_between, years_completed_expr
from metrics.persons import POSITION, people_column
from metrics.population import first_rights_opening
from metrics.rounding import exact_mean, percentage
from metrics.stats import delay_summary


class Dimension(StrEnum):
    """What a breakdown groups by (the `by=` argument of the compute functions)."""

    AGE_BAND = "age_band"
    SEX = "sex"
    SITE = "site"
    ORGANISME = "organisme"
    DOMINANTE = "dominante"
    SENIORITY = "seniority"
    FAMILY_SITUATION = "family_situation"
    EDUCATION_LEVEL = "education_level"
    COHORTE = "cohorte"


DIMENSION_LABELS = {
    Dimension.AGE_BAND: "Tranche d'âge",
    Dimension.SEX: "Sexe",
    Dimension.SITE: "Site",
    Dimension.ORGANISME: "Organisme référent",
    Dimension.DOMINANTE: "Dominante",
    Dimension.SENIORITY: "Ancienneté dans le RSA",
    Dimension.FAMILY_SITUATION: "Situation familiale",
    Dimension.EDUCATION_LEVEL: "Niveau de formation",
    Dimension.COHORTE: "Mois d'entrée",
}
PEOPLE_DIMENSIONS = {
    Dimension.SEX: "sex",
    Dimension.SITE: "site",
    Dimension.FAMILY_SITUATION: "family_situation",
    Dimension.EDUCATION_LEVEL: "education_level",
}
FIXED_CATEGORIES: dict[Dimension, tuple[str, ...]] = {
    Dimension.AGE_BAND: AGE_BANDS,
    Dimension.SEX: SEXES,
    Dimension.SITE: (),
    Dimension.ORGANISME: ORGANISMES,
    Dimension.DOMINANTE: DOMINANTES,
    Dimension.SENIORITY: SENIORITY_BANDS,
    Dimension.FAMILY_SITUATION: FAMILY_SITUATIONS,
    Dimension.EDUCATION_LEVEL: EDUCATION_LEVELS,
}
# The facts column each dimension reads when it is not a people column.
FACT_COLUMNS = {
    Dimension.ORGANISME: "organisme",
    Dimension.DOMINANTE: "dominante",
    Dimension.COHORTE: "entry_on",
}


def check_dimension(by: object, allowed: frozenset[Dimension]) -> Dimension | None:
    """`by` as a Dimension (None stays None); ValueError when unknown or not allowed here."""
    if by is None:
        return None
    try:
        dimension = Dimension(by)
    except ValueError:
        names = ", ".join(item.value for item in Dimension)
        raise ValueError(f"Unknown breakdown dimension {by!r}; expected one of {names}.") from None
    if dimension not in allowed:
        raise ValueError(f"This indicator cannot be broken down by {dimension.value!r}.")
    return dimension


def _bands(value: pl.Expr, labels: tuple[str, ...], lower_bounds: tuple[int, ...]) -> pl.Expr:
    expr = pl.when(value.is_null()).then(pl.lit(UNKNOWN))
    for label, upper in zip(labels, lower_bounds, strict=False):
        expr = expr.when(value < upper).then(pl.lit(label))
    return expr.otherwise(pl.lit(labels[-1]))


def with_group(
    facts: pl.DataFrame,
    dimension: Dimension,
    frames: Frames,
    as_of: dt.date,
    cohort_column: str = "entry_on",
) -> pl.DataFrame:
    """`facts` with a `group` column (String, "inconnu" for a missing value).

    by="cohorte" groups by the month of `cohort_column` (the entry day of
    the entrant indicators; another indicator names the date it counts).
    organisme and dominante are the facts' own columns; the other dimensions
    are the person's (facts carry `pidx`, their position in the person index).
    """
    if dimension in FACT_COLUMNS:
        column = cohort_column if dimension is Dimension.COHORTE else FACT_COLUMNS[dimension]
        if column not in facts.columns:
            raise ValueError(f"These facts have no {column!r} column to group by.")
        if dimension is Dimension.COHORTE:
            return facts.with_columns(group=month_keys(facts[column]))
        return facts.with_columns(group=pl.col(column).fill_null(UNKNOWN))
    if POSITION not in facts.columns:
        raise ValueError(f"These facts have no {POSITION!r} column to group by.")
    labels = person_groups(frames, dimension, as_of)
    return facts.with_columns(group=labels.gather(facts[POSITION]))


def month_keys(days: pl.Series) -> pl.Series:
    """`month_key` of each day of `days` ("inconnu" for a null), as an Enum: the few
    distinct months are formatted once, not every row."""
    months = days.dt.month_start()
    starts = months.unique().drop_nulls().sort()
    keys = starts.to_frame().select(month_key_expr(pl.col(starts.name)))[starts.name]
    return months.replace_strict(
        starts, keys, default=UNKNOWN, return_dtype=pl.Enum([*keys.to_list(), UNKNOWN])
    ).alias("group")


def person_groups(frames: Frames, dimension: Dimension, as_of: dt.date) -> pl.Series:
    """Each person's group for a dimension of the people (not organisme, dominante,
    cohorte), aligned on the person index, as an Enum of the labels; memoised.

    age_band: as_of's year - birth_year; seniority: whole years at as_of since the
    earliest rights opening on or before as_of; "inconnu" when unknown.
    """
    if dimension is Dimension.SENIORITY:
        key: tuple = ("person_groups", dimension.value, as_of)
    elif dimension is Dimension.AGE_BAND:
        key = ("person_groups", dimension.value, as_of.year)
    else:
        key = ("person_groups", dimension.value)

    def build() -> pl.Series:
        if dimension is Dimension.SENIORITY:
            frame = pl.DataFrame([first_rights_opening(frames)])
            opened = pl.col("first_opened_on")
            years = years_completed_expr(pl.when(opened <= as_of).then(opened), as_of)
            group = _bands(years, SENIORITY_BANDS, SENIORITY_LOWER_BOUNDS)
        elif dimension is Dimension.AGE_BAND:
            frame = pl.DataFrame([people_column(frames, "birth_year")])
            age = pl.lit(as_of.year) - pl.col("birth_year")
            group = _bands(age, AGE_BANDS, AGE_BAND_LOWER_BOUNDS)
        else:
            column = PEOPLE_DIMENSIONS[dimension]
            frame = pl.DataFrame([people_column(frames, column)])
            group = pl.col(column).fill_null(UNKNOWN)
        labels = frame.select(group.cast(pl.String).alias("group"))["group"]
        # An Enum: gathered and grouped by its small integer codes.
        return labels.cast(pl.Enum(labels.unique().sort()))

    dated = dimension in (Dimension.SENIORITY, Dimension.AGE_BAND)
    return frames.derived(key, build, dated=dated)


def ordered_keys(dimension: Dimension, present: list[str], months: list[str]) -> list[str]:
    """Fixed categories (or the period's months), then other values, then "inconnu"."""
    fixed = list(months if dimension is Dimension.COHORTE else FIXED_CATEGORIES[dimension])
    others = sorted(key for key in set(present) if key not in fixed and key != UNKNOWN)
    tail = [UNKNOWN] if UNKNOWN in present else []
    return fixed + others + tail


def cohort_months(period_start: dt.date, period_end: dt.date) -> list[str]:
    """The cohort keys of a period (every month it touches)."""
    return months_between(period_start, period_end)


def rate_cells(
    facts: pl.DataFrame, numerator_column: str, dimension: Dimension, months: list[str]
) -> dict[str, dict[str, float | int | None]]:
    """{group: {"value", "numerator", "denominator"}} over denominator rows in `facts`."""
    counts = facts.group_by("group").agg(
        pl.len().alias("denominator"), pl.col(numerator_column).sum().alias("numerator")
    )
    by_group = {row["group"]: row for row in counts.iter_rows(named=True)}
    cells = {}
    for key in ordered_keys(dimension, list(by_group), months):
        row = by_group.get(key, {"numerator": 0, "denominator": 0})
        numerator, denominator = int(row["numerator"]), int(row["denominator"])
        cells[key] = {
            "value": percentage(numerator, denominator),
            "numerator": numerator,
            "denominator": denominator,
        }
    return cells


def count_cells(
    facts: pl.DataFrame, dimension: Dimension, months: list[str]
) -> dict[str, dict[str, int | None]]:
    """{group: {"value": n, "numerator": n, "denominator": None}}: people per group."""
    counts = dict(facts.group_by("group").agg(pl.len()).iter_rows())
    cells = {}
    for key in ordered_keys(dimension, list(counts), months):
        count = int(counts.get(key, 0))
        cells[key] = {"value": count, "numerator": count, "denominator": None}
    return cells


def delay_cells(
    facts: pl.DataFrame, delay_column: str, dimension: Dimension, months: list[str]
) -> dict[str, dict[str, float | int | None]]:
    """{group: {"value": median, "mean", "p75", "count"}} of the delays per group."""
    present = facts["group"].unique().to_list()
    cells = {}
    for key in ordered_keys(dimension, present, months):
        summary = delay_summary(facts.filter(pl.col("group") == key)[delay_column])
        cells[key] = {"value": summary.pop("median"), **summary}
    return cells


def mean_cells(
    facts: pl.DataFrame, count_column: str, dimension: Dimension, months: list[str]
) -> dict[str, dict[str, float | int | None]]:
    """{group: {"value": mean, "numerator": total, "denominator": rows}} of a count column."""
    sums = facts.group_by("group").agg(
        pl.col(count_column).sum().alias("total"), pl.len().alias("rows")
    )
    by_group = {row["group"]: row for row in sums.iter_rows(named=True)}
    cells = {}
    for key in ordered_keys(dimension, list(by_group), months):
        row = by_group.get(key, {"total": 0, "rows": 0})
        total, rows = int(row["total"]), int(row["rows"])
        cells[key] = {"value": exact_mean(total, rows), "numerator": total, "denominator": rows}
    return cells
