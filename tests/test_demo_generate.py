"""The demo generator is pure, reproducible and calibrated on the Redon pilot figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import statistics
from collections import Counter

import pytest

from dashboard.demo import (
    BeneficiaryRecord,
    DemoData,
    OrientationRecord,
    generate_demo,
)
from dashboard.demo.roadmap import AXES
from dashboard.models import (
    AppointmentKind,
    AppointmentStatus,
    ContractKind,
    Dominante,
    EmploymentContractType,
    Organisme,
    RoadmapProgress,
)

ORGANISME_TARGETS = {"MSA": 3.6, "ML": 8.6, "FT": 11.0, "CD+CCAS": 76.8}
DOMINANTE_TARGETS = {
    Dominante.EMPLOI: 44.5,
    Dominante.SOCIO_PROFESSIONNEL: 11.6,
    Dominante.SOCIAL: 43.9,
}
PEOPLE_LISTS = (
    "rights_periods",
    "orientations",
    "appointments",
    "contracts",
    "activity_hours",
    "employment_outcomes",
)


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo()


def stock(data: DemoData) -> set[int]:
    """People subject to droits et devoirs at `end` who have not left."""
    return {
        period.beneficiary_index
        for period in data.rights_periods
        if period.duties_start_on is not None
        and period.duties_start_on <= data.end
        and (period.exit_on is None or period.exit_on > data.end)
    }


def current_orientations(data: DemoData) -> dict[int, OrientationRecord]:
    """The latest orientation decided by `end`, per person."""
    latest: dict[int, OrientationRecord] = {}
    for orientation in sorted(data.orientations, key=lambda o: o.decided_on):
        if orientation.decided_on <= data.end:
            latest[orientation.beneficiary_index] = orientation
    return latest


def oriented_stock(data: DemoData) -> list[OrientationRecord]:
    latest = current_orientations(data)
    return [latest[person] for person in stock(data) if person in latest]


def shares(values: list, total: int) -> dict:
    return {key: 100 * count / total for key, count in Counter(values).items()}


def test_same_arguments_give_identical_data(demo: DemoData) -> None:
    assert generate_demo() == demo
    assert generate_demo(size=300, seed=7) == generate_demo(size=300, seed=7)


def test_another_seed_gives_other_data() -> None:
    first, second = generate_demo(size=300, seed=7), generate_demo(size=300, seed=8)
    assert first != second
    assert first.beneficiaries[0].pseudonym != second.beneficiaries[0].pseudonym
    assert first.rights_periods != second.rights_periods


@pytest.mark.parametrize(("size", "seed"), [(50, 1), (1400, 2024), (1400, 3), (6000, 9)])
def test_stock_at_end_is_size(size: int, seed: int) -> None:
    data = generate_demo(size=size, seed=seed)
    assert abs(len(stock(data)) - size) <= 0.03 * size


def test_pilot_start_and_history_window(demo: DemoData) -> None:
    assert demo.pilot_start == dt.date(2023, 1, 1)
    assert generate_demo(size=50, end=dt.date(2024, 6, 30)).pilot_start == dt.date(2022, 7, 1)


@pytest.mark.parametrize("seed", [2024, 5])
def test_orientation_rate_of_the_stock(seed: int) -> None:
    data = generate_demo(seed=seed)
    rate = len(oriented_stock(data)) / len(stock(data))
    assert 0.74 <= rate <= 0.80


@pytest.mark.parametrize("seed", [2024, 5])
def test_organisme_split_among_oriented(seed: int) -> None:
    oriented = oriented_stock(generate_demo(seed=seed))
    groups = {Organisme.CD: "CD+CCAS", Organisme.CCAS: "CD+CCAS"}
    split = shares([groups.get(o.organisme, o.organisme.value) for o in oriented], len(oriented))
    for organisme, target in ORGANISME_TARGETS.items():
        assert split.get(organisme, 0.0) == pytest.approx(target, abs=2.0), organisme
    assert split.get(Organisme.CCAS, 0.0) < split["CD+CCAS"]


@pytest.mark.parametrize("seed", [2024, 5])
def test_dominante_split_among_oriented(seed: int) -> None:
    oriented = oriented_stock(generate_demo(seed=seed))
    split = shares([o.dominante for o in oriented], len(oriented))
    for dominante, target in DOMINANTE_TARGETS.items():
        assert split.get(dominante, 0.0) == pytest.approx(target, abs=2.0), dominante


def test_missions_locales_only_follow_under_26(demo: DemoData) -> None:
    for orientation in demo.orientations:
        if orientation.organisme == Organisme.ML:
            birth_year = demo.beneficiaries[orientation.beneficiary_index].birth_year
            assert demo.end.year - birth_year <= 25


def test_about_thirty_new_entrants_a_month(demo: DemoData) -> None:
    starts = [
        period.duties_start_on
        for period in demo.rights_periods
        if period.duties_start_on is not None and period.duties_start_on >= demo.pilot_start
    ]
    per_month = Counter((day.year, day.month) for day in starts)
    assert len(per_month) == 24
    assert 25 <= len(starts) / 24 <= 35


def test_notification_delays_between_5_and_60_days(demo: DemoData) -> None:
    t0 = {p.beneficiary_index: p.notification_received_on for p in demo.rights_periods}
    delays = [
        (o.notified_on - t0[o.beneficiary_index]).days
        for o in demo.orientations
        if not o.is_reorientation and o.notified_on and t0[o.beneficiary_index]
    ]
    assert delays and all(5 <= delay <= 60 for delay in delays)
    assert 20 <= statistics.median(delays) <= 35
    assert any(o.is_reorientation for o in demo.orientations)
    unknown = sum(p.notification_received_on is None for p in demo.rights_periods)
    assert 0.01 <= unknown / len(demo.rights_periods) <= 0.06


def test_orientations_follow_t0_and_notifications_follow_decisions(demo: DemoData) -> None:
    periods = {p.beneficiary_index: p for p in demo.rights_periods}
    for orientation in demo.orientations:
        assert orientation.notified_on is None or orientation.notified_on >= orientation.decided_on
        assert orientation.decided_on >= periods[orientation.beneficiary_index].rights_opened_on


def test_no_identifying_field() -> None:
    forbidden = re.compile("name|nir|caf|nom|prenom|allocataire", re.IGNORECASE)
    assert not [f.name for f in dataclasses.fields(BeneficiaryRecord) if forbidden.search(f.name)]
    small = generate_demo(size=50)
    for field in PEOPLE_LISTS:
        record_type = type(getattr(small, field)[0])
        assert not [f.name for f in dataclasses.fields(record_type) if forbidden.search(f.name)]


def test_pseudonyms_are_unique_64_hex(demo: DemoData) -> None:
    pseudonyms = [b.pseudonym for b in demo.beneficiaries]
    assert len(set(pseudonyms)) == len(pseudonyms)
    assert all(re.fullmatch(r"[0-9a-f]{64}", p) for p in pseudonyms)


def _dates(value: object) -> list[dt.date]:
    if isinstance(value, dt.datetime):
        return [value.date()]
    return [value] if isinstance(value, dt.date) else []


def test_all_dates_on_or_before_end(demo: DemoData) -> None:
    for name, records in demo.record_lists().items():
        for record in records:
            for field in dataclasses.fields(record):
                for day in _dates(getattr(record, field.name)):
                    assert day <= demo.end, (name, field.name, record)


def test_references_resolve(demo: DemoData) -> None:
    sites = {site.name for site in demo.sites}
    referents = {referent.code: referent for referent in demo.referents}
    assert all(referent.site in sites for referent in demo.referents)
    assert all(b.site in sites for b in demo.beneficiaries)
    for name in PEOPLE_LISTS:
        assert all(0 <= r.beneficiary_index < len(demo.beneficiaries) for r in getattr(demo, name))
    for orientation in demo.orientations:
        assert referents[orientation.referent].organisme == orientation.organisme
    for appointment in demo.appointments:
        assert appointment.site is None or appointment.site in sites
        assert appointment.referent is None or appointment.referent in referents


def test_natural_keys_are_unique(demo: DemoData) -> None:
    keys = {
        "rights_periods": lambda r: (r.beneficiary_index, r.rights_opened_on),
        "orientations": lambda r: (r.beneficiary_index, r.decided_on),
        "appointments": lambda r: (r.beneficiary_index, r.kind, r.scheduled_at),
        "contracts": lambda r: (r.beneficiary_index, r.kind, r.signed_on),
        "activity_hours": lambda r: (r.beneficiary_index, r.week_start),
        "employment_outcomes": lambda r: (r.beneficiary_index, r.started_on),
        "referents": lambda r: r.code,
        "sites": lambda r: r.name,
        "indicator_targets": lambda r: (r.indicator_code, r.period_end),
        "roadmap_actions": lambda r: (r.axis, r.operational_target, r.action),
    }
    for name, key in keys.items():
        records = getattr(demo, name)
        assert len({key(record) for record in records}) == len(records), name


def test_sites_and_referents(demo: DemoData) -> None:
    assert [site.name for site in demo.sites][:3] == [
        "CDAS Redon",
        "CDAS Guichen",
        "CDAS Bain-de-Bretagne",
    ]
    assert len(demo.sites) == 5
    oriented = len(oriented_stock(demo))
    assert oriented / 90 <= len(demo.referents) <= oriented / 55
    codes = {referent.code for referent in demo.referents}
    assert {"REF001", "FT01", "ML01"} <= codes
    targets = Counter(referent.portfolio_target for referent in demo.referents)
    assert targets[70] > targets[50] > 0


def test_appointments_contracts_and_hours(demo: DemoData) -> None:
    orientation_rdv = [a for a in demo.appointments if a.kind == AppointmentKind.ORIENTATION]
    statuses = shares([a.status for a in orientation_rdv], len(orientation_rdv))
    assert statuses[AppointmentStatus.PRESENT] > 70
    assert 8 <= statuses[AppointmentStatus.ABSENT] <= 16
    absences = [a for a in demo.appointments if a.status == AppointmentStatus.ABSENT]
    assert sum(a.reminder_on is not None for a in absences) > len(absences) / 2
    assert {a.scheduled_at.time() for a in demo.appointments} == {dt.time(9, 30), dt.time(14)}

    oriented = {o.beneficiary_index for o in demo.orientations}
    signed = {c.beneficiary_index for c in demo.contracts}
    assert 0.85 <= len(signed & oriented) / len(oriented) <= 0.95
    assert {c.kind for c in demo.contracts} == {
        ContractKind.CER,
        ContractKind.PPAE,
        ContractKind.CEJ,
    }

    hours = demo.activity_hours
    assert all(row.week_start.weekday() == 0 and 0 <= row.hours <= 25 for row in hours)
    assert 0.20 <= sum(row.hours >= 15 for row in hours) / len(hours) <= 0.30
    assert 8 <= len(hours) / len({row.beneficiary_index for row in hours}) <= 15


def test_employment_outcomes(demo: DemoData) -> None:
    accompanied = {
        a.beneficiary_index
        for a in demo.appointments
        if a.kind == AppointmentKind.ACCOMPAGNEMENT and a.status == AppointmentStatus.PRESENT
    }
    outcomes = demo.employment_outcomes
    assert 0.10 <= len(outcomes) / len(accompanied) <= 0.15
    for outcome in outcomes:
        long_enough = (outcome.duration_months or 0) >= 6
        expected = outcome.contract_type in (
            EmploymentContractType.CDI,
            EmploymentContractType.CREATION,
        ) or (
            outcome.contract_type in (EmploymentContractType.CDD, EmploymentContractType.INTERIM)
            and long_enough
        )
        assert outcome.durable == expected


def test_description_of_the_public(demo: DemoData) -> None:
    people = demo.beneficiaries
    ages = [demo.end.year - b.birth_year for b in people]
    assert min(ages) >= 18 and max(ages) <= 65
    assert 0.12 <= sum(age <= 25 for age in ages) / len(ages) <= 0.18
    assert 0.50 <= sum(b.sex.value == "F" for b in people) / len(people) <= 0.60
    assert 0.90 <= sum(b.payer.value == "CAF" for b in people) / len(people) <= 0.96


def test_indicator_targets(demo: DemoData) -> None:
    by_code: dict[str, list] = {}
    for target in demo.indicator_targets:
        by_code.setdefault(target.indicator_code, []).append(target)
    assert {"taux_orientes_15j", "delai_orientation_median_j"} <= set(by_code)
    oriented_15 = by_code["taux_orientes_15j"]
    assert oriented_15[0].baseline_value == 40 and oriented_15[-1].target_value == 100
    assert [t.period_end for t in oriented_15][-1] == demo.end
    assert oriented_15[0].period_start == demo.pilot_start
    delays = [t.target_value for t in by_code["delai_orientation_median_j"]]
    assert delays == sorted(delays, reverse=True)


def test_roadmap(demo: DemoData) -> None:
    actions = demo.roadmap_actions
    assert 22 <= len(actions) <= 28
    assert {action.axis for action in actions} == set(AXES) and len(AXES) == 5
    assert all(action.owners and action.deadline_text for action in actions)
    assert {action.progress for action in actions} <= {
        RoadmapProgress.NON_DEMARRE,
        RoadmapProgress.EN_COURS,
        RoadmapProgress.REALISE,
        None,
    }
    assert any(action.due_on is not None for action in actions)
    assert sum(action.due_on is None for action in actions) > len(actions) / 2


def test_small_territory() -> None:
    data = generate_demo(size=50)
    assert len(stock(data)) == 50
    assert all(len(records) > 0 for records in data.record_lists().values())


def test_invalid_size_is_refused() -> None:
    with pytest.raises(ValueError, match="Taille"):
        generate_demo(size=0)


@pytest.mark.slow
def test_benchmark_size_keeps_its_calibration() -> None:
    # Speed is measured by bench/bench_demo.py, not asserted here.
    data = generate_demo(size=200_000)
    assert abs(len(stock(data)) - 200_000) <= 6000
