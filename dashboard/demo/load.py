"""Write a generated `DemoData` into one territory directly through the models.

This is not what `pilotage demo` does (it imports the demo's export files through
the connectors: dashboard/demo/install.py); it is kept as the fast path for
benchmarks (bench/bench_demo.py --direct) and writes every generated fact,
including the few no export carries (docs/connectors.md, "The demo territory").

Rows are inserted in chunks of 5,000 with `session.execute(insert(table), rows)`
(one executemany per chunk), so a 200,000-person demo loads in under a minute
on SQLite; every row but sites, referents and beneficiaries carries
`source=DataSource.DEMO`. Nothing is committed: the caller commits (or rolls
back). Sites, referents, indicator targets and roadmap actions that already
exist in the territory under the same natural key are kept and not inserted
again; people-related tables require a territory without beneficiaries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from operator import attrgetter

from sqlalchemy import func, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from dashboard.demo.records import TABLE_OF_FIELD, DemoData, record_field_names
from dashboard.models import (
    ActivityHours,
    Appointment,
    Base,
    Beneficiary,
    Contract,
    DataSource,
    EmploymentOutcome,
    IndicatorTarget,
    Orientation,
    Referent,
    RightsPeriod,
    RoadmapAction,
    Site,
    Territory,
)

CHUNK_SIZE = 5000
MODEL_OF_FIELD: dict[str, type[Base]] = {
    "sites": Site,
    "referents": Referent,
    "beneficiaries": Beneficiary,
    "rights_periods": RightsPeriod,
    "orientations": Orientation,
    "appointments": Appointment,
    "contracts": Contract,
    "activity_hours": ActivityHours,
    "employment_outcomes": EmploymentOutcome,
    "indicator_targets": IndicatorTarget,
    "roadmap_actions": RoadmapAction,
}
# Natural keys of the small reference tables: existing rows are kept, not duplicated.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "sites": ("name",),
    "referents": ("code",),
    "indicator_targets": ("indicator_code", "period_end"),
    "roadmap_actions": ("axis", "operational_target", "action"),
}
# Models without a `source` column.
WITHOUT_SOURCE = ("sites", "referents", "beneficiaries")


class DemoAlreadyLoadedError(ValueError):
    """The territory already holds beneficiaries: the demo is only loaded into an empty one."""


def _chunks(rows: Iterable[dict], size: int = CHUNK_SIZE) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _insert(session: Session, model: type[Base], rows: Iterable[dict]) -> int:
    # The table's (Core) insert: the ORM bulk path leaves out None-valued keys, which splits
    # a chunk into many small batches; here each chunk is one DBAPI executemany. Column
    # defaults (created_at...) still apply: they are defined on the table.
    statement = insert(model.__table__)
    inserted = 0
    for chunk in _chunks(rows):
        session.execute(statement, chunk)
        inserted += len(chunk)
    return inserted


RENAMED = {"beneficiary_index": "beneficiary_id", "site": "site_id", "referent": "referent_id"}


def _row_maker(
    sample: object, lookups: dict[str, Callable[[object], object]], constants: dict[str, object]
) -> Callable[[object], dict]:
    """A function turning records shaped like `sample` into row dicts for their model."""
    names = record_field_names(type(sample))
    getter = attrgetter(*names)
    targets = [RENAMED.get(name, name) for name in names]
    transforms = [
        lookups.get(name) or (list if isinstance(value, tuple) else None)
        for name, value in zip(names, getter(sample), strict=True)
    ]
    pairs = list(zip(targets, transforms, strict=True))

    def convert(record: object) -> dict:
        row = dict(constants)
        for (target, transform), value in zip(pairs, getter(record), strict=True):
            row[target] = value if transform is None else transform(value)
        return row

    return convert


def _existing_keys(
    session: Session, model: type[Base], territory_id: int, key: tuple[str, ...]
) -> set[tuple]:
    columns = [getattr(model, name) for name in key]
    statement = select(*columns).where(model.territory_id == territory_id)
    return {tuple(row) for row in session.execute(statement)}


def _id_map(
    session: Session, model: type[Base], key: InstrumentedAttribute, territory_id: int
) -> dict:
    """Natural key -> id for the rows of `model` in the territory."""
    statement = select(key, model.id).where(model.territory_id == territory_id)
    return {key: id_ for key, id_ in session.execute(statement)}


def load_demo(session: Session, territory: Territory, data: DemoData) -> dict[str, int]:
    """Insert `data` into `territory`; return the number of rows inserted per table name.

    Raises `DemoAlreadyLoadedError` when the territory already has beneficiaries.
    Sets `territory.pilot_start` when it is empty. Flushes, does not commit.
    """
    if territory.id is None:
        session.add(territory)
        session.flush()
    territory_id = territory.id
    existing = session.scalar(
        select(func.count())
        .select_from(Beneficiary)
        .where(Beneficiary.territory_id == territory_id)
    )
    if existing:
        raise DemoAlreadyLoadedError(
            f"Le territoire {territory.code} compte déjà {existing} bénéficiaires : la "
            "démonstration ne peut être chargée que dans un territoire sans données."
        )
    if territory.pilot_start is None:
        territory.pilot_start = data.pilot_start

    lookups: dict[str, Callable[[object], object]] = {}
    counts: dict[str, int] = {}
    for field, table in TABLE_OF_FIELD.items():
        model = MODEL_OF_FIELD[field]
        records = getattr(data, field)
        constants: dict[str, object] = {"territory_id": territory_id}
        if field not in WITHOUT_SOURCE:
            constants["source"] = DataSource.DEMO
        rows: Iterable[dict] = (
            map(_row_maker(records[0], lookups, constants), records) if records else ()
        )
        if field in NATURAL_KEYS:
            key = NATURAL_KEYS[field]
            known = _existing_keys(session, model, territory_id, key)
            rows = (row for row in rows if tuple(row[name] for name in key) not in known)
        counts[table] = _insert(session, model, rows)

        if field == "sites":
            site_ids = _id_map(session, Site, Site.name, territory_id)
            lookups["site"] = lambda name, ids=site_ids: None if name is None else ids[name]
        elif field == "referents":
            referent_ids = _id_map(session, Referent, Referent.code, territory_id)
            lookups["referent"] = lambda code, ids=referent_ids: None if code is None else ids[code]
        elif field == "beneficiaries":
            by_pseudonym = _id_map(session, Beneficiary, Beneficiary.pseudonym, territory_id)
            person_ids = [by_pseudonym[record.pseudonym] for record in records]
            lookups["beneficiary_index"] = person_ids.__getitem__
    session.flush()
    return counts
