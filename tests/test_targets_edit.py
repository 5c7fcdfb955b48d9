"""The targets editor (dashboard/targets_edit.py): validation, then replace and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard.auth import SessionUser
from dashboard.facts import facts_version
from dashboard.models import AuditLog, IndicatorTarget, Role
from dashboard.targets_edit import (
    EditedPoint,
    TargetEditError,
    parse_points,
    replace_trajectory,
    trajectory,
)
from tests.helpers import make_territory, make_user


def _row(start="", end="", target="", baseline="") -> dict[str, str]:
    return {
        "period_start": start,
        "period_end": end,
        "target_value": target,
        "baseline_value": baseline,
    }


def _reasons(code: str, rows: list[dict]) -> list[str]:
    with pytest.raises(TargetEditError) as caught:
        parse_points(code, rows)
    return caught.value.reasons


def test_points_are_read_in_french_and_sorted_by_period_end():
    points = parse_points(
        "taux_orientes_15j",
        [
            _row("2024-07-01", "2024-12-31", "80 %"),
            _row(),  # an empty line left by "Ajouter un point" is ignored
            _row("01/01/2024", "30/06/2024", "60,5", "40"),
        ],
    )
    assert points == [
        EditedPoint(dt.date(2024, 1, 1), dt.date(2024, 6, 30), 60.5, 40.0),
        EditedPoint(dt.date(2024, 7, 1), dt.date(2024, 12, 31), 80.0, None),
    ]
    # A delay in days is not a rate: 45 and 120 are both fine, a negative one is not.
    assert parse_points("delai_orientation_median_j", [_row("2024-01-01", "2024-06-30", "120")])
    assert parse_points("taux_orientes_15j", []) == []  # saving no point deletes the trajectory


def test_every_problem_is_listed_in_french():
    assert _reasons("taux_orientes_15j", [_row("2024-01-01", "2024-06-30", "140")]) == [
        "Point 1 : cible : un taux est compris entre 0 et 100 %."
    ]
    assert _reasons("delai_orientation_median_j", [_row("2024-01-01", "2024-06-30", "-3")]) == [
        "Point 1 : cible : valeur négative."
    ]
    assert _reasons(
        "taux_orientes_15j",
        [_row("2024-07-01", "2024-06-30", "60"), _row("2024-01-01", "", "abc")],
    ) == [
        "Point 1 : la fin (30/06/2024) précède le début.",
        "Point 2 : date de fin manquante.",
        "Point 2 : cible : nombre illisible (abc).",
    ]
    assert _reasons("taux_orientes_15j", [_row("2024-01-01", "2024-06-30")]) == [
        "Point 1 : cible manquante."
    ]
    assert _reasons(
        "taux_orientes_15j",
        [_row("2024-01-01", "2024-06-30", "60"), _row("2024-03-01", "2024-06-30", "70")],
    ) == ["Deux points ont la même fin de période (30/06/2024) : un seul par date."]
    assert _reasons(
        "taux_orientes_15j",
        [
            _row("2024-01-01", "2024-06-30", "60", "40"),
            _row("2024-07-01", "2024-12-31", "70", "45"),
        ],
    ) == ["La valeur de référence (T0) se saisit sur le premier point seulement."]
    assert _reasons("pas_un_indicateur", []) == [
        "Indicateur inconnu : choisissez-le dans la liste."
    ]


@pytest.fixture
def territories(db_session):
    redon = make_territory(db_session, "35-REDON", "Redon")
    paris = make_territory(db_session, "75-PARIS", "Paris")
    admin = make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    db_session.commit()
    actor = SessionUser(admin.id, admin.login, Role.ADMIN, redon.id, redon.code, redon.name, 0)
    return redon, paris, actor


def test_replace_deletes_and_inserts_so_the_facts_version_changes(db_session, territories):
    redon, paris, actor = territories
    first = [
        EditedPoint(dt.date(2024, 1, 1), dt.date(2024, 6, 30), 60.0, 40.0),
        EditedPoint(dt.date(2024, 7, 1), dt.date(2024, 12, 31), 80.0),
    ]
    replace_trajectory(db_session, actor, redon.id, "taux_orientes_15j", first)
    replace_trajectory(db_session, actor, redon.id, "taux_orientation", first[:1])
    replace_trajectory(db_session, actor, paris.id, "taux_orientes_15j", first[:1])
    db_session.commit()
    version = facts_version(db_session, redon.id)
    # Same period end as a stored point, new target: the unique constraint holds
    # because the old rows go before the new ones come.
    second = [EditedPoint(dt.date(2024, 1, 1), dt.date(2024, 6, 30), 65.0, 42.0)]
    before = replace_trajectory(db_session, actor, redon.id, "taux_orientes_15j", second)
    db_session.commit()
    assert before == first
    assert trajectory(db_session, redon.id, "taux_orientes_15j") == second
    # Another indicator and another territory are untouched.
    assert trajectory(db_session, redon.id, "taux_orientation") == first[:1]
    assert trajectory(db_session, paris.id, "taux_orientes_15j") == first[:1]
    assert facts_version(db_session, redon.id) != version
    sources = set(db_session.scalars(select(IndicatorTarget.source)))
    assert sources == {"manual"}
    log = db_session.scalars(
        select(AuditLog).where(AuditLog.action == "targets_changed").order_by(AuditLog.id)
    ).all()[-1]
    assert (log.user_id, log.territory_code) == (actor.user_id, "35-REDON")
    assert log.details == {
        "indicator": "taux_orientes_15j",
        "before": [point.as_dict() for point in first],
        "after": [second[0].as_dict()],
    }
    # Deleting every point: the count of target rows drops, so the version moves again.
    version = facts_version(db_session, redon.id)
    replace_trajectory(db_session, actor, redon.id, "taux_orientes_15j", [])
    db_session.commit()
    assert trajectory(db_session, redon.id, "taux_orientes_15j") == []
    assert facts_version(db_session, redon.id) != version
