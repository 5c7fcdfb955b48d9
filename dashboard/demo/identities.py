"""Made-up identifiers for the demo's export files: NIR, CAF/MSA number, birth date.

The demo's export files carry identifiers the way real exports do, so that
`pilotage demo` goes through the connectors' pseudonymisation like any other
import. They are fictitious, and recognisably so:

- NIR: sex, birth year and month, then the place of birth "99" (born abroad)
  with a country code from 900 to 999, which INSEE never assigns (its codes
  stop in the 500s), an order number, and a valid control key;
- CAF/MSA number: "99" then the person's index on at least 6 digits (8
  digits and more; real allocataire numbers have 7);
- birth date: a day of the person's birth year, drawn from the seed.

The same `DemoData` always gets the same identifiers. They only ever exist in
the export files: the import stores keyed hashes of them, never them
(tests/test_demo_privacy.py searches the database).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import numpy as np

from dashboard.demo.records import DemoData
from dashboard.models import Sex

# A random stream of its own: the identifiers never change the generated facts.
IDENTITY_STREAM = 7
FIRST_FAKE_COUNTRY = 900
ORDERS_PER_PLACE = 999
PLACES = 100  # country codes 900 to 999


@dataclass(frozen=True, slots=True)
class DemoIdentity:
    """What an export knows of a person: 15-character NIR, CAF/MSA number, birth date."""

    nir: str
    caf_number: str
    birth_date: dt.date


def nir_control_key(body: str) -> int:
    """97 minus the 13-digit body modulo 97 (no Corsican departement here)."""
    return 97 - int(body) % 97


def demo_identities(data: DemoData) -> list[DemoIdentity]:
    """One identity per beneficiary, in the order of `data.beneficiaries`."""
    rng = np.random.default_rng([data.seed, IDENTITY_STREAM])
    shares = rng.random(len(data.beneficiaries)).tolist()
    taken: Counter[tuple[str, int, int]] = Counter()
    identities = []
    for index, (person, share) in enumerate(zip(data.beneficiaries, shares, strict=True)):
        year = person.birth_year
        days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
        born = dt.date(year, 1, 1) + dt.timedelta(days=int(share * days))
        sex = "2" if person.sex == Sex.F else "1"
        number = taken[(sex, year, born.month)]
        taken[(sex, year, born.month)] += 1
        if number >= PLACES * ORDERS_PER_PLACE:
            raise ValueError("Trop de personnes nées le même mois pour des NIR fictifs.")
        place = FIRST_FAKE_COUNTRY + number // ORDERS_PER_PLACE
        order = number % ORDERS_PER_PLACE + 1
        body = f"{sex}{year % 100:02d}{born.month:02d}99{place:03d}{order:03d}"
        identities.append(
            DemoIdentity(f"{body}{nir_control_key(body):02d}", f"99{index:06d}", born)
        )
    return identities
