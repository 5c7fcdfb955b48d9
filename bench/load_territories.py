"""The load test's territories and the cross-territory check on every answer.

Each territory has a code and a name that cannot appear by chance in another
territory's answers (star names: no commune, site or indicator is called
"Aldebaran"), so any answer holding another territory's code or name is a
leak ("fuite"). A user who forges `?territoire=<other code>` must get the
app's French refusal (`dashboard.scope.OUT_OF_SCOPE`) rendered as the page's
"page-error" alert, never the other territory's figures.

Sizes: real départements differ by more than ten times in RSA beneficiaries,
so without `--sizes` the first territory has `--size` people and each next one
a third of the previous (200,000, 66,666, 22,222), never fewer than the demo's
1,400.
"""

from __future__ import annotations

from dataclasses import dataclass

# (code, name, département): ASCII only, so the JSON of an answer holds them verbatim. The
# first keeps the one-territory bench's code (its accounts keep their logins: load_data).
TERRITORY_MARKERS = (
    ("35-CHARGE", "Charge Aldebaran", "35"),
    ("59-BETELGEUSE", "Charge Betelgeuse", "59"),
    ("48-CANOPUS", "Charge Canopus", "48"),
    ("13-DENEBOLA", "Charge Denebola", "13"),
    ("75-ELTANIN", "Charge Eltanin", "75"),
    ("2A-FOMALHAUT", "Charge Fomalhaut", "2A"),
)
MIN_SIZE = 1400  # the demo's size: below it some pages have too few people to show
LEAK = "fuite"  # an error whose text starts with this is a cross-territory leak
REFUSAL = "refus attendu"  # a forged address refused as expected: counted, not an error
OUT_OF_SCOPE = "Territoire inconnu ou hors de votre p"  # dashboard.scope.OUT_OF_SCOPE's start


@dataclass(frozen=True)
class LoadTerritory:
    code: str
    name: str
    departement: str
    size: int


def plan_territories(count: int, size: int, sizes: list[int] | None = None) -> list[LoadTerritory]:
    """`count` territories: `sizes` when given, else `size` then a third of the previous."""
    if not 1 <= count <= len(TERRITORY_MARKERS):
        raise SystemExit(f"--territories must be 1 to {len(TERRITORY_MARKERS)}")
    if sizes is None:
        sizes = [size]
        while len(sizes) < count:
            sizes.append(max(MIN_SIZE, sizes[-1] // 3))
    if len(sizes) != count:
        raise SystemExit(f"--sizes gives {len(sizes)} sizes for {count} territories")
    return [
        LoadTerritory(code, name, departement, people)
        for (code, name, departement), people in zip(TERRITORY_MARKERS, sizes, strict=False)
    ]


class LeakCheck:
    """Finds another territory's code or name in an answer of `own`'s user."""

    def __init__(self, own: str, codes: list[str]):
        markers = {code: name for code, name, _ in TERRITORY_MARKERS}
        self.own = own
        self.others = [(code, markers[code]) for code in codes if code != own]

    def foreign_code(self) -> str | None:
        return self.others[0][0] if self.others else None

    def __call__(self, text: str, forged: str | None = None) -> str | None:
        """The leak in `text`, or None. A forged code is the user's own input, which the
        address may echo back: for that visit only the other territory's name counts."""
        for code, name in self.others:
            if name in text:
                return f"{LEAK}: {name!r} ({code})"
            if code != forged and code in text:
                return f"{LEAK}: code {code}"
        return None
