"""Every beneficiary of a `Frames` numbered in beneficiary_id order, and per-person columns.

The person index lists the distinct beneficiary_ids found in any table,
sorted; a person's *position* is their rank in it (column `pidx` of the
derived tables). A per-person fact held as a column *aligned* on the index
(row i = the person at position i) combines with another by position
(`gather`) instead of a join; a set of people is a boolean mask or a sorted
Series of positions. Everything here is derived once per `Frames`
(see `Frames.derived`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from metrics.frames import Frames

POSITION = "pidx"
POSITION_TYPE = pl.UInt32
# The tables whose rows name a beneficiary (referents do not).
PERSON_TABLES = (
    "people",
    "rights",
    "orientations",
    "appointments",
    "contracts",
    "activity_hours",
    "outcomes",
)


# Ids spread over at most this many values (or 16 per person) get a direct rank table.
DIRECT_SPAN = 1 << 22


@dataclass(frozen=True)
class PersonIndex:
    """The sorted distinct beneficiary_ids of a `Frames` (`ids`, Int64).

    When the ids span a range small enough, `ranks` holds, for each id - `lowest`,
    its position (a gather finds positions); otherwise positions are searched in
    `ids`.
    """

    ids: pl.Series
    lowest: int = 0
    ranks: pl.Series | None = None

    @property
    def size(self) -> int:
        return self.ids.len()

    def positions(self, beneficiary_ids: pl.Series) -> pl.Series:
        """The positions of `beneficiary_ids`, every one of them in the index."""
        if self.ranks is None:
            return self.ids.search_sorted(beneficiary_ids, side="left").alias(POSITION)
        offsets = (beneficiary_ids - self.lowest).cast(POSITION_TYPE)
        return self.ranks.gather(offsets).alias(POSITION)

    def mask(self, positions: pl.Series) -> pl.Series:
        """An aligned Boolean column, true at `positions`."""
        empty = pl.repeat(False, self.size, dtype=pl.Boolean, eager=True)
        return empty.scatter(positions, True)

    def aligned(self, positions: pl.Series, values: pl.Series) -> pl.Series:
        """An aligned column holding `values` at `positions` (distinct), null elsewhere."""
        empty = pl.repeat(None, self.size, dtype=values.dtype, eager=True)
        return empty.scatter(positions, values).alias(values.name)


def build_person_index(id_columns: list[pl.Series]) -> PersonIndex:
    """The `PersonIndex` of the ids found in `id_columns` (Int64 Series)."""
    present = [column for column in id_columns if column.len()]
    if not present:
        return PersonIndex(pl.Series("beneficiary_id", [], dtype=pl.Int64))
    lowest = min(int(column.min()) for column in present)  # type: ignore[arg-type]
    span = max(int(column.max()) for column in present) - lowest + 1  # type: ignore[arg-type]
    if span > max(DIRECT_SPAN, 16 * sum(column.len() for column in present)):
        ids = pl.concat([column.unique() for column in present]).unique().sort()
        return PersonIndex(ids.alias("beneficiary_id"))
    seen = pl.repeat(False, span, dtype=pl.Boolean, eager=True)
    for column in present:
        seen.scatter((column - lowest).cast(POSITION_TYPE), True)
    ranks = seen.cast(POSITION_TYPE).cum_sum() - 1
    ids = (seen.arg_true().cast(pl.Int64) + lowest).alias("beneficiary_id")
    return PersonIndex(ids, lowest, ranks)


def person_index(frames: Frames) -> PersonIndex:
    """The person index of `frames` (memoised)."""

    def build() -> PersonIndex:
        ids = [
            getattr(frames, name).get_column("beneficiary_id")
            for name in PERSON_TABLES
            if name != "activity_hours"
        ]
        ids.append(activity_people(frames).get_column("beneficiary_id"))
        return build_person_index(ids)

    return frames.derived(("person_index",), build)


def activity_people(frames: Frames) -> pl.DataFrame:
    """One row per person in activity_hours: beneficiary_id and first_active_week, the
    earliest week_start with hours > 0 (null when none); memoised."""

    def build() -> pl.DataFrame:
        active_week = pl.when(pl.col("hours") > 0).then(pl.col("week_start"))
        return (
            frames.activity_hours.lazy()
            .group_by("beneficiary_id")
            .agg(active_week.min().alias("first_active_week"))
            .collect()
        )

    return frames.derived(("activity_people",), build)


def with_positions(frames: Frames, table: str) -> pl.DataFrame:
    """`frames.<table>` with the `pidx` of each row's beneficiary (rows in order)."""
    frame = getattr(frames, table)
    return frame.with_columns(person_index(frames).positions(frame["beneficiary_id"]))


def first_per_person(frame: pl.DataFrame, key: str = POSITION) -> pl.DataFrame:
    """The first row of each person of `frame`, whose rows are grouped by `key` (pidx or
    beneficiary_id)."""
    person = pl.col(key)
    return frame.filter(person.ne_missing(person.shift(1)))


def people_column(frames: Frames, column: str) -> pl.Series:
    """`people.<column>` aligned on the person index (null for someone not in `people`)."""

    def build() -> pl.Series:
        people = with_positions(frames, "people")
        return person_index(frames).aligned(people[POSITION], people[column])

    return frames.derived(("people_column", column), build)


@dataclass(frozen=True)
class Blocks:
    """Where each person's rows sit in a table sorted by `pidx`: `first` row (null when the
    person has none) and `count`, both aligned on the person index."""

    first: pl.Series
    count: pl.Series

    def expand(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` (with `pidx`) repeated once per row of its person, that row's number in
        column `row`; people without rows are dropped."""
        first = self.first.gather(frame[POSITION])
        count = self.count.gather(frame[POSITION])
        return (
            frame.with_columns(_first=first, _count=count)
            .filter(pl.col("_first").is_not_null())
            .with_columns(
                row=pl.int_ranges(
                    pl.col("_first"), pl.col("_first") + pl.col("_count"), dtype=POSITION_TYPE
                )
            )
            .drop("_first", "_count")
            .explode("row")
        )


def blocks(index: PersonIndex, positions: pl.Series) -> Blocks:
    """The `Blocks` of a table whose sorted `pidx` column is `positions`."""
    runs = positions.rle().struct.unnest()
    counts = runs["len"].cast(POSITION_TYPE)
    firsts = (counts.cum_sum() - counts).cast(POSITION_TYPE).alias("first")
    people = runs["value"]
    zero = pl.repeat(0, index.size, dtype=POSITION_TYPE, eager=True)
    return Blocks(
        first=index.aligned(people, firsts),
        count=zero.scatter(people, counts).alias("count"),
    )
