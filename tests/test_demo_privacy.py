"""After `pilotage demo`, no table holds a name, a NIR or a CAF number."""

from __future__ import annotations

import re

from sqlalchemy import String, Text, inspect, select

from dashboard.demo.install import install_demo
from dashboard.models import Base

# A NIR: 13 digits (sex, year, month, place, order), optionally a 2-digit key,
# with or without spaces. CAF numbers in the exports are 7 digits.
NIR = re.compile(r"\b[12]\s?\d{2}\s?\d{2}\s?\d{2}\s?\d{3}\s?\d{3}(\s?\d{2})?\b")
CAF_NUMBER = re.compile(r"^\d{7}$")
SAMPLE_SURNAMES = {"le goff", "benali", "durand", "guérin", "lemoine", "riou", "hamon", "prigent"}


def test_demo_database_holds_no_identity(db_session):
    report = install_demo(db_session, size=200, seed=7)
    db_session.commit()
    assert report.counts["beneficiary"] > 200

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
    assert scanned > 1000
