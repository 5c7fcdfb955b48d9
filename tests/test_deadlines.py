"""Roadmap deadlines and owners, read the way people write them (domain.md section 6)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from connectors.deadlines import Deadline, parse_deadline, split_owners

D = date
CONT = True  # continuous

# (text, year, start, due, continuous): every case here is understood.
UNDERSTOOD = [
    # Months: due = last day; a bare month is a period starting on the 1st.
    ("Avril", 2024, D(2024, 4, 1), D(2024, 4, 30), False),
    ("septembre", 2024, D(2024, 9, 1), D(2024, 9, 30), False),
    ("AVRIL", 2024, D(2024, 4, 1), D(2024, 4, 30), False),
    ("Février 2024", 2024, D(2024, 2, 1), D(2024, 2, 29), False),
    ("fevrier", 2025, D(2025, 2, 1), D(2025, 2, 28), False),
    ("FÉVRIER 2023", 2024, D(2023, 2, 1), D(2023, 2, 28), False),
    ("août", 2024, D(2024, 8, 1), D(2024, 8, 31), False),
    ("sept.", 2024, D(2024, 9, 1), D(2024, 9, 30), False),
    ("janv. 2025", 2024, D(2025, 1, 1), D(2025, 1, 31), False),
    ("déc", 2024, D(2024, 12, 1), D(2024, 12, 31), False),
    # Début -> 10th, Mi -> 15th, Fin -> last day: points, no start.
    ("Fin mars", 2024, None, D(2024, 3, 31), False),
    ("  fin   MARS ", 2024, None, D(2024, 3, 31), False),
    ("Fin février", 2024, None, D(2024, 2, 29), False),
    ("Fin février", 2025, None, D(2025, 2, 28), False),
    ("Fin décembre 2023", 2024, None, D(2023, 12, 31), False),
    ("Début avril", 2024, None, D(2024, 4, 10), False),
    ("Début juin", 2024, None, D(2024, 6, 10), False),
    ("DEBUT JUIN", 2024, None, D(2024, 6, 10), False),
    ("Mi mai", 2024, None, D(2024, 5, 15), False),
    ("Mi-juillet", 2024, None, D(2024, 7, 15), False),
    ("Mi juillet", 2024, None, D(2024, 7, 15), False),
    ("mi – juillet", 2024, None, D(2024, 7, 15), False),
    ("fin du mois de mai", 2024, None, D(2024, 5, 31), False),
    # Ranges: 1st of the first month -> last day of the last month.
    ("Avril / Mai", 2024, D(2024, 4, 1), D(2024, 5, 31), False),
    ("Mai/Juin", 2024, D(2024, 5, 1), D(2024, 6, 30), False),
    ("avril-mai", 2024, D(2024, 4, 1), D(2024, 5, 31), False),
    ("avril — mai", 2024, D(2024, 4, 1), D(2024, 5, 31), False),
    ("Janvier 2024 mars 2024", 2024, D(2024, 1, 1), D(2024, 3, 31), False),
    ("de janvier à mars", 2024, D(2024, 1, 1), D(2024, 3, 31), False),
    ("De janvier jusqu'à fin mars", 2024, D(2024, 1, 1), D(2024, 3, 31), False),
    ("Novembre / Janvier", 2024, D(2024, 11, 1), D(2025, 1, 31), False),
    ("Novembre 2024 / janvier", 2024, D(2024, 11, 1), D(2025, 1, 31), False),
    ("Novembre / janvier 2025", 2024, D(2024, 11, 1), D(2025, 1, 31), False),
    ("Décembre 2023 - février 2024", 2024, D(2023, 12, 1), D(2024, 2, 29), False),
    ("du 01/03/2024 au 15/04/2024", 2024, D(2024, 3, 1), D(2024, 4, 15), False),
    ("S12-S14", 2024, D(2024, 3, 18), D(2024, 4, 7), False),
    # Quarters.
    ("1er trimestre", 2024, D(2024, 1, 1), D(2024, 3, 31), False),
    ("1er trimestre 2024", 2024, D(2024, 1, 1), D(2024, 3, 31), False),
    ("T2", 2024, D(2024, 4, 1), D(2024, 6, 30), False),
    ("2e trimestre 2024", 2024, D(2024, 4, 1), D(2024, 6, 30), False),
    ("2ème trimestre", 2024, D(2024, 4, 1), D(2024, 6, 30), False),
    ("deuxième trimestre", 2024, D(2024, 4, 1), D(2024, 6, 30), False),
    ("3eme trimestre", 2024, D(2024, 7, 1), D(2024, 9, 30), False),
    ("T4 2024", 2024, D(2024, 10, 1), D(2024, 12, 31), False),
    ("T1 2025", 2024, D(2025, 1, 1), D(2025, 3, 31), False),
    ("fin T3", 2025, D(2025, 7, 1), D(2025, 9, 30), False),
    # Semesters: S1 / S2 are semesters, never ISO weeks 1 and 2.
    ("1er semestre", 2024, D(2024, 1, 1), D(2024, 6, 30), False),
    ("1er semestre 2024", 2024, D(2024, 1, 1), D(2024, 6, 30), False),
    ("S1", 2024, D(2024, 1, 1), D(2024, 6, 30), False),
    ("S1", 2025, D(2025, 1, 1), D(2025, 6, 30), False),
    ("fin S1", 2024, D(2024, 1, 1), D(2024, 6, 30), False),
    ("Prévu fin S1", 2024, D(2024, 1, 1), D(2024, 6, 30), False),
    ("premier semestre 2024", 2024, D(2024, 1, 1), D(2024, 6, 30), False),
    ("2nd semestre", 2024, D(2024, 7, 1), D(2024, 12, 31), False),
    ("2e semestre", 2024, D(2024, 7, 1), D(2024, 12, 31), False),
    ("second semestre", 2024, D(2024, 7, 1), D(2024, 12, 31), False),
    ("S2", 2025, D(2025, 7, 1), D(2025, 12, 31), False),
    # ISO weeks: Monday -> Sunday.
    ("S12", 2024, D(2024, 3, 18), D(2024, 3, 24), False),
    ("s12", 2024, D(2024, 3, 18), D(2024, 3, 24), False),
    ("semaine 12", 2024, D(2024, 3, 18), D(2024, 3, 24), False),
    ("sem. 12", 2024, D(2024, 3, 18), D(2024, 3, 24), False),
    ("S12 2024", 2024, D(2024, 3, 18), D(2024, 3, 24), False),
    ("S12", 2025, D(2025, 3, 17), D(2025, 3, 23), False),
    ("S03", 2024, D(2024, 1, 15), D(2024, 1, 21), False),
    ("semaine 1", 2024, D(2024, 1, 1), D(2024, 1, 7), False),  # "semaine" is never a semester
    ("S53", 2026, D(2026, 12, 28), D(2027, 1, 3), False),  # 2026 has 53 ISO weeks
    ("S53 2026", 2024, D(2026, 12, 28), D(2027, 1, 3), False),
    # Explicit dates: points.
    ("15/03/2024", 2024, None, D(2024, 3, 15), False),
    ("15/03/24", 2024, None, D(2024, 3, 15), False),
    ("2024-03-15", 2024, None, D(2024, 3, 15), False),
    ("15.03.2024", 2024, None, D(2024, 3, 15), False),
    ("29/02/2024", 2025, None, D(2024, 2, 29), False),
    ("15 mars 2024", 2024, None, D(2024, 3, 15), False),
    ("1er avril", 2024, None, D(2024, 4, 1), False),
    # Continuous.
    ("Au fil de l'eau – fin décembre 2023", 2024, None, D(2023, 12, 31), CONT),
    ("Au fil de l'eau – fin décembre 2024", 2024, None, D(2024, 12, 31), CONT),
    ("au fil de l’eau — Fin Décembre", 2024, None, D(2024, 12, 31), CONT),
    ("Toute l'année", 2024, D(2024, 1, 1), D(2024, 12, 31), CONT),
    ("Toute l’année", 2025, D(2025, 1, 1), D(2025, 12, 31), CONT),
    ("Toute l'année 2025", 2024, D(2025, 1, 1), D(2025, 12, 31), CONT),
    ("Permanent", 2024, None, None, CONT),
    ("En continu", 2024, None, None, CONT),
    ("Au fil de l'eau", 2024, None, None, CONT),
    ("Continu", 2024, None, None, CONT),
    ("PERMANENTE", 2024, None, None, CONT),
    # Prefixes and trailing free text are ignored.
    ("Prévu pour fin mars", 2024, None, D(2024, 3, 31), False),
    ("d'ici fin juin", 2024, None, D(2024, 6, 30), False),
    ("d’ici la fin juin", 2024, None, D(2024, 6, 30), False),
    ("avant le 15/03/2024", 2024, None, D(2024, 3, 15), False),
    ("pour avril", 2024, D(2024, 4, 1), D(2024, 4, 30), False),
    ("Échéance : T2", 2024, D(2024, 4, 1), D(2024, 6, 30), False),
    ("au plus tard fin S1", 2024, D(2024, 1, 1), D(2024, 6, 30), False),
    ("estimé mai 2024", 2024, D(2024, 5, 1), D(2024, 5, 31), False),
    ("Avril 2024 pour un fichier EXCEL", 2024, D(2024, 4, 1), D(2024, 4, 30), False),
    ("Fin mars (à confirmer)", 2024, None, D(2024, 3, 31), False),
]


@pytest.mark.parametrize(("text", "year", "start", "due", "continuous"), UNDERSTOOD)
def test_understood_deadlines(text, year, start, due, continuous):
    deadline = parse_deadline(text, year)
    assert deadline == Deadline(
        text=text.strip(),
        start=start,
        due=due,
        continuous=continuous,
        milestones=(due,) if due else (),
        understood=True,
    )


NOT_UNDERSTOOD = [
    ("Dès que possible", 2024),
    ("A définir", 2024),
    ("à préciser", 2024),
    ("???", 2024),
    ("", 2024),
    ("   \n ", 2024),
    (None, 2024),
    ("S53", 2024),  # 2024 has 52 ISO weeks
    ("S54", 2026),
    ("S0", 2024),
    ("31/02/2024", 2024),
    ("15/13/2024", 2024),
    ("15/03/1999", 2024),
    ("Avril 1999", 2024),  # 4-digit years are 2000-2099
    ("Mars 2024 / janvier 2024", 2024),  # explicit years, end before start
    ("3e semestre", 2024),
    ("Mi T2", 2024),  # début / mi only qualify a month
    ("Fin 2024", 2024),  # a year alone is not one of the rules
]


@pytest.mark.parametrize(("text", "year"), NOT_UNDERSTOOD)
def test_not_understood_deadlines(text, year):
    deadline = parse_deadline(text, year)
    assert deadline == Deadline(text=(text or "").strip())
    assert not deadline.understood and deadline.due is None and deadline.start is None


MULTI = [
    # (text, start, due, continuous, milestones), year 2024
    ("- Fin mars\n- Fin juin", None, D(2024, 6, 30), False, (D(2024, 3, 31), D(2024, 6, 30))),
    ("• S12 • S20", D(2024, 3, 18), D(2024, 5, 19), False, (D(2024, 3, 24), D(2024, 5, 19))),
    ("T3; T1", D(2024, 1, 1), D(2024, 9, 30), False, (D(2024, 3, 31), D(2024, 9, 30))),
    ("Fin juin\r\nFin juin", None, D(2024, 6, 30), False, (D(2024, 6, 30),)),
    ("Fin juin\nDès que possible", None, D(2024, 6, 30), False, (D(2024, 6, 30),)),
    ("Permanent\n– fin décembre", None, D(2024, 12, 31), CONT, (D(2024, 12, 31),)),
]


@pytest.mark.parametrize(("text", "start", "due", "continuous", "milestones"), MULTI)
def test_several_deadlines_in_one_cell(text, start, due, continuous, milestones):
    deadline = parse_deadline(text, 2024)
    assert deadline == Deadline(text, start, due, continuous, milestones, True)


def test_several_unreadable_lines_are_not_understood():
    assert parse_deadline("A définir\n???", 2024) == Deadline(text="A définir\n???")


def test_text_is_the_original_stripped_and_non_text_is_empty():
    assert parse_deadline("  Fin mars \n", 2024).text == "Fin mars"
    assert parse_deadline(float("nan"), 2024) == Deadline(text="")  # type: ignore[arg-type]


def test_every_example_of_the_sample_roadmap_is_understood():
    # /work/shared/samples/feuille_de_route.csv, column "Échéance estimée".
    samples = ["Fin mars", "S12", "Mi-juillet", "1er semestre 2024", "Avril / Mai"]
    samples += ["2e trimestre 2024", "Permanent", "Début juin"]
    samples += ["Au fil de l'eau – fin décembre 2024"]
    assert all(parse_deadline(text, 2024).understood for text in samples)


OWNERS = [
    ("CD, FT", ("CD", "FT")),
    ("CD, FT, MSA", ("CD", "FT", "MSA")),
    ("FT, Etat", ("FT", "ETAT")),
    ("CD, FT, Etat", ("CD", "FT", "ETAT")),
    ("Dpt & PE", ("CD", "FT")),
    ("Pôle emploi / Département", ("FT", "CD")),
    ("pole emploi et departement", ("FT", "CD")),
    ("France Travail + CD35", ("FT", "CD")),
    ("Conseil départemental; DDETS\nPréfecture", ("CD", "ETAT")),
    ("État ET CD", ("ETAT", "CD")),
    ("CAF, MSA, Mission locale, ML", ("CAF", "MSA", "ML")),
    ("Beta.gouv", ("BETA_GOUV",)),
    ("beta gouv / FT", ("BETA_GOUV", "FT")),
    ("FT, PE, France Travail, ft", ("FT",)),
    ("Référent unique, CD", ("Référent unique", "CD")),
    ("  Prestataire X  ", ("Prestataire X",)),
    ("Prestataire X, prestataire x", ("Prestataire X",)),
    ("- CD\n- FT", ("CD", "FT")),
    (" , ; / ", ()),
    ("", ()),
    (None, ()),
]


@pytest.mark.parametrize(("text", "expected"), OWNERS)
def test_split_owners(text, expected):
    assert split_owners(text) == expected


_FUZZ_TOKENS = [
    "fin", "mi", "début", "S12", "S1", "S53", "T2", "semaine", "1er", "trimestre", "semestre",
    "mars", "Novembre", "janvier", "/", "-", "–", " à ", "2024", "1999", "24", "31/02/2024",
    "15/03/24", "\n", ";", "•", "au fil de l'eau", "Toute l'année", "permanent", "d'ici", "?",
    " ", "0", "99", ".", "sem.", "2099", "2100",
]  # fmt: skip


def _check_invariants(deadline: Deadline) -> None:
    if deadline.start and deadline.due:
        assert deadline.due >= deadline.start
    assert list(deadline.milestones) == sorted(set(deadline.milestones))
    if deadline.due:
        assert deadline.understood and deadline.milestones[-1] == deadline.due
    if not deadline.understood:
        assert (deadline.start, deadline.due, deadline.milestones) == (None, None, ())


def test_random_token_soup_never_raises():
    rng = random.Random(20240315)
    for _ in range(3000):
        text = "".join(rng.choice(_FUZZ_TOKENS) for _ in range(rng.randint(0, 6)))
        _check_invariants(parse_deadline(text, rng.choice([2024, 2025, 2026])))


def test_any_text_never_raises():
    hypothesis = pytest.importorskip("hypothesis")
    strategies = pytest.importorskip("hypothesis.strategies")

    @hypothesis.given(strategies.text(), strategies.integers(min_value=2000, max_value=2099))
    def check(text: str, year: int) -> None:
        _check_invariants(parse_deadline(text, year))
        assert isinstance(split_owners(text), tuple)

    check()
