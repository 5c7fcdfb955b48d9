"""After `pilotage demo`, no table holds a name, a NIR or a CAF number.

The demo's export files carry made-up NIRs, allocataire numbers and birth dates,
as real exports do; the import through the connectors must store only their
keyed hashes.
"""

from __future__ import annotations

import re

from sqlalchemy import String, Text, inspect, select

from dashboard.demo import generate_demo
from dashboard.demo.identities import demo_identities
from dashboard.demo.install import DEMO_END, install_demo
from dashboard.models import Base

# A NIR: 13 digits (sex, year, month, place, order), optionally a 2-digit key,
# with or without spaces. CAF numbers in the sample exports are 7 digits.
NIR = re.compile(r"\b[12]\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{3}\s?\d{3}(\s?\d{2})?\b")
CAF_NUMBER = re.compile(r"^\d{7}$")
DIGIT_RUNS = re.compile(r"\d{6,}")
SAMPLE_SURNAMES = {"le goff", "benali", "durand", "guérin", "lemoine", "riou", "hamon", "prigent"}


def test_demo_database_holds_no_identity(db_session, tmp_path):
    report = install_demo(db_session, size=200, seed=7, export_dir=tmp_path)
    db_session.commit()
    assert report.counts["beneficiary"] > 200
    # Every identifier the export files carried (NIR with and without key, CAF number,
    # birth date as written), none of which may be found in any text value.
    identities = demo_identities(generate_demo(size=200, seed=7, end=DEMO_END))
    secrets = {i.nir for i in identities} | {i.nir[:13] for i in identities}
    secrets |= {i.caf_number for i in identities}
    birth_dates = {i.birth_date.strftime("%d/%m/%Y") for i in identities}
    written = (tmp_path / "solis").glob("*.csv")
    assert any(identities[0].nir in path.read_text(encoding="cp1252") for path in written)

    inspector = inspect(db_session.get_bind())
    scanned = 0
    for table in Base.metadata.sorted_tables:
        text_columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        assert set(inspector.get_table_names()) >= {table.name}
        if not text_columns:
            continue
        for row in db_session.execute(select(*text_columns)):
            for value in row:
                if value is None:
                    continue
                scanned += 1
                assert not NIR.search(value), (table.name, value)
                assert not CAF_NUMBER.match(value), (table.name, value)
                assert value.lower() not in SAMPLE_SURNAMES, (table.name, value)
                assert not secrets & set(DIGIT_RUNS.findall(value)), table.name
                assert not any(day in value for day in birth_dates), table.name
    assert scanned > 1000
