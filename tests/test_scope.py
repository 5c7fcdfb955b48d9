"""A territory code from the browser is only ever read through the user's scope."""

from __future__ import annotations

import pytest

from dashboard.auth import _snapshot
from dashboard.models import Role, Territory
from dashboard.scope import OUT_OF_SCOPE, ScopeError, resolve_territory, territory_choices
from tests.helpers import make_territory, make_user


@pytest.fixture
def two_territories(db_session):
    make_territory(db_session, "35-REDON", "Redon")
    make_territory(db_session, "93-SSD", "Seine-Saint-Denis")
    db_session.commit()
    return db_session


def _user(db, login: str, role: Role, code: str):
    user = make_user(db, login, role, code)
    db.commit()
    territory = db.get(Territory, user.territory_id)
    return _snapshot(user, territory)


def test_a_territorial_user_reads_only_its_own_territory(two_territories):
    db = two_territories
    user = _user(db, "redon.comop", Role.COMOP, "35-REDON")
    assert resolve_territory(db, user, None).code == "35-REDON"
    assert resolve_territory(db, user, " 35-redon ").code == "35-REDON"
    assert [c.code for c in territory_choices(db, user)] == ["35-REDON"]
    # Another territory and a territory that does not exist get the same answer.
    for code in ("93-SSD", "99-NULLE"):
        with pytest.raises(ScopeError) as caught:
            resolve_territory(db, user, code)
        assert caught.value.message == OUT_OF_SCOPE


def test_a_national_user_reads_every_pilot_but_not_the_national_level(two_territories):
    db = two_territories
    user = _user(db, "dgefp", Role.NATIONAL, "FR")
    assert [c.code for c in territory_choices(db, user)] == ["35-REDON", "93-SSD"]
    assert resolve_territory(db, user, None).code == "35-REDON"
    assert resolve_territory(db, user, "93-SSD").code == "93-SSD"
    with pytest.raises(ScopeError):
        resolve_territory(db, user, "FR")
