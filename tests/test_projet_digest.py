"""The weekly digest per owner and the attention order (metrics/roadmap_status.py), by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.roadmap_status import (
    NO_OWNER_LABEL,
    RoadmapItem,
    RoadmapStatus,
    action_status,
    attention_order,
    due_digest,
    week_monday,
)

AS_OF = dt.date(2024, 7, 1)  # a Monday


def item(name: str, owners=(), due=None, **fields) -> RoadmapItem:
    return RoadmapItem(axis="Axe", target="", action=name, owners=tuple(owners), due=due, **fields)


# At 01/07/2024, window 14 days (due soon: 01/07 to 15/07 included):
ITEMS = [
    item("A", ("CD", "FT"), dt.date(2024, 6, 20), progress="en_cours"),  # late, -11 days
    item("B", ("FT",), dt.date(2024, 7, 15)),  # due soon, +14 (last day of the window)
    item("C", ("CD",), dt.date(2024, 7, 16)),  # +15: à venir, out of the digest
    item("D", (), dt.date(2024, 6, 30)),  # late, -1, no owner
    item("E", ("CD",), dt.date(2024, 5, 31), progress="realise"),  # done: out
    item("F", ("ML",), dt.date(2024, 6, 1), continuous=True),  # continuous: out
    item("G", ("CD",), dt.date(2024, 7, 1)),  # due on as_of: due soon, 0 days
    item("H", ("FT",), dt.date(2024, 6, 1), progress="abandonne"),  # abandoned: out
    item("I", ("ETAT",)),  # no date: à préciser, out
    item("J", ("CD",), dt.date(2024, 6, 1)),  # late, -30 days
]


def test_digest_groups_late_and_due_soon_actions_by_owner():
    digest = due_digest(ITEMS, AS_OF)
    # Late: A, D, J (3 actions); due soon: B, G (2). ML (F only) and ETAT (I only) have none.
    assert (digest.late, digest.due_soon) == (3, 2)
    # Owners alphabetically, the actions without owner last.
    assert [owner.owner for owner in digest.owners] == ["CD", "FT", None]
    cd, ft, nobody = digest.owners
    # CD: late J (due 01/06) before late A (20/06), then due-soon G.
    assert [(e.item.action, e.status, e.days) for e in cd.entries] == [
        ("J", RoadmapStatus.EN_RETARD, -30),
        ("A", RoadmapStatus.EN_RETARD, -11),
        ("G", RoadmapStatus.ECHEANCE_PROCHE, 0),
    ]
    assert (cd.late, cd.due_soon) == (2, 1)
    # FT: A (late, shared with CD) then B (+14); H is abandoned.
    assert [(e.item.action, e.days) for e in ft.entries] == [("A", -11), ("B", 14)]
    assert [e.item.action for e in nobody.entries] == ["D"]
    assert nobody.label == NO_OWNER_LABEL
    # `position` points back into the input: J is ITEMS[9].
    assert cd.entries[0].position == 9
    assert digest.counts() == {"late": 3, "due_soon": 2, "owners": 3}


def test_the_window_is_a_parameter():
    # 15 days: C (+15) joins CD's due-soon actions, after G (0).
    digest = due_digest(ITEMS, AS_OF, window_days=15)
    assert (digest.late, digest.due_soon) == (3, 3)
    assert [e.item.action for e in digest.owners[0].entries] == ["J", "A", "G", "C"]
    # 0 days: only what is due on as_of itself (G) is due soon; B (+14) is not.
    assert due_digest(ITEMS, AS_OF, window_days=0).due_soon == 1
    with pytest.raises(ValueError):
        due_digest(ITEMS, AS_OF, window_days=-1)


def test_empty_roadmap_gives_an_empty_digest():
    digest = due_digest([], AS_OF)
    assert (digest.owners, digest.late, digest.due_soon) == ((), 0, 0)


def test_owners_sort_without_case_and_appear_once_per_action():
    items = [
        item("x", ("beta", "CD"), dt.date(2024, 6, 1)),
        item("y", ("Alpha", "Alpha"), dt.date(2024, 6, 2)),
    ]
    digest = due_digest(items, AS_OF)
    # casefold order: alpha < beta < cd; "Alpha" listed twice in the cell counts once.
    assert [owner.owner for owner in digest.owners] == ["Alpha", "beta", "CD"]
    assert [e.item.action for e in digest.owners[0].entries] == ["y"]


def test_attention_order_puts_late_then_due_soon_first():
    statuses = [(it, action_status(it, AS_OF)) for it in ITEMS]
    # Late by due date: J (01/06), A (20/06), D (30/06); due soon: G (01/07), B (15/07);
    # then the others in input order: C, E, F, H, I.
    expected = ["J", "A", "D", "G", "B", "C", "E", "F", "H", "I"]
    assert [ITEMS[p].action for p in attention_order(statuses)] == expected
    assert attention_order([]) == []


def test_attention_order_keeps_input_order_on_equal_due_dates():
    same_day = [item(name, due=dt.date(2024, 6, 1)) for name in ("first", "second")]
    statuses = [(it, action_status(it, AS_OF)) for it in same_day]
    assert attention_order(statuses) == [0, 1]


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (dt.date(2024, 7, 1), dt.date(2024, 7, 1)),  # a Monday is its own week's Monday
        (dt.date(2024, 7, 7), dt.date(2024, 7, 1)),  # Sunday: 6 days back
        (dt.date(2024, 12, 31), dt.date(2024, 12, 30)),  # Tuesday
        (dt.date(2025, 1, 1), dt.date(2024, 12, 30)),  # across the new year
    ],
)
def test_week_monday(day, monday):
    assert week_monday(day) == monday
