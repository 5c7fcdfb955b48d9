"""Editing an action of the feuille de route: roles, scope, validation, history, audit.

`dashboard.roadmap_edit.update_action` on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from dashboard.models import (
    AuditLog,
    DataSource,
    RoadmapAction,
    RoadmapActionChange,
    RoadmapProgress,
    Role,
    User,
)
from dashboard.roadmap_edit import (
    ACTION_UNKNOWN,
    AUDIT_ACTION,
    ActionNotFoundError,
    EditForbiddenError,
    InvalidChangeError,
    action_history,
    update_action,
)
from tests.helpers import make_territory, make_user

TODAY = dt.date(2024, 7, 1)


def _action(db, territory, name, **fields) -> RoadmapAction:
    action = RoadmapAction(
        territory_id=territory.id,
        axis="Entrée en parcours",
        operational_target="",
        action=name,
        owners=["CD"],
        source=DataSource.ROADMAP,
        **fields,
    )
    db.add(action)
    db.flush()
    return action


@pytest.fixture
def roadmap(db_session):
    redon = make_territory(db_session, "35-REDON", "Pays de Redon")
    paris = make_territory(db_session, "75-PARIS", "Paris")
    for login, role, code in [
        ("redon.projet", Role.PROJET, "35-REDON"),
        ("redon.admin", Role.ADMIN, "35-REDON"),
        ("redon.copil", Role.COPIL, "35-REDON"),
        ("redon.comop", Role.COMOP, "35-REDON"),
        ("national", Role.NATIONAL, "FR"),
        ("paris.projet", Role.PROJET, "75-PARIS"),
    ]:
        make_user(db_session, login, role, code)
    charte = _action(
        db_session,
        redon,
        "Rédiger la charte",
        deadline_text="Fin mars",
        due_on=dt.date(2024, 3, 31),
        milestones=["2024-03-31"],
        progress=RoadmapProgress.EN_COURS,
    )
    paris_action = _action(
        db_session, paris, "Action parisienne", progress=RoadmapProgress.NON_DEMARRE
    )
    db_session.commit()
    return {"charte": charte.id, "paris": paris_action.id}


def user(db, login: str) -> User:
    return db.scalar(select(User).where(User.login == login))


def stored(db, action_id: int) -> RoadmapAction:
    db.expire_all()
    return db.get(RoadmapAction, action_id)


def history(db, action_id: int) -> list[tuple]:
    rows = db.execute(
        select(
            RoadmapActionChange.user_id,
            RoadmapActionChange.field,
            RoadmapActionChange.before,
            RoadmapActionChange.after,
        )
        .where(RoadmapActionChange.action_id == action_id)
        .order_by(RoadmapActionChange.id)
    )
    return [tuple(row) for row in rows]


def audit_count(db) -> int:
    return db.scalar(
        select(func.count()).select_from(AuditLog).where(AuditLog.action == AUDIT_ACTION)
    )


def test_progress_edit_is_written_with_history_and_audit(db_session, roadmap):
    editor = user(db_session, "redon.projet")
    result = update_action(db_session, editor, roadmap["charte"], {"progress": "realise"})
    assert [(c.field, c.before, c.after) for c in result.changes] == [
        ("progress", "en_cours", "realise")
    ]
    assert stored(db_session, roadmap["charte"]).progress is RoadmapProgress.REALISE
    assert history(db_session, roadmap["charte"]) == [
        (editor.id, "progress", "en_cours", "realise")
    ]
    entry = db_session.scalar(select(AuditLog).where(AuditLog.action == AUDIT_ACTION))
    assert (entry.user_id, entry.login, entry.territory_code) == (
        editor.id,
        "redon.projet",
        "35-REDON",
    )
    assert entry.details == {"action_id": roadmap["charte"], "fields": ["progress"]}
    changed_at = db_session.scalar(select(RoadmapActionChange.changed_at))
    assert changed_at is not None


def test_deadline_is_read_again_by_the_import_parser(db_session, roadmap):
    editor = user(db_session, "redon.admin")  # admin edits too
    result = update_action(
        db_session, editor, roadmap["charte"], {"deadline_text": " Avril / Mai "}, today=TODAY
    )
    action = stored(db_session, roadmap["charte"])
    # No year in the text: the year of the current due date (31/03/2024) -> 2024;
    # "Avril / Mai" spans 01/04 to 31/05.
    assert (action.deadline_text, action.start_on, action.due_on) == (
        "Avril / Mai",
        dt.date(2024, 4, 1),
        dt.date(2024, 5, 31),
    )
    assert action.milestones == ["2024-05-31"] and action.continuous is False
    assert history(db_session, roadmap["charte"]) == [
        (editor.id, "deadline_text", "Fin mars", "Avril / Mai"),
        (editor.id, "due_on", "2024-03-31", "2024-05-31"),
    ]
    assert result.notes == ("Échéance lue : le 31/05/2024.",)


def test_continuous_deadline(db_session, roadmap):
    editor = user(db_session, "redon.projet")
    update_action(db_session, editor, roadmap["charte"], {"deadline_text": "Permanent"})
    action = stored(db_session, roadmap["charte"])
    assert (action.continuous, action.start_on, action.due_on, action.milestones) == (
        True,
        None,
        None,
        [],
    )


def test_unreadable_deadline_is_kept_as_text_a_preciser(db_session, roadmap):
    editor = user(db_session, "redon.projet")
    result = update_action(
        db_session, editor, roadmap["charte"], {"deadline_text": "quand le budget sera voté"}
    )
    action = stored(db_session, roadmap["charte"])
    assert action.deadline_text == "quand le budget sera voté"
    assert (action.start_on, action.due_on, action.continuous, action.milestones) == (
        None,
        None,
        False,
        [],
    )
    assert "non reconnue" in result.notes[0] and "à préciser" in result.notes[0]
    assert [c.field for c in result.changes] == ["deadline_text", "due_on"]


def test_year_without_a_due_date_is_the_edit_year(db_session, roadmap):
    editor = user(db_session, "paris.projet")
    # The Paris action has no date: "Fin juin" belongs to the year of `today`.
    update_action(db_session, editor, roadmap["paris"], {"deadline_text": "Fin juin"}, today=TODAY)
    assert stored(db_session, roadmap["paris"]).due_on == dt.date(2024, 6, 30)


@pytest.mark.parametrize("login", ["redon.copil", "redon.comop", "national"])
def test_roles_that_only_read_are_refused(db_session, roadmap, login):
    with pytest.raises(EditForbiddenError) as refused:
        update_action(db_session, user(db_session, login), roadmap["charte"], {"comment": "x"})
    assert refused.value.status == 403
    assert "pas de la modifier" in refused.value.message
    assert stored(db_session, roadmap["charte"]).comment is None
    assert history(db_session, roadmap["charte"]) == [] and audit_count(db_session) == 0


def test_forged_id_of_another_territory_is_refused_like_an_unknown_one(db_session, roadmap):
    editor = user(db_session, "redon.projet")
    for forged in (roadmap["paris"], str(roadmap["paris"]), 999_999, "1 OR 1=1", None, True):
        with pytest.raises(ActionNotFoundError) as refused:
            update_action(db_session, editor, forged, {"progress": "realise"})
        assert (refused.value.status, refused.value.message) == (404, ACTION_UNKNOWN)
    assert stored(db_session, roadmap["paris"]).progress is RoadmapProgress.NON_DEMARRE
    assert history(db_session, roadmap["paris"]) == []
    with pytest.raises(ActionNotFoundError):
        action_history(db_session, editor, roadmap["paris"])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"progress": "fini"}, "Avancement inconnu : « fini »"),
        ({"progress": None}, "Avancement inconnu : vide"),
        ({"axis": "Autre"}, "Champ non modifiable : axis"),
        ({}, "Aucune modification demandée."),
        ("progress=realise", "Aucune modification demandée."),
        ({"comment": "x" * 2001}, "Commentaire : texte trop long (2001 caractères, 2000 au plus)"),
        ({"deadline_text": 12}, "Échéance : un texte est attendu."),
        # One bad value refuses the whole edit: the valid comment is not written either.
        ({"comment": "bien", "progress": "50 %"}, "Avancement inconnu"),
    ],
)
def test_invalid_changes_are_refused_in_french(db_session, roadmap, changes, message):
    editor = user(db_session, "redon.projet")
    with pytest.raises(InvalidChangeError) as refused:
        update_action(db_session, editor, roadmap["charte"], changes)
    assert refused.value.status == 400 and message in refused.value.message
    action = stored(db_session, roadmap["charte"])
    assert (action.comment, action.progress) == (None, RoadmapProgress.EN_COURS)
    assert history(db_session, roadmap["charte"]) == [] and audit_count(db_session) == 0


def test_same_values_write_nothing(db_session, roadmap):
    editor = user(db_session, "redon.projet")
    result = update_action(
        db_session, editor, roadmap["charte"], {"progress": "en_cours", "deadline_text": "Fin mars"}
    )
    assert result.changes == ()
    assert history(db_session, roadmap["charte"]) == [] and audit_count(db_session) == 0


def test_comment_is_trimmed_emptied_and_scrubbed_of_nir(db_session, roadmap):
    editor = user(db_session, "redon.projet")
    result = update_action(
        db_session, editor, roadmap["charte"], {"comment": "  Voir 1 84 12 76 451 089 46  "}
    )
    assert stored(db_session, roadmap["charte"]).comment == "Voir (NIR retiré)"
    assert any("NIR" in note for note in result.notes)
    update_action(db_session, editor, roadmap["charte"], {"comment": "   "})
    assert stored(db_session, roadmap["charte"]).comment is None
    assert history(db_session, roadmap["charte"])[-1] == (
        editor.id,
        "comment",
        "Voir (NIR retiré)",
        None,
    )


def test_history_lists_who_changed_what_newest_first(db_session, roadmap):
    editor = user(db_session, "redon.projet")
    # A change written by an import has no user.
    db_session.add(
        RoadmapActionChange(
            action_id=roadmap["charte"],
            user_id=None,
            field="comment",
            before=None,
            after="importé",
            changed_at=dt.datetime(2024, 1, 1, 8, 0),
        )
    )
    db_session.commit()
    update_action(db_session, editor, roadmap["charte"], {"progress": "realise"})
    reader = user(db_session, "redon.copil")  # reading the history is open to copil
    found = action_history(db_session, reader, roadmap["charte"])
    assert found.action == "Rédiger la charte"
    assert [(e.login, e.field, e.before, e.after) for e in found.entries] == [
        ("redon.projet", "progress", "en_cours", "realise"),
        (None, "comment", None, "importé"),
    ]
