"""`install_demo` writes the demo's export files and imports them through the connectors.

Checked on SQLite and PostgreSQL: every fact an export carries reaches the database
unchanged (people are matched through the keyed hash of their made-up NIR), one
loaded batch per file, a refused file leaves nothing, `pilotage demo` keeps its files
under the instance folder and pseudonymises with the instance's key.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from connectors.pseudonym import pseudonym_from_nir
from dashboard.demo import generate_demo
from dashboard.demo.identities import demo_identities
from dashboard.demo.install import DEMO_END, DemoError, install_demo
from dashboard.models import (
    ActivityHours,
    Appointment,
    Beneficiary,
    Contract,
    EmploymentOutcome,
    ImportBatch,
    IndicatorTarget,
    Orientation,
    QuarantinedRow,
    Referent,
    RightsPeriod,
    RoadmapAction,
    Site,
    Territory,
)

KEY = "cle-de-demonstration"
SIZE, SEED = 150, 5


def _count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def installed(db_session, tmp_path):
    report = install_demo(
        db_session, size=SIZE, seed=SEED, pseudonym_key=KEY, export_dir=tmp_path / "demo"
    )
    db_session.commit()
    return report


def test_every_fact_the_exports_carry_arrives_unchanged(db_session, installed):
    data = generate_demo(size=SIZE, seed=SEED, end=DEMO_END)
    index_of = {
        pseudonym_from_nir(KEY, identity.nir): index
        for index, identity in enumerate(demo_identities(data))
    }
    person = {row.id: index_of[row.pseudonym] for row in db_session.scalars(select(Beneficiary))}
    referent = dict(db_session.execute(select(Referent.id, Referent.code)).all())
    site = dict(db_session.execute(select(Site.id, Site.name)).all())

    def same(records: list[tuple], rows: list[tuple]) -> None:
        assert sorted(map(repr, rows)) == sorted(map(repr, records))

    same(
        [(n, b.birth_year, b.sex, b.family_situation, b.education_level, b.payer, b.site)
         for n, b in enumerate(data.beneficiaries)],
        [(person[b.id], b.birth_year, b.sex, b.family_situation, b.education_level, b.payer,
          site.get(b.site_id)) for b in db_session.scalars(select(Beneficiary))],
    )  # fmt: skip
    # Rights periods without scheme_entry_on, which no export carries (docs/connectors.md).
    same(
        [(r.beneficiary_index, r.rights_opened_on, r.notification_received_on,
          r.duties_start_on, r.duties_end_on, r.exit_on, r.exit_reason)
         for r in data.rights_periods],
        [(person[r.beneficiary_id], r.rights_opened_on, r.notification_received_on,
          r.duties_start_on, r.duties_end_on, r.exit_on, r.exit_reason)
         for r in db_session.scalars(select(RightsPeriod))],
    )  # fmt: skip
    # Every orientation, re-orientations flagged, though a SOLIS row only shows one.
    same(
        [(o.beneficiary_index, o.decided_on, o.notified_on, o.dominante, o.organisme,
          o.referent, o.is_reorientation) for o in data.orientations],
        [(person[o.beneficiary_id], o.decided_on, o.notified_on, o.dominante, o.organisme,
          referent.get(o.referent_id), o.is_reorientation)
         for o in db_session.scalars(select(Orientation))],
    )  # fmt: skip
    same(
        [(a.beneficiary_index, a.kind, a.invited_on, a.scheduled_at, a.status, a.reminder_on,
          a.site, a.referent) for a in data.appointments],
        [(person[a.beneficiary_id], a.kind, a.invited_on, a.scheduled_at, a.status,
          a.reminder_on, site.get(a.site_id), referent.get(a.referent_id))
         for a in db_session.scalars(select(Appointment))],
    )  # fmt: skip
    # Contracts without ended_on, which no export carries (docs/connectors.md).
    same(
        [(c.beneficiary_index, c.kind, c.signed_on) for c in data.contracts],
        [(person[c.beneficiary_id], c.kind, c.signed_on)
         for c in db_session.scalars(select(Contract))],
    )  # fmt: skip
    same(
        [(h.beneficiary_index, h.week_start, h.hours) for h in data.activity_hours],
        [(person[h.beneficiary_id], h.week_start, h.hours)
         for h in db_session.scalars(select(ActivityHours))],
    )  # fmt: skip
    same(
        [(e.beneficiary_index, e.started_on, e.contract_type, e.duration_months, e.durable)
         for e in data.employment_outcomes],
        [(person[e.beneficiary_id], e.started_on, e.contract_type, e.duration_months, e.durable)
         for e in db_session.scalars(select(EmploymentOutcome))],
    )  # fmt: skip
    same(
        [(r.code, r.organisme, r.site, r.portfolio_target) for r in data.referents],
        [(r.code, r.organisme, site.get(r.site_id), r.portfolio_target)
         for r in db_session.scalars(select(Referent))],
    )  # fmt: skip
    same(
        [(s.name, s.kind) for s in data.sites],
        [(s.name, s.kind) for s in db_session.scalars(select(Site))],
    )
    same(
        [(t.indicator_code, t.period_start, t.period_end, t.target_value, t.baseline_value)
         for t in data.indicator_targets],
        [(t.indicator_code, t.period_start, t.period_end, t.target_value, t.baseline_value)
         for t in db_session.scalars(select(IndicatorTarget))],
    )  # fmt: skip
    same(
        [(a.axis, a.operational_target, a.action, a.deadline_text, a.follow_up_indicator,
          a.progress, a.comment) for a in data.roadmap_actions],
        [(a.axis, a.operational_target, a.action, a.deadline_text, a.follow_up_indicator,
          a.progress, a.comment) for a in db_session.scalars(select(RoadmapAction))],
    )  # fmt: skip


def test_roadmap_deadlines_and_owners_are_read_by_the_connector(db_session, installed):
    def action(start: str) -> RoadmapAction:
        return db_session.scalar(
            select(RoadmapAction).where(RoadmapAction.action.like(start + "%"))
        )

    # "Fin mars", with the pilot's first year 2023 -> 31/03/2023; owners as written.
    flux = action("Mettre en place un flux quotidien")
    assert (flux.due_on, flux.owners) == (dt.date(2023, 3, 31), ["CD", "CAF", "MSA"])
    # "Toute l'année" -> continuous, due 31/12/2023; "BETA.GOUV" -> BETA_GOUV.
    interview = action("Réaliser un entretien jalon")
    assert (interview.continuous, interview.due_on) == (True, dt.date(2023, 12, 31))
    assert action("Déployer rdv-insertion").owners == ["CD", "BETA_GOUV"]


def test_one_loaded_batch_per_file_nothing_rejected(db_session, installed, tmp_path):
    batches = db_session.execute(select(ImportBatch.source, ImportBatch.status)).all()
    assert len(batches) == installed.files
    assert {status for _, status in batches} == {"loaded"}
    assert {source for source, _ in batches} == {
        "solis", "mission-locale", "rdv", "france-travail", "targets", "roadmap",
    }  # fmt: skip
    assert _count(db_session, QuarantinedRow) == 0
    files = sorted(path.name for path in (tmp_path / "demo").rglob("*.csv"))
    assert len(files) == installed.files and installed.export_dir == tmp_path / "demo"
    # The data is "as of" the demo's end: the last SOLIS file is dated 31/12/2024.
    territory = db_session.scalar(select(Territory).where(Territory.code == "35-REDON"))
    solis_dates = select(func.max(ImportBatch.extracted_on)).where(ImportBatch.source == "solis")
    assert db_session.scalar(solis_dates) == DEMO_END
    # France Travail's last file too, though 31/12/2024 is a Tuesday: it carries the
    # hours of the week under way. (A source with nothing new in a month, e.g. no CEJ
    # signed in December, writes no file for it.)
    latest = dict(
        db_session.execute(
            select(ImportBatch.source, func.max(ImportBatch.extracted_on)).group_by(
                ImportBatch.source
            )
        ).all()
    )
    assert latest["france-travail"] == latest["rdv"] == DEMO_END
    assert max(latest.values()) == DEMO_END
    assert territory.pilot_start == dt.date(2023, 1, 1)
    # Size 150 is the stock subject at the end; 202 people in all (leavers, no duties).
    assert installed.counts["beneficiary"] == _count(db_session, Beneficiary) == 202


def test_second_install_is_refused(db_session, installed):
    with pytest.raises(DemoError, match="compte déjà 202 bénéficiaires"):
        install_demo(db_session, size=SIZE, seed=SEED, pseudonym_key=KEY)
    db_session.rollback()
    assert _count(db_session, Beneficiary) == 202


def test_a_refused_file_leaves_nothing(db_session, monkeypatch):
    from dashboard.demo import install

    write_exports = install.write_exports

    def broken_exports(data, folder):
        files = write_exports(data, folder)
        rdv = next(item for item in files if item.source == "rdv")
        with rdv.path.open("a", encoding="utf-8") as handle:
            handle.write("99999999;;Orientation;;31/02/2024 09:30;Présent;;;\n")
        return files

    monkeypatch.setattr(install, "write_exports", broken_exports)
    with pytest.raises(DemoError, match=r"rdv/rendez_vous_.*\.csv n'a pas pu être importé"):
        install_demo(db_session, size=60, seed=SEED, pseudonym_key=KEY)
    db_session.rollback()
    for model in (Territory, Beneficiary, ImportBatch, Referent):
        assert _count(db_session, model) == 0, model


def test_progress_hears_every_file(db_session):
    seen = []
    report = install_demo(db_session, size=60, seed=SEED, progress=seen.append)
    assert len(seen) == report.files
    rows = [item.rows for item in seen]
    fractions = [item.fraction for item in seen]
    assert rows == sorted(rows) and fractions == sorted(fractions)
    assert (rows[-1], fractions[-1]) == (report.rows_read, 1.0)


def test_pilotage_demo_keeps_its_files_and_uses_the_instance_key(cli, settings, db_session):
    code, out, err = cli("demo", "--size", "50", "--seed", "3")
    assert code == 0, err
    folder = Path(settings.instance_dir) / "demo" / "35-REDON"
    assert "fichiers d'export importés" in out and str(folder) in out
    assert sorted(path.name for path in folder.iterdir()) == [
        "france-travail", "mission-locale", "rdv", "roadmap", "solis", "targets",
    ]  # fmt: skip
    identities = demo_identities(generate_demo(size=50, seed=3, end=DEMO_END))
    stored = set(db_session.scalars(select(Beneficiary.pseudonym)))
    assert stored == {pseudonym_from_nir(settings.pseudonym_key, i.nir) for i in identities}
