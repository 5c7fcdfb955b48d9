"""France Travail files that say which week their hours are for (« Semaine des heures »)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from connectors import france_travail
from dashboard.loading.france_travail import write_france_travail
from dashboard.models import ActivityHours, Beneficiary
from tests.helpers import make_territory
from tests.test_france_travail import parse, sample_lines

WEEK = "Semaine des heures"


def with_week(*weeks: str) -> list[list[str]]:
    """Sample line 2 (NIR 285123586819974, 12 hours), once per week given, with the column."""
    headers, first = sample_lines()[0], sample_lines()[1]
    return [[*headers, WEEK], *([*first, week] for week in weeks)]


def test_the_week_column_says_which_week_the_hours_are_for():
    (_, record, reader), (_, empty, _) = parse(france_travail, with_week("12/06/2024", ""))
    # Extracted 01/07/2024; Wednesday 12/06/2024 is in the week of Monday 10/06/2024.
    assert reader.reasons == []
    assert (record.week_start, record.weekly_hours) == (dt.date(2024, 6, 10), 12.0)
    # An empty cell: the week before the extraction (Monday 24/06/2024), as without it.
    assert empty.week_start == dt.date(2024, 6, 24)


def test_a_week_after_the_extraction_is_refused():
    ((_, record, reader),) = parse(france_travail, with_week("02/07/2024"))
    assert record is None
    assert reader.reasons == ["Semaine des heures : date postérieure à l'extraction (02/07/2024)"]


def test_one_file_can_hold_several_weeks_of_one_person(db_session):
    territory = make_territory(db_session, "35-REDON")
    records = [
        record for _, record, _ in parse(france_travail, with_week("03/06/2024", "10/06/2024"))
    ]
    counts = write_france_travail(db_session, territory.id, None, records)
    db_session.commit()
    # One person, created once; two weeks of 12 hours.
    assert counts.created == 1
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 1
    weeks = db_session.execute(
        select(ActivityHours.week_start, ActivityHours.hours).order_by(ActivityHours.week_start)
    ).all()
    assert weeks == [(dt.date(2024, 6, 3), 12.0), (dt.date(2024, 6, 10), 12.0)]
