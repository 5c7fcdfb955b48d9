"""The COPIL funnel on tiny hand-made frames: each step, the path, disclosure.

Period: March 2024, seen at Tuesday 30/04/2024. The last complete week at
that date starts on Monday 22/04 (the week of 29/04 is not over).

    person  entry (D)  T0     what happens (dates 2024)
    1       04/03 Mon  01/03  invited 05/03, present 11/03, notified 14/03 (<= T0 + 14 = 15/03),
                              contract 20/03, 4 x 15 h weeks 04/03..25/03, job 15/04: every step
    2       10/03      08/03  appointment 20/03 with no invitation date (its day stands in),
                              absent; notified 10/04 (late), contract 12/04, job 20/04
    3       15/03      none   notified 22/03 (no T0: never "in 15 days"), 4 x 16 h weeks
                              01/04..22/04 (64 h)
    4       10/02      -      entered before the period: not in the cohort, whatever it did
    5       20/03      18/03  invited 01/03 and present 05/03 (before D), contract 19/03
                              (before D), a "jalon" invitation (not counted), notified 03/05
                              and job 02/05 (after as_of), 3 x 19.9 h complete weeks (59.7 h)
                              + a fourth in the unfinished week of 29/04: nothing but the entry
    6       25/03 Mon  25/03  cancelled orientation appointment invited 26/03 (still an
                              invitation), notified 08/04 = T0 + 14: in time
    7       27/03 Wed  -      40 h the week before the week of entry (18/03, not counted),
                              then 10 h x 3 (30 h): not intensive
    8       13/03 Wed  -      30 h in the week of entry (11/03, counted) + 10 h x 3 = 60 h
"""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.funnel import STEPS, disclose_funnel, path_funnel
from tests.metrics.builders import (
    appointment,
    contract,
    d,
    dates,
    hours,
    make_frames,
    orientation,
    outcome,
    person,
    rights,
)


def _weeks(beneficiary_id: int, mondays: list[str], amount: float) -> list[dict]:
    return [hours(beneficiary_id, monday, amount) for monday in mondays]


@pytest.fixture
def frames():
    return make_frames(
        people=[person(number) for number in range(1, 9)],
        rights_rows=[
            rights(1, t0="2024-03-01", start="2024-03-04"),
            rights(2, t0="2024-03-08", start="2024-03-10"),
            rights(3, start="2024-03-15"),
            rights(4, t0="2024-02-08", start="2024-02-10"),
            rights(5, t0="2024-03-18", start="2024-03-20"),
            rights(6, t0="2024-03-25", start="2024-03-25"),
            rights(7, start="2024-03-27"),
            rights(8, start="2024-03-13"),
        ],
        orientations=[
            orientation(1, "2024-03-12", "2024-03-14"),
            orientation(2, "2024-03-25", "2024-04-10"),
            orientation(3, "2024-03-20", "2024-03-22"),
            orientation(4, "2024-02-12", "2024-02-13"),
            orientation(5, "2024-03-21", "2024-05-03"),
            orientation(6, "2024-03-28", "2024-04-08"),
        ],
        appointments=[
            appointment(1, "2024-03-11", "present", kind="orientation", invited="2024-03-05"),
            appointment(2, "2024-03-20", "absent"),
            appointment(4, "2024-02-11", "present", kind="orientation", invited="2024-02-10"),
            appointment(5, "2024-03-05", "present", kind="orientation", invited="2024-03-01"),
            appointment(5, "2024-03-28", "planifie", kind="jalon", invited="2024-03-22"),
            appointment(6, "2024-04-02", "annule", kind="orientation", invited="2024-03-26"),
        ],
        contracts=[
            contract(1, "2024-03-20"),
            contract(2, "2024-04-12"),
            contract(4, "2024-02-20"),
            contract(5, "2024-03-19"),
        ],
        activity_hours=[
            *_weeks(1, ["2024-03-04", "2024-03-11", "2024-03-18", "2024-03-25"], 15),
            *_weeks(3, ["2024-04-01", "2024-04-08", "2024-04-15", "2024-04-22"], 16),
            *_weeks(4, ["2024-03-04", "2024-03-11", "2024-03-18", "2024-03-25"], 20),
            *_weeks(5, ["2024-04-08", "2024-04-15", "2024-04-22", "2024-04-29"], 19.9),
            hours(7, "2024-03-18", 40),
            *_weeks(7, ["2024-03-25", "2024-04-01", "2024-04-08"], 10),
            hours(8, "2024-03-11", 30),
            *_weeks(8, ["2024-03-18", "2024-03-25", "2024-04-01"], 10),
        ],
        outcomes=[
            outcome(1, "2024-04-15"),
            outcome(2, "2024-04-20", "CDD", 3),
            outcome(4, "2024-03-01"),
            outcome(5, "2024-05-02"),
        ],
    )


def _counts(funnel) -> dict[str, tuple[int | None, int | None]]:
    return {step.code: (step.count, step.reached) for step in funnel.steps}


def test_each_step_and_the_path(frames):
    funnel = path_funnel(frames, **dates("2024-03-01", "2024-03-31", "2024-04-30"))
    assert [step.code for step in funnel.steps] == [code for code, _ in STEPS]
    # reached: entrants 1,2,3,5,6,7,8 (4 entered in February); invited 1, 2 (day of the
    # appointment), 6 (cancelled); present 1; oriented 1, 2, 3, 6 (5 notified after
    # as_of); in 15 days 1 and 6 (on T0 + 14); contract 1, 2 (5 signed before D);
    # intensive 1, 3, 8 (5: 59.7 h; 7: 30 h once the week before entry is left out);
    # job 1, 2 (5 after as_of). The path keeps only person 1 after "present".
    assert _counts(funnel) == {
        "nouveaux_entrants": (7, 7),
        "invites": (3, 3),
        "presents": (1, 1),
        "orientes": (1, 4),
        "orientes_15j": (1, 2),
        "contrat": (1, 2),
        "intensif": (1, 3),
        "emploi": (1, 2),
    }
    # 3 invited out of 7 entrants: 42.857... -> 42.9 %.
    assert funnel.share(funnel.steps[1]) == 42.9
    assert funnel.as_of == d("2024-04-30")


def test_seen_earlier_only_what_was_known(frames):
    # At Tuesday 09/04: person 2 is not notified yet (10/04), has no contract (12/04) and no
    # job (20/04); nobody has a job. Last complete week: 01/04. Person 3 has one week of
    # 16 h (not intensive); persons 1 (window 04/03..25/03) and 8 (11/03..01/04) are.
    funnel = path_funnel(frames, **dates("2024-03-01", "2024-03-31", "2024-04-09"))
    assert _counts(funnel) == {
        "nouveaux_entrants": (7, 7),
        "invites": (3, 3),
        "presents": (1, 1),
        "orientes": (1, 3),
        "orientes_15j": (1, 2),
        "contrat": (1, 1),
        "intensif": (1, 2),
        "emploi": (0, 0),
    }


def test_path_counts_never_grow(frames):
    funnel = path_funnel(frames, **dates("2024-01-01", "2024-12-31", "2024-12-31"))
    counts = [step.count for step in funnel.steps]
    assert counts == sorted(counts, reverse=True)
    assert all(step.count <= step.reached for step in funnel.steps)


def test_disclosure_hides_small_counts_and_keeps_zero(frames):
    funnel = path_funnel(frames, **dates("2024-03-01", "2024-03-31", "2024-04-30"))
    shown = disclose_funnel(funnel, threshold=3)
    # Under 3 and positive: hidden. 3 and more: shown.
    assert _counts(shown) == {
        "nouveaux_entrants": (7, 7),
        "invites": (3, 3),
        "presents": (None, None),
        "orientes": (None, 4),
        "orientes_15j": (None, None),
        "contrat": (None, None),
        "intensif": (None, 3),
        "emploi": (None, None),
    }
    assert shown.steps[2].suppressed and not shown.steps[1].suppressed
    assert shown.share(shown.steps[2]) is None
    # May: no entrant at all; zero reveals no one and stays published.
    empty = disclose_funnel(
        path_funnel(frames, **dates("2024-05-01", "2024-05-31", "2024-05-31")), threshold=11
    )
    assert _counts(empty) == {code: (0, 0) for code, _ in STEPS}
    assert empty.share(empty.steps[1]) is None  # no entrant: no share


def test_a_hidden_first_step_hides_every_share(frames):
    shown = disclose_funnel(
        path_funnel(frames, **dates("2024-03-01", "2024-03-31", "2024-04-30")), threshold=11
    )
    # 7 entrants < 11: everything under them is under 11 too (nested counts).
    assert shown.entrants is None
    assert all(step.count is None or step.count == 0 for step in shown.steps)
    assert [shown.share(step) for step in shown.steps] == [None] * len(STEPS)


def test_bad_arguments():
    frames = make_frames()
    with pytest.raises(ValueError):
        path_funnel(frames, **dates("2024-04-01", "2024-03-31", "2024-04-30"))
    funnel = path_funnel(frames, **dates("2024-03-01", "2024-03-31", "2024-04-30"))
    with pytest.raises(ValueError):
        disclose_funnel(funnel, threshold=0)
    assert funnel.as_dict()["steps"][0] == {
        "code": "nouveaux_entrants",
        "label": "Nouveaux entrants",
        "count": 0,
        "reached": 0,
        "suppressed": False,
        "share": None,
    }
    assert funnel.as_dict()["as_of"] == dt.date(2024, 4, 30).isoformat()
