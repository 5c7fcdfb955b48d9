"""Property-based tests (hypothesis): date parsing, deadline parsing, pseudonymisation.

Every property runs a bounded, derandomised number of examples, so CI sees the same
examples on every run; no example database is written.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from connectors.deadlines import parse_deadline
from connectors.pseudonym import (
    IdentifierError,
    caf_birth_key,
    caf_key,
    normalise_nir,
    pseudonym_from_nir,
    pseudonymise,
)
from connectors.values import EXCEL_EPOCH, EXCEL_SERIAL_RANGE, parse_date, parse_datetime

BOUNDED = settings(max_examples=200, deadline=None, derandomize=True, database=None)

# --- date parsing -----------------------------------------------------------------------------

# dd/mm/yy pivots at 69: 00-68 -> 20xx, 69-99 -> 19xx (connectors.values).
TWO_DIGIT_YEARS = (dt.date(1969, 1, 1), dt.date(2068, 12, 31))
SERIAL_DATES = (
    EXCEL_EPOCH + dt.timedelta(days=EXCEL_SERIAL_RANGE[0]),
    EXCEL_EPOCH + dt.timedelta(days=EXCEL_SERIAL_RANGE[1]),
)


def spellings(day: dt.date) -> list[str]:
    """Every spelling of `day` the connectors accept (module docstring of connectors.values)."""
    found = [
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d.%m.%Y}",
        f"{day:%d-%m-%Y}",
        f"{day:%Y-%m-%d}",
        f"{day.year}-{day.month}-{day.day}",
        f"{day:%d/%m/%Y} 00:00",
        f"{day:%d/%m/%Y} 00h00",
        f"{day:%Y-%m-%d}T00:00:00",
        f"{day:%Y-%m-%d} 00:00:00.000",
        f"  {day:%d/%m/%Y}\t",
    ]
    if TWO_DIGIT_YEARS[0] <= day <= TWO_DIGIT_YEARS[1]:
        found.append(f"{day:%d/%m/%y}")
    if SERIAL_DATES[0] <= day <= SERIAL_DATES[1]:
        found.append(str((day - EXCEL_EPOCH).days))
    return found


@BOUNDED
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_accepted_spelling_of_a_date_reads_back_as_that_date(day: dt.date) -> None:
    for text in spellings(day):
        assert parse_date(text) == day, text


@BOUNDED
@given(
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2100, 12, 31)).map(
        lambda moment: moment.replace(microsecond=0)
    )
)
def test_date_times_round_trip_to_the_second(moment: dt.datetime) -> None:
    assert parse_datetime(f"{moment:%d/%m/%Y %H:%M:%S}") == moment
    assert parse_datetime(moment.isoformat()) == moment
    assert parse_datetime(f"{moment:%d/%m/%Y %Hh%M}") == moment.replace(second=0)


def _rejected_as_documented(text: str) -> None:
    """Either a date, or a ValueError with one of the two documented French reasons."""
    try:
        parse_datetime(text)
    except ValueError as error:
        message = str(error)
        assert message.startswith(("date impossible : ", "date illisible : ")), message
        assert message.endswith(("(attendu : jj/mm/aaaa)", text.strip())), message


NEAR_DATES = st.from_regex(
    r"\A\d{1,3}[/.\-]\d{1,3}[/.\-]\d{1,5}(?:[ T]\d{1,3}[:h]\d{1,3}(?::\d{1,3})?)?\Z"
)


@pytest.mark.slow
@BOUNDED
@given(st.one_of(st.text(), NEAR_DATES, st.from_regex(r"\A\d{4,6}(?:\.\d{1,4})?\Z")))
def test_any_text_is_a_date_or_the_documented_rejection(text: str) -> None:
    _rejected_as_documented(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2024", "date impossible : 31/02/2024"),
        ("29/02/2023", "date impossible : 29/02/2023"),
        ("2024-13-01", "date impossible : 2024-13-01"),
        ("01/01/2024 24:00", "date impossible : 01/01/2024 24:00"),
        ('=HYPERLINK("x")', 'date illisible : =HYPERLINK("x") (attendu : jj/mm/aaaa)'),
        ("10000", "date illisible : 10000 (attendu : jj/mm/aaaa)"),  # serial before 1950
    ],
)
def test_known_rejections(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_datetime(text)
    assert str(caught.value) == reason


# --- deadline parsing -------------------------------------------------------------------------

MONTHS = [
    "janvier",
    "février",
    "Mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "sept.",
    "octobre",
    "novembre",
    "décembre",
]
ORDINAL = {1: "1er", 2: "2e"}


@st.composite
def single_deadlines(draw) -> tuple[str, str]:  # noqa: ANN001
    """(cell text, kind) of one deadline expression, without a year."""
    kind = draw(st.sampled_from(["month", "fin", "mi", "debut", "quarter", "semester", "day"]))
    month = draw(st.integers(1, 12))
    name = MONTHS[month - 1]
    if kind == "month":
        return name, kind
    if kind == "fin":
        return f"Fin {name}", kind
    if kind == "mi":
        return f"Mi-{name}", kind
    if kind == "debut":
        return f"Début {name}", kind
    if kind == "quarter":
        number = draw(st.integers(1, 4))
        return draw(st.sampled_from([f"T{number}", f"{number}e trimestre"])), kind
    if kind == "semester":
        number = draw(st.integers(1, 2))
        return draw(st.sampled_from([f"S{number}", f"{ORDINAL[number]} semestre"])), kind
    day = draw(st.integers(1, 28))
    return f"{day} {name}", kind


@BOUNDED
@given(single_deadlines(), st.integers(2000, 2099), st.booleans())
def test_a_deadline_falls_inside_its_year(case: tuple[str, str], year: int, stated: bool) -> None:
    """ "Fin mars", "T2", "1er semestre 2024"...: inside the year written, else the roadmap's."""
    text, kind = case
    roadmap_year = 2050 if stated and year != 2050 else year
    deadline = parse_deadline(f"{text} {year}" if stated else text, roadmap_year)
    assert deadline.understood, text
    assert deadline.due.year == year, (text, deadline)
    if deadline.start is not None:
        assert deadline.start.year == year and deadline.start <= deadline.due
    # Periods have a start; point deadlines ("Fin mars", a day, "Mi-avril") do not.
    assert (deadline.start is not None) == (kind in ("month", "quarter", "semester"))


@BOUNDED
@given(st.integers(1, 53), st.integers(2000, 2099), st.sampled_from(["S{}", "semaine {}"]))
def test_a_week_deadline_is_the_iso_week_of_its_year(week: int, year: int, spelling: str) -> None:
    assume(spelling == "semaine {}" or week > 2)  # "S1", "S2" are the semesters
    deadline = parse_deadline(spelling.format(week), year)
    exists = dt.date(year, 12, 28).isocalendar().week >= week  # 28/12 is in the last week
    assert deadline.understood == exists
    if exists:
        # An ISO week may start in December or end in January, but its Thursday is in
        # the year, and it lasts 7 days.
        assert (deadline.due - deadline.start).days == 6
        assert (deadline.start + dt.timedelta(days=3)).year == year


@BOUNDED
@given(
    st.lists(single_deadlines(), min_size=2, max_size=4),
    st.integers(2000, 2099),
    st.sampled_from(["\n", " ; ", "\n- ", " • "]),
)
def test_several_deadlines_in_one_cell(cases, year: int, separator: str) -> None:
    deadline = parse_deadline(separator.join(text for text, _ in cases), year)
    assert deadline.understood
    assert list(deadline.milestones) == sorted(set(deadline.milestones))
    assert deadline.due == deadline.milestones[-1]
    assert all(day.year == year for day in deadline.milestones)
    if deadline.start is not None:
        assert deadline.start <= deadline.due


@BOUNDED
@given(st.integers(1, 12), st.integers(1, 12), st.integers(2000, 2098))
def test_a_month_range_never_ends_before_it_starts(first: int, last: int, year: int) -> None:
    deadline = parse_deadline(f"{MONTHS[first - 1]} / {MONTHS[last - 1]}", year)
    assert deadline.understood and deadline.start <= deadline.due
    assert deadline.start == dt.date(year, first, 1)
    # "Novembre / Février" rolls over into the next year.
    assert deadline.due.year == (year if last >= first else year + 1)


@BOUNDED
@given(st.text(), st.integers(-10_000, 10_000))
def test_any_text_and_any_year_never_raise(text: str, year: int) -> None:
    deadline = parse_deadline(text, year)
    if deadline.start is not None and deadline.due is not None:
        assert deadline.start <= deadline.due


# --- pseudonymisation -------------------------------------------------------------------------


def nir_with_key(body: str) -> str:
    numeric = body[:5] + {"2A": "19", "2B": "18"}.get(body[5:7], body[5:7]) + body[7:]
    return f"{body}{97 - int(numeric) % 97:02d}"


NIR_BODIES = st.builds(
    lambda sex, year, month, department, commune, order: (
        f"{sex}{year:02d}{month:02d}{department}{commune:03d}{order:03d}"
    ),
    st.sampled_from("12"),
    st.integers(0, 99),
    st.integers(1, 12),
    st.sampled_from([f"{number:02d}" for number in range(1, 96) if number != 20] + ["2A", "2B"]),
    st.integers(1, 999),
    st.integers(1, 999),
)
KEYS = st.text(min_size=1, max_size=64)


LAYOUTS = {
    "plain": lambda full: full,
    "spaced key": lambda full: f"{full[:13]} {full[13:]}",
    "grouped": lambda full: " ".join(
        (full[:1], full[1:3], full[3:5], full[5:7], full[7:10], full[10:13], full[13:])
    ),
    "dotted, dashed": lambda full: f" {full[:7]}.{full[7:13]}-{full[13:]} ",
    "lower case": lambda full: full.lower(),
}


@BOUNDED
@given(NIR_BODIES, KEYS, st.sampled_from(sorted(LAYOUTS)))
def test_pseudonym_is_stable_and_never_the_identifier(body: str, key: str, layout: str) -> None:
    full = nir_with_key(body)
    pseudonym = pseudonym_from_nir(key, LAYOUTS[layout](full))
    # The same person, however the NIR is spelled: the same pseudonym, every time.
    assert pseudonym == pseudonym_from_nir(key, body) == pseudonym_from_nir(key, full)
    assert pseudonym == pseudonymise(key, nir=full)
    assert len(pseudonym) == 64 and set(pseudonym) <= set("0123456789abcdef")
    assert body not in pseudonym and full not in pseudonym


@BOUNDED
@given(NIR_BODIES, KEYS, KEYS)
def test_different_keys_give_different_pseudonyms(body: str, key: str, other: str) -> None:
    if key != other:
        assert pseudonym_from_nir(key, body) != pseudonym_from_nir(other, body)


@BOUNDED
@given(
    st.from_regex(r"\A[1-9][0-9]{4,11}\Z"),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
    KEYS,
)
def test_link_keys_are_stable_and_kept_apart(caf: str, birth: dt.date, key: str) -> None:
    by_caf = caf_key(key, caf)
    by_caf_and_birth = caf_birth_key(key, caf, birth)
    # Leading zeros and spaces do not make another person.
    assert by_caf == caf_key(key, " 0" + caf) and by_caf_and_birth == caf_birth_key(
        key, "0" + caf, birth
    )
    assert by_caf != by_caf_and_birth
    assert caf not in by_caf and caf not in by_caf_and_birth
    assert pseudonymise(key, caf_number=caf, birth_date=birth) == by_caf_and_birth


@BOUNDED
@given(st.text(max_size=30), KEYS)
def test_any_nir_text_is_a_pseudonym_or_an_identifier_error(text: str, key: str) -> None:
    """Only IdentifierError (a French sentence that never quotes the input) or a pseudonym."""
    try:
        pseudonym = pseudonym_from_nir(key, text)
    except IdentifierError as error:
        assert str(error).startswith("NIR invalide : ")
        if len(text.strip()) >= 6:  # shorter texts may be words of the message itself
            assert text.strip() not in str(error)
    else:
        assert len(pseudonym) == 64 and pseudonym != text
        assert normalise_nir(text).isascii()


@pytest.mark.parametrize("nir", ["1040635257392²8", "104063525739²18", "1040635257392١٨"])
def test_non_ascii_digits_are_an_identifier_error(nir: str) -> None:
    # "²" passes str.isdigit() but not int(): it must be refused like any bad character.
    with pytest.raises(IdentifierError, match="NIR invalide"):
        normalise_nir(nir)


@pytest.mark.slow
def test_no_collision_on_200_000_distinct_nirs() -> None:
    """200,000 distinct NIR bodies (sex, birth year and month, department, commune, order
    varied together) give 200,000 distinct pseudonyms under one key."""
    key = "cle-de-test"
    seen: set[str] = set()
    bodies: set[str] = set()
    for index in range(200_000):
        body = (
            f"{1 + index % 2}{index % 100:02d}{1 + index % 12:02d}"
            f"{1 + (index // 12) % 95:02d}{(index // 7) % 1000:03d}{index // 1000 % 1000:03d}"
        )
        bodies.add(body)
        seen.add(pseudonym_from_nir(key, body))
    assert len(bodies) == 200_000
    assert len(seen) == 200_000
