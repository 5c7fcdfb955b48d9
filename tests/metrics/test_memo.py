"""The memo of derived tables: built once per Frames, never mixed between two Frames or two
sets of arguments, emptied when a table is swapped, bounded.

Scenario (as_of 30/06/2024): people 1 and 2 subject to droits et devoirs since 01/01/2024.
In frames A only person 1 is oriented (01/02/2024): taux_orientation = 1 / 2 = 50.0 %.
In frames B both are (person 2 on 01/03/2024): 2 / 2 = 100.0 %.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import polars as pl

from metrics.frames import Frames
from metrics.memo import DATED_CAPACITY, LASTING_CAPACITY
from metrics.orientation import taux_orientes_15j
from metrics.params import Params
from metrics.persons import build_person_index, person_index
from metrics.registry import compute_all
from metrics.stock import taux_orientation
from tests.metrics.builders import d, dates, make_frames, orientation, person, rights

JUNE = dates("2024-06-01", "2024-06-30", "2024-06-30")


def _frames(oriented: list[int], offset: int = 0) -> Frames:
    return make_frames(
        people=[person(offset + 1), person(offset + 2)],
        rights_rows=[
            rights(offset + 1, start="2024-01-01"),
            rights(offset + 2, start="2024-01-01"),
        ],
        orientations=[
            orientation(offset + number, f"2024-0{number + 1}-01") for number in oriented
        ],
    )


def test_two_frames_never_share_a_memoised_table():
    frames_a, frames_b = _frames([1]), _frames([1, 2])
    assert taux_orientation(frames_a, **JUNE).value == 50.0
    assert taux_orientation(frames_b, **JUNE).value == 100.0
    assert taux_orientation(frames_a, **JUNE).value == 50.0


def test_a_second_call_gives_the_same_result():
    frames = _frames([1])
    first = taux_orientation(frames, **JUNE)
    second = taux_orientation(frames, **JUNE)
    assert first.as_dict() == second.as_dict()
    assert (second.numerator, second.denominator) == (1, 2)


def test_memoised_tables_depend_on_the_date():
    # On 15/02/2024 person 1 is oriented (01/02), person 2 not yet: 50.0 %; on 30/01/2024
    # nobody is: 0.0 %; back on 15/02 the first figure again.
    frames = _frames([1, 2])
    february = dates("2024-02-01", "2024-02-15", "2024-02-15")
    january = dates("2024-01-01", "2024-01-30", "2024-01-30")
    assert taux_orientation(frames, **february).value == 50.0
    assert taux_orientation(frames, **january).value == 0.0
    assert taux_orientation(frames, **february).value == 50.0


def test_memoised_tables_depend_on_the_parameters():
    # One new entrant: T0 01/03/2024, orientation notified on 20/03 (T0 + 19 days). Late for
    # the 15-day rule (deadline 15/03): 0.0 %; in time with orientation_days=30 (deadline
    # 30/03): 100.0 %; then 0.0 % again with the default.
    frames = make_frames(
        rights_rows=[rights(1, start="2024-03-01", t0="2024-03-01")],
        orientations=[orientation(1, "2024-03-10", "2024-03-20")],
    )
    march = dates("2024-03-01", "2024-03-31", "2024-04-30")
    assert taux_orientes_15j(frames, **march).value == 0.0
    assert taux_orientes_15j(frames, **march, params=Params(orientation_days=30)).value == 100.0
    assert taux_orientes_15j(frames, **march).value == 0.0


def test_a_swapped_table_empties_the_memo():
    # Frames are frozen, but should a table be replaced the memo must not serve the old one.
    frames = _frames([1])
    assert taux_orientation(frames, **JUNE).value == 50.0
    object.__setattr__(frames, "orientations", _frames([1, 2]).orientations)
    assert taux_orientation(frames, **JUNE).value == 100.0


def test_the_memo_is_bounded():
    frames = _frames([1, 2])
    for day in range(200):
        as_of = dt.date(2024, 1, 1) + dt.timedelta(days=day)
        taux_orientation(frames, period_start=as_of, period_end=as_of, as_of=as_of)
    assert len(frames._memo) <= LASTING_CAPACITY + DATED_CAPACITY


def test_results_do_not_depend_on_what_was_computed_before():
    # Every indicator, computed on a Frames whose memo already holds other dates, equals the
    # same computation on a fresh Frames of the same tables.
    used = _frames([1, 2])
    for as_of in ("2024-02-15", "2024-03-31", "2024-06-30"):
        compute_all(used, d("2024-01-01"), d(as_of), d(as_of))
    fresh = _frames([1, 2])
    args = (d("2024-01-01"), d("2024-05-31"), d("2024-05-31"))
    assert [result.as_dict() for result in compute_all(used, *args)] == [
        result.as_dict() for result in compute_all(fresh, *args)
    ]


def test_far_apart_ids_are_indexed_like_close_ones():
    # Ids 1 and 10^12 span too many values for a direct rank table (the index searches
    # instead); ids 1 and 2 get one. Same scenario, same figure: 50.0 %.
    far = 10**12
    frames = make_frames(
        people=[person(1), person(far)],
        rights_rows=[rights(1, start="2024-01-01"), rights(far, start="2024-01-01")],
        orientations=[orientation(far, "2024-02-01")],
    )
    assert person_index(frames).ranks is None
    assert person_index(_frames([1])).ranks is not None
    assert taux_orientation(frames, **JUNE).value == 50.0


def test_the_person_index_numbers_ids_in_order():
    # Ids 9, 3, 5, 3 and 12: sorted distinct 3, 5, 9, 12 at positions 0 to 3.
    for extra in (12, 10**12):
        index = build_person_index(
            [pl.Series([9, 3, 5, 3], dtype=pl.Int64), pl.Series([extra], dtype=pl.Int64)]
        )
        assert index.ids.to_list() == [3, 5, 9, extra]
        assert index.positions(pl.Series([extra, 3, 9, 5])).to_list() == [3, 0, 2, 1]
    assert build_person_index([]).size == 0


def test_a_pickled_or_copied_frames_starts_with_an_empty_memo():
    frames = _frames([1])
    assert taux_orientation(frames, **JUNE).value == 50.0
    for twin in (pickle.loads(pickle.dumps(frames)), copy.deepcopy(frames), copy.copy(frames)):
        assert len(twin._memo) == 0
        assert twin.people.equals(frames.people)
        assert taux_orientation(twin, **JUNE).value == 50.0


def test_dated_entries_are_bounded_in_bytes_not_only_in_number(monkeypatch):
    import metrics.memo as memo_module

    frames = _frames([1, 2])
    memo = frames._memo
    # A 1,000,000-row Int64 table weighs 8,000,000 bytes (8 bytes a value).
    big = pl.DataFrame({"x": pl.Series(range(1_000_000), dtype=pl.Int64)})
    assert memo_module.estimated_bytes(big) == 8_000_000
    # Inside a tuple: the table plus the nominal 1,024 bytes of the tuple itself.
    assert memo_module.estimated_bytes((big, 3)) == 8_000_000 + memo_module.SMALL_VALUE_BYTES
    monkeypatch.setattr(memo_module, "DATED_BUDGET_BYTES", 20_000_000)
    for number in range(5):
        frames.derived(("big", number), lambda: big, dated=True)
    # 2 tables = 16 MB fit in 20 MB, a third does not: only the 2 newest stay.
    assert [key for key in memo._dated] == [("big", 3), ("big", 4)]
    assert memo.dated_bytes == 16_000_000
    # Small values are not pushed out by number below DATED_CAPACITY: 100 of them all stay
    # (100 KiB), with at most the two big tables evicted to make room.
    for number in range(100):
        frames.derived(("small", number), lambda n=number: n, dated=True)
    assert sum(1 for key in memo._dated if key[0] == "small") == 100
    assert memo.dated_bytes <= 20_000_000
