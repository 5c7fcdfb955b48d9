"""The 22 pilot indicators written again in plain pandas: the benchmark's baseline.

A straightforward reading of the definitions of docs/indicators.md (the
docstrings of metrics/): merges, boolean masks, groupby, one function per
indicator, no shared cache between indicators and no tuning. It takes the
same tables as the engine, converted once to pandas (`to_pandas`), and
returns for each indicator what `bench.agreement.engine_summary` extracts
from an engine result, so the two can be compared figure by figure.

Dates are `datetime64` columns compared with `pd.Timestamp`; "one calendar
month" is `pd.DateOffset(months=1)` (clamped to the end of a shorter month,
like the engine). Rates are rounded half away from zero from the exact
fraction, delays' median and 75th percentile are pandas' (linear
interpolation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from fractions import Fraction

import numpy as np
import pandas as pd
import polars as pl

from metrics.params import Params

BID = "beneficiary_id"
DAY = pd.Timedelta(days=1)
UNKNOWN = "inconnu"
ORGANISMES = ("FT", "CD", "ML", "CAP_EMPLOI", "MSA", "CCAS", "OTHER")
DOMINANTES = ("emploi", "socio_professionnel", "social")
FIRST_KINDS = ("orientation", "accompagnement")
KNOWN_STATUSES = ("present", "absent", "excuse")
WEEKS = 4


@dataclass(frozen=True)
class PandasTables:
    """The eight input tables as pandas DataFrames (column names of metrics/frames.py)."""

    people: pd.DataFrame
    rights: pd.DataFrame
    orientations: pd.DataFrame
    appointments: pd.DataFrame
    contracts: pd.DataFrame
    referents: pd.DataFrame
    activity_hours: pd.DataFrame
    outcomes: pd.DataFrame


def _column(series: pl.Series) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """One polars column as a pandas-ready array (no pyarrow needed)."""
    if series.dtype.is_integer():
        if series.null_count() == 0:
            return series.to_numpy()
        return pd.array(series.cast(pl.Float64).to_numpy(), dtype="Int64")
    return series.to_numpy()


def frame_to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """A polars DataFrame as a pandas one: dates as datetime64, strings as str, nullable
    integers as Int64."""
    data = {name: _column(frame[name]) for name in frame.columns}
    return pd.DataFrame(data, columns=frame.columns)


def to_pandas(tables: dict[str, pl.DataFrame]) -> PandasTables:
    """`tables` (as `bench.generate_frames` or the engine's Frames hold them) in pandas."""
    names = [item.name for item in fields(PandasTables)]
    return PandasTables(**{name: frame_to_pandas(tables[name]) for name in names})


# -- numbers ---------------------------------------------------------------------------


def percent(numerator: int, denominator: int) -> float | None:
    """100 * numerator / denominator to one decimal, halves up; None for an empty base."""
    if denominator == 0:
        return None
    return ((2000 * numerator + denominator) // (2 * denominator)) / 10


def round_one(value: Fraction | float) -> float:
    """`value` to one decimal, halves away from zero, from its exact value."""
    exact = Fraction(value) * 10
    magnitude = (abs(exact) + Fraction(1, 2)).__floor__()
    return (magnitude if exact >= 0 else -magnitude) / 10


def rate(numerator: int, denominator: int) -> dict:
    return {
        "value": percent(numerator, denominator),
        "numerator": numerator,
        "denominator": denominator,
    }


def delay_stats(days: pd.Series) -> dict:
    """The median (value), mean, 75th percentile and count of whole-day delays."""
    days = days.dropna().astype("int64")
    count = int(days.size)
    if count == 0:
        return {
            "value": None,
            "numerator": None,
            "denominator": None,
            "mean": None,
            "p75": None,
            "count": 0,
        }
    return {
        "value": round_one(float(days.median())),
        "numerator": None,
        "denominator": None,
        "mean": round_one(Fraction(int(days.sum()), count)),
        "p75": round_one(float(days.quantile(0.75))),
        "count": count,
    }


# -- who is counted ----------------------------------------------------------------------


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def covering(rights: pd.DataFrame, day) -> pd.Series:
    """Rights rows that make their person subject to droits et devoirs on `day` (a
    Timestamp or a Series aligned with `rights`)."""
    return (
        rights["duties_start_on"].notna()
        & (rights["duties_start_on"] <= day)
        & (rights["duties_end_on"].isna() | (rights["duties_end_on"] >= day))
        & (rights["exit_on"].isna() | (rights["exit_on"] > day))
    )


def subject_on(rights: pd.DataFrame, day: dt.date) -> pd.Index:
    """beneficiary_ids subject to droits et devoirs on `day`."""
    return pd.Index(rights.loc[covering(rights, _ts(day)), BID].unique())


def latest_orientations(orientations: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Each person's orientation in force at `as_of` (latest decided; same day: the
    re-orientation, then the latest notified by `as_of`: a later notification is not
    known yet)."""
    known = orientations[orientations["decided_on"] <= _ts(as_of)]
    known = known.assign(notified_by=known["notified_on"].where(known["notified_on"] <= _ts(as_of)))
    ordered = known.sort_values(
        [BID, "decided_on", "is_reorientation", "notified_by"],
        ascending=[True, False, False, False],
        na_position="last",
        kind="stable",
    )
    return ordered.drop_duplicates(BID).drop(columns="notified_by")


def oriented_stock(t: PandasTables, as_of: dt.date) -> pd.DataFrame:
    """People subject at `as_of` with an orientation decided by then, and that orientation."""
    stock = pd.DataFrame({BID: subject_on(t.rights, as_of)})
    latest = latest_orientations(t.orientations, as_of)[[BID, "organisme", "dominante"]]
    return stock.merge(latest, on=BID, how="inner")


def _anti(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    marked = left.merge(right.drop_duplicates(), on=on, how="left", indicator=True)
    return marked.loc[marked["_merge"] == "left_only", list(left.columns)]


def new_entrants(t: PandasTables, start: dt.date, end: dt.date, as_of: dt.date, params: Params):
    """The period's new entrants: beneficiary_id, entry_on, notification_received_on,
    rights_opened_on (one row per person, their first entry)."""
    last = _ts(min(end, as_of))
    rights = t.rights
    starts = rights.loc[
        rights["duties_start_on"].notna()
        & (rights["duties_start_on"] >= _ts(start))
        & (rights["duties_start_on"] <= last),
        [BID, "duties_start_on", "notification_received_on", "rights_opened_on"],
    ].rename(columns={"duties_start_on": "entry_on"})
    days = starts[[BID, "entry_on"]].drop_duplicates()
    before = days.merge(rights, on=BID)
    covered = before.loc[covering(before, before["entry_on"] - DAY), [BID, "entry_on"]]
    lookback = days.merge(t.orientations[[BID, "decided_on"]], on=BID)
    since = lookback["entry_on"] - pd.DateOffset(months=params.new_entrant_lookback_months)
    followed = lookback.loc[
        (lookback["decided_on"] < lookback["entry_on"]) & (lookback["decided_on"] >= since),
        [BID, "entry_on"],
    ]
    entries = _anti(_anti(starts, covered, [BID, "entry_on"]), followed, [BID, "entry_on"])
    ordered = entries.sort_values(
        [BID, "entry_on", "notification_received_on", "rights_opened_on"], na_position="last"
    )
    return ordered.drop_duplicates(BID).reset_index(drop=True)


def entrant_facts(t: PandasTables, start: dt.date, end: dt.date, as_of: dt.date, params: Params):
    """New entrants with the notification of their entry orientation (NaT when none known
    at `as_of`): the first decided on or after entry that was notified by `as_of`, else the
    first decided."""
    entrants = new_entrants(t, start, end, as_of, params)
    orientations = t.orientations[t.orientations["decided_on"] <= _ts(as_of)]
    candidates = entrants[[BID, "entry_on"]].merge(orientations, on=BID)
    candidates = candidates[candidates["decided_on"] >= candidates["entry_on"]].copy()
    candidates["notified_known"] = candidates["notified_on"].notna() & (
        candidates["notified_on"] <= _ts(as_of)
    )
    entry = candidates.sort_values(
        [BID, "notified_known", "decided_on", "notified_on"],
        ascending=[True, False, True, True],
        na_position="last",
    ).drop_duplicates(BID)
    entry = entry.assign(notified_on=entry["notified_on"].where(entry["notified_known"]))
    return entrants.merge(entry[[BID, "notified_on"]], on=BID, how="left")


# -- orientation ---------------------------------------------------------------------------


def nouveaux_entrants(t, start, end, as_of, params) -> dict:
    count = int(new_entrants(t, start, end, as_of, params).shape[0])
    return {"value": count, "numerator": count, "denominator": None}


def _window_counted(t, start, end, as_of, params, window: str) -> pd.DataFrame:
    """The entrants counted by an orientation window rate, with `in_time`."""
    facts = entrant_facts(t, start, end, as_of, params)
    t0 = facts["notification_received_on"]
    if window == "1mois":
        t0 = t0.fillna(facts["rights_opened_on"])
    measured = facts[t0.notna()].assign(t0=t0[t0.notna()])
    if window == "15j":
        deadline = measured["t0"] + pd.Timedelta(days=params.orientation_days - 1)
    elif window == "6sem":
        deadline = measured["t0"] + pd.Timedelta(days=params.legal_orientation_days)
    else:
        deadline = measured["t0"] + pd.DateOffset(months=params.orientation_months)
    in_time = measured["notified_on"].notna() & (measured["notified_on"] <= deadline)
    still_open = ~in_time & (_ts(as_of) <= deadline)
    return measured.assign(in_time=in_time)[~still_open]


def _window_rate(t, start, end, as_of, params, window: str) -> dict:
    counted = _window_counted(t, start, end, as_of, params, window)
    return rate(int(counted["in_time"].sum()), int(counted.shape[0]))


def taux_orientes_15j(t, start, end, as_of, params) -> dict:
    return _window_rate(t, start, end, as_of, params, "15j")


def taux_orientes_1mois(t, start, end, as_of, params) -> dict:
    return _window_rate(t, start, end, as_of, params, "1mois")


def taux_orientes_6sem(t, start, end, as_of, params) -> dict:
    return _window_rate(t, start, end, as_of, params, "6sem")


def delai_orientation_median_j(t, start, end, as_of, params) -> dict:
    facts = entrant_facts(t, start, end, as_of, params)
    measured = facts[facts["notified_on"].notna() & facts["notification_received_on"].notna()]
    return delay_stats((measured["notified_on"] - measured["notification_received_on"]).dt.days)


def taux_orientation(t, start, end, as_of, params) -> dict:
    stock = subject_on(t.rights, as_of)
    oriented = t.orientations.loc[t.orientations["decided_on"] <= _ts(as_of), BID].unique()
    return rate(int(stock.isin(oriented).sum()), int(stock.size))


def _split(t, as_of, column: str, categories: tuple[str, ...]) -> dict:
    rows = oriented_stock(t, as_of)
    counts = rows[column].fillna(UNKNOWN).value_counts()
    total = int(rows.shape[0])
    keys = list(categories) + sorted(k for k in counts.index if k not in categories)
    breakdown = {}
    for key in keys:
        count = int(counts.get(key, 0))
        breakdown[key] = {"count": count, "share": percent(count, total)}
    return {"value": None, "numerator": None, "denominator": total, "breakdown": breakdown}


def repartition_organisme(t, start, end, as_of, params) -> dict:
    return _split(t, as_of, "organisme", ORGANISMES)


def repartition_dominante(t, start, end, as_of, params) -> dict:
    return _split(t, as_of, "dominante", DOMINANTES)


# -- accompaniment and appointments ---------------------------------------------------


def _appointments(t: PandasTables) -> pd.DataFrame:
    """Appointments with their row number (`row`) and day (`day`)."""
    appointments = t.appointments.reset_index(drop=True)
    return appointments.assign(
        row=np.arange(appointments.shape[0]), day=appointments["scheduled_at"].dt.normalize()
    )


def _first_attended(t: PandasTables, as_of: dt.date) -> pd.Series:
    """Each person's first attended accompaniment appointment day on or before `as_of`."""
    appointments = _appointments(t)
    attended = appointments[
        (appointments["kind"] == "accompagnement")
        & (appointments["status"] == "present")
        & (appointments["day"] <= _ts(as_of))
    ]
    return attended.groupby(BID)["day"].min()


def delai_premier_accompagnement_median_j(t, start, end, as_of, params) -> dict:
    cut = _ts(as_of)
    contracts = t.contracts[t.contracts["signed_on"] <= cut]
    hours = t.activity_hours[
        (t.activity_hours["hours"] > 0) & (t.activity_hours["week_start"] <= cut)
    ]
    firsts = pd.concat(
        [
            _first_attended(t, as_of),
            contracts.groupby(BID)["signed_on"].min(),
            hours.groupby(BID)["week_start"].min(),
        ]
    )
    acts = firsts.groupby(level=0).min().rename("act_on").reset_index()
    acts = acts[(acts["act_on"] >= _ts(start)) & (acts["act_on"] <= _ts(min(end, as_of)))]
    spells = acts.merge(t.rights[[BID, "duties_start_on", "rights_opened_on"]], on=BID)
    spells = spells[spells["duties_start_on"] <= spells["act_on"]]
    spell = spells.sort_values(
        [BID, "duties_start_on", "rights_opened_on"],
        ascending=[True, False, True],
        na_position="last",
    ).drop_duplicates(BID)
    measured = spell[spell["rights_opened_on"].notna()]
    return delay_stats((measured["act_on"] - measured["rights_opened_on"]).dt.days)


def taux_premier_rdv_15j(t, start, end, as_of, params) -> dict:
    cut = _ts(as_of)
    orientations = t.orientations
    in_period = orientations[
        (orientations["decided_on"] >= _ts(start))
        & (orientations["decided_on"] <= _ts(min(end, as_of)))
    ]
    latest = latest_orientations(in_period, as_of)
    reference = latest["notified_on"].where(latest["notified_on"] <= cut, latest["decided_on"])
    facts = pd.DataFrame({BID: latest[BID], "reference": reference})
    facts["deadline"] = facts["reference"] + pd.Timedelta(days=params.first_appointment_days)
    appointments = _appointments(t)
    appointments = appointments[
        (appointments["kind"] == "accompagnement")
        & (appointments["status"] != "annule")
        & (appointments["invited_on"].fillna(appointments["day"]) <= cut)
    ]
    pairs = facts.merge(appointments[[BID, "day"]], on=BID)
    followed = pairs.loc[
        (pairs["day"] >= pairs["reference"]) & (pairs["day"] <= pairs["deadline"]), BID
    ].unique()
    in_time = facts[BID].isin(followed)
    counted = in_time | (cut > facts["deadline"])
    return rate(int((in_time & counted).sum()), int(counted.sum()))


def _first_appointments(t, start, end, as_of) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(all appointments with row and day, the first appointments held in the period)."""
    appointments = _appointments(t)
    candidates = appointments[
        appointments["kind"].isin(FIRST_KINDS)
        & (appointments["status"] != "annule")
        & (appointments["day"] <= _ts(as_of))
    ]
    firsts = candidates.sort_values([BID, "scheduled_at", "row"]).drop_duplicates(BID)
    firsts = firsts[(firsts["day"] >= _ts(start)) & (firsts["day"] <= _ts(min(end, as_of)))]
    return appointments, firsts


def taux_absence_premier_rdv(t, start, end, as_of, params) -> dict:
    _, firsts = _first_appointments(t, start, end, as_of)
    known = firsts[firsts["status"].isin(KNOWN_STATUSES)]
    return rate(int((known["status"] == "absent").sum()), int(known.shape[0]))


def taux_relance_15j(t, start, end, as_of, params) -> dict:
    cut = _ts(as_of)
    appointments, firsts = _first_appointments(t, start, end, as_of)
    absences = firsts[firsts["status"] == "absent"].copy()
    absences["deadline"] = absences["day"] + pd.Timedelta(days=params.reminder_days)
    reminded = (
        (absences["reminder_on"] >= absences["day"])
        & (absences["reminder_on"] <= absences["deadline"])
        & (absences["reminder_on"] <= cut)
    )
    others = pd.DataFrame(
        {
            BID: appointments[BID],
            "other_row": appointments["row"],
            "invited": appointments["invited_on"].fillna(appointments["day"]),
        }
    )
    pairs = absences[[BID, "row", "day", "deadline"]].merge(others, on=BID)
    invited = pairs.loc[
        (pairs["other_row"] != pairs["row"])
        & (pairs["invited"] >= pairs["day"])
        & (pairs["invited"] <= pairs["deadline"])
        & (pairs["invited"] <= cut),
        "row",
    ].unique()
    followed = reminded | absences["row"].isin(invited)
    counted = followed | (cut > absences["deadline"])
    return rate(int((followed & counted).sum()), int(counted.sum()))


# -- contracts ---------------------------------------------------------------------------


def taux_contrat_engagement(t, start, end, as_of, params) -> dict:
    cut = _ts(as_of)
    oriented = oriented_stock(t, as_of)
    contracts = t.contracts
    in_force = contracts.loc[
        (contracts["signed_on"] <= cut)
        & (contracts["ended_on"].isna() | (contracts["ended_on"] > cut)),
        BID,
    ].unique()
    return rate(int(oriented[BID].isin(in_force).sum()), int(oriented.shape[0]))


def _contract_followed(facts: pd.DataFrame, t: PandasTables, as_of: dt.date, start_column: str):
    """`facts` (beneficiary_id, start_column, deadline) -> (in_time, counted) masks."""
    cut = _ts(as_of)
    signed = t.contracts.loc[t.contracts["signed_on"] <= cut, [BID, "signed_on"]]
    pairs = facts.merge(signed, on=BID)
    followed = pairs.loc[
        (pairs["signed_on"] >= pairs[start_column]) & (pairs["signed_on"] <= pairs["deadline"]),
        BID,
    ].unique()
    in_time = facts[BID].isin(followed)
    return in_time, in_time | (cut > facts["deadline"])


def taux_contrat_7j(t, start, end, as_of, params) -> dict:
    firsts = _first_attended(t, as_of).rename("day").reset_index()
    firsts = firsts[(firsts["day"] >= _ts(start)) & (firsts["day"] <= _ts(min(end, as_of)))]
    firsts = firsts.assign(deadline=firsts["day"] + pd.Timedelta(days=params.contract_days))
    in_time, counted = _contract_followed(firsts, t, as_of, "day")
    return rate(int((in_time & counted).sum()), int(counted.sum()))


def taux_contrat_1mois(t, start, end, as_of, params) -> dict:
    orientations = t.orientations
    notified = orientations[
        (orientations["notified_on"] >= _ts(start))
        & (orientations["notified_on"] <= _ts(min(end, as_of)))
    ]
    latest = notified.sort_values(
        [BID, "notified_on", "decided_on", "is_reorientation"],
        ascending=[True, False, False, False],
    ).drop_duplicates(BID)
    facts = latest[[BID, "notified_on"]].assign(
        deadline=latest["notified_on"] + pd.DateOffset(months=1)
    )
    in_time, counted = _contract_followed(facts, t, as_of, "notified_on")
    return rate(int((in_time & counted).sum()), int(counted.sum()))


# -- portfolios, intensity ---------------------------------------------------------------


def _portfolios(t: PandasTables, as_of: dt.date, params: Params) -> pd.DataFrame:
    latest = latest_orientations(t.orientations, as_of)
    latest = latest[latest["referent_id"].notna()]
    latest = latest[latest[BID].isin(subject_on(t.rights, as_of))]
    people = latest.groupby("referent_id").size().rename("people").reset_index()
    people["referent_id"] = people["referent_id"].astype("int64")
    referents = t.referents[["referent_id", "portfolio_target"]].astype({"referent_id": "int64"})
    merged = people.merge(referents, on="referent_id", how="left")
    merged["target"] = merged["portfolio_target"].fillna(params.portfolio_target)
    return merged


def taille_portefeuille_moyenne(t, start, end, as_of, params) -> dict:
    portfolios = _portfolios(t, as_of, params)
    people, referents = int(portfolios["people"].sum()), int(portfolios.shape[0])
    value = None if referents == 0 else round_one(Fraction(people, referents))
    return {"value": value, "numerator": people, "denominator": referents}


def part_referents_au_dessus_cible(t, start, end, as_of, params) -> dict:
    portfolios = _portfolios(t, as_of, params)
    above = int((portfolios["people"] > portfolios["target"]).sum())
    return rate(above, int(portfolios.shape[0]))


def part_intensif_15h(t, start, end, as_of, params) -> dict:
    monday = _ts(as_of) - pd.Timedelta(days=as_of.weekday())
    first, last = monday - pd.Timedelta(days=7 * WEEKS), monday - pd.Timedelta(days=7)
    hours = t.activity_hours
    weeks = hours[(hours["week_start"] >= first) & (hours["week_start"] <= last)]
    totals = weeks.groupby(BID)["hours"].sum().round(6)
    oriented = oriented_stock(t, as_of)
    total = oriented[BID].map(totals).fillna(0.0)
    return rate(int((total >= WEEKS * params.intensive_hours).sum()), int(oriented.shape[0]))


# -- employment, exits, take-over ----------------------------------------------------------


def _durable(outcomes: pd.DataFrame) -> pd.Series:
    long_enough = outcomes["duration_months"].fillna(0.0) >= 6
    return (
        outcomes["durable"]
        | outcomes["contract_type"].isin(("CDI", "creation"))
        | (outcomes["contract_type"].isin(("CDD", "interim")) & long_enough)
    )


def _employment(t, start, end, as_of, durable_only: bool) -> dict:
    first, last = _ts(start), _ts(min(end, as_of))
    rights = t.rights
    during = rights.loc[
        rights["duties_start_on"].notna()
        & (rights["duties_start_on"] <= last)
        & (rights["duties_end_on"].isna() | (rights["duties_end_on"] >= first))
        & (rights["exit_on"].isna() | (rights["exit_on"] > first)),
        BID,
    ].unique()
    oriented = t.orientations.loc[t.orientations["decided_on"] <= last, BID].unique()
    accompanied = pd.Index(during)[pd.Index(during).isin(oriented)]
    outcomes = t.outcomes
    starts = outcomes[(outcomes["started_on"] >= first) & (outcomes["started_on"] <= last)]
    if durable_only:
        starts = starts[_durable(starts)]
    return rate(int(accompanied.isin(starts[BID]).sum()), int(accompanied.size))


def taux_retour_emploi(t, start, end, as_of, params) -> dict:
    return _employment(t, start, end, as_of, False)


def taux_retour_emploi_durable(t, start, end, as_of, params) -> dict:
    return _employment(t, start, end, as_of, True)


def taux_sortie_rsa(t, start, end, as_of, params) -> dict:
    stock = subject_on(t.rights, start - dt.timedelta(days=1)).union(subject_on(t.rights, start))
    rights = t.rights
    exits = rights.loc[
        (rights["exit_on"] >= _ts(start)) & (rights["exit_on"] <= _ts(min(end, as_of))), BID
    ].unique()
    return rate(int(stock.isin(exits).sum()), int(stock.size))


def reprise_stock_avancement(t, start, end, as_of, params) -> dict:
    pilot_start = params.pilot_start
    if pilot_start is None or as_of < pilot_start:
        return {"value": None, "numerator": None, "denominator": None}
    stock = subject_on(t.rights, pilot_start)
    appointments = _appointments(t)
    seen = appointments.loc[
        (appointments["status"] == "present")
        & (appointments["day"] >= _ts(pilot_start))
        & (appointments["day"] <= _ts(as_of)),
        BID,
    ].unique()
    return rate(int(stock.isin(seen).sum()), int(stock.size))


INDICATORS = {
    "nouveaux_entrants": nouveaux_entrants,
    "taux_orientes_15j": taux_orientes_15j,
    "taux_orientes_1mois": taux_orientes_1mois,
    "taux_orientes_6sem": taux_orientes_6sem,
    "delai_orientation_median_j": delai_orientation_median_j,
    "taux_orientation": taux_orientation,
    "repartition_organisme": repartition_organisme,
    "repartition_dominante": repartition_dominante,
    "delai_premier_accompagnement_median_j": delai_premier_accompagnement_median_j,
    "taux_premier_rdv_15j": taux_premier_rdv_15j,
    "taux_contrat_engagement": taux_contrat_engagement,
    "taux_contrat_7j": taux_contrat_7j,
    "taux_contrat_1mois": taux_contrat_1mois,
    "taille_portefeuille_moyenne": taille_portefeuille_moyenne,
    "part_referents_au_dessus_cible": part_referents_au_dessus_cible,
    "part_intensif_15h": part_intensif_15h,
    "taux_absence_premier_rdv": taux_absence_premier_rdv,
    "taux_relance_15j": taux_relance_15j,
    "taux_retour_emploi": taux_retour_emploi,
    "taux_retour_emploi_durable": taux_retour_emploi_durable,
    "taux_sortie_rsa": taux_sortie_rsa,
    "reprise_stock_avancement": reprise_stock_avancement,
}


def compute_all(
    tables: PandasTables,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params | None = None,
) -> dict[str, dict]:
    """Every indicator, in the registry's order: {code: summary}."""
    settings = Params() if params is None else params
    return {
        code: compute(tables, period_start, period_end, as_of, settings)
        for code, compute in INDICATORS.items()
    }


def orientes_15j_by_site(
    tables: PandasTables,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params | None = None,
) -> dict[str, dict]:
    """taux_orientes_15j broken down by the person's site: {site: rate cell}, sites sorted,
    "inconnu" last when someone has no site."""
    settings = Params() if params is None else params
    counted = _window_counted(tables, period_start, period_end, as_of, settings, "15j")
    sites = counted[[BID, "in_time"]].merge(tables.people[[BID, "site"]], on=BID, how="left")
    sites["site"] = sites["site"].fillna(UNKNOWN)
    cells = sites.groupby("site")["in_time"].agg(["sum", "size"])
    keys = sorted(key for key in cells.index if key != UNKNOWN)
    keys += [UNKNOWN] if UNKNOWN in cells.index else []
    return {key: rate(int(cells.at[key, "sum"]), int(cells.at[key, "size"])) for key in keys}
