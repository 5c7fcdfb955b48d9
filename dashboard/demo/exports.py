"""The demo territory as the export files its partners would send, in import order.

`write_exports(data, folder)` writes under `folder/<source>/` the files the
default connector profiles read (docs/connectors/*.md), in the shapes and
encodings of the sample exports:

| source | files | shape |
| --- | --- | --- |
| `solis` | monthly, `solis_AAAA-MM-JJ.csv` | cp1252, `;`, people with news since the last file |
| `mission-locale` | monthly, `imilo_AAAA-MM-JJ.csv` | UTF-8, `,`, CEJ signed since the last file |
| `rdv` | monthly, `rendez_vous_AAAA-MM-JJ.csv` | UTF-8, `;`, appointments settled since |
| `france-travail` | every Monday, `france_travail_AAAA-MM-JJ.csv` | UTF-8 BOM, `;`, hours S-1 |
| `targets` | once, `cibles.csv` | UTF-8, `;` |
| `roadmap` | once, `feuille_de_route_AAAA-MM-JJ.csv` | UTF-8, `;`, deadlines as written |

The monthly files are dated on the last day of each month of the pilot (and
on `end`), plus, before the pilot, the few month ends that an earlier
orientation needs to be seen before its re-orientation. Files are imported by
date, SOLIS first on a given day (the other sources find people SOLIS knows).

What no export carries is listed in docs/connectors.md ("The demo territory"):
rights_period.scheme_entry_on, contract.ended_on and the roadmap's milestone
labels.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from bisect import bisect_left, insort
from dataclasses import dataclass
from pathlib import Path

from dashboard.demo import export_labels as labels
from dashboard.demo.export_follow_up import (
    FRANCE_TRAVAIL_HEADERS,
    RDV_HEADERS,
    france_travail_dates,
    france_travail_rows,
    rdv_rows,
)
from dashboard.demo.export_people import (
    MISSION_LOCALE_HEADERS,
    SOLIS_HEADERS,
    Rows,
    mission_locale_rows,
    orientations_by_person,
    solis_rows,
)
from dashboard.demo.identities import demo_identities
from dashboard.demo.records import DemoData
from dashboard.demo.sampling import add_months

# On one day, the people source first: the others find people through it.
SOURCE_ORDER = ("solis", "mission-locale", "rdv", "france-travail", "targets", "roadmap")
ROADMAP_HEADERS = (
    "Axe",
    "Cible opérationnelle",
    "Étape / action",
    "Responsable(s)",
    "Échéance estimée",
    "Indicateur de suivi",
    "Avancement",
    "Commentaire",
)
TARGET_HEADERS = (
    "Indicateur",
    "Début de période",
    "Fin de période",
    "Cible",
    "Valeur de référence (T0)",
)
RATE_PREFIXES = ("taux_", "part_")


@dataclass(frozen=True)
class ExportFile:
    """One written export: its `pilotage import` source, path, extraction date, roadmap year."""

    source: str
    path: Path
    extracted_on: dt.date
    rows: int
    year: int | None = None


@dataclass(frozen=True)
class _Format:
    prefix: str
    encoding: str
    separator: str
    line_end: str = "\n"


FORMATS = {
    "solis": _Format("solis", "cp1252", ";", "\r\n"),
    "mission-locale": _Format("imilo", "utf-8", ","),
    "rdv": _Format("rendez_vous", "utf-8", ";"),
    "france-travail": _Format("france_travail", "utf-8-sig", ";"),
    "roadmap": _Format("feuille_de_route", "utf-8", ";"),
    "targets": _Format("cibles", "utf-8", ";"),
}


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The last day of every month from `first`'s to `last`'s, the final one cut at `last`."""
    ends = []
    day = first.replace(day=1)
    while day <= last:
        following = add_months(day, 1)
        ends.append(min(following - dt.timedelta(days=1), last))
        day = following
    return ends


def extraction_dates(data: DemoData) -> list[dt.date]:
    """Dates of the monthly files: month ends of the pilot, plus those re-orientations need.

    A re-orientation decided on R replaces, in the next SOLIS row, the orientation
    notified on N before it: some file must be dated in [N, R) to show the earlier
    one. Intervals are taken by R; one lacking a date gets the last month end before
    R (or N itself, for an interval shorter than a month).
    """
    dates = month_ends(data.pilot_start, data.end)
    needs = []
    for own in orientations_by_person(data).values():
        for before, after in zip(own, own[1:], strict=False):
            needs.append((after.decided_on, before.notified_on or before.decided_on))
    for superseded_on, seen_from in sorted(needs):
        position = bisect_left(dates, seen_from)
        if position < len(dates) and dates[position] < superseded_on:
            continue
        month_end = superseded_on.replace(day=1) - dt.timedelta(days=1)
        insort(dates, month_end if month_end >= seen_from else seen_from)
    return dates


def write_table(
    path: Path, source: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]
) -> None:
    form = FORMATS[source]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=form.encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=form.separator, lineterminator=form.line_end)
        writer.writerow(headers)
        writer.writerows(rows)


def _dated_files(folder: Path, source: str, headers: tuple[str, ...], files: Rows) -> list:
    written = []
    for on, rows in sorted(files.items()):
        path = folder / source / f"{FORMATS[source].prefix}_{on.isoformat()}.csv"
        write_table(path, source, headers, rows)
        written.append(ExportFile(source, path, on, len(rows)))
    return written


def _steering_files(data: DemoData, folder: Path) -> list[ExportFile]:
    roadmap = [
        (
            action.axis,
            action.operational_target,
            action.action,
            ", ".join(action.owners),
            action.deadline_text or "",
            action.follow_up_indicator or "",
            labels.label(labels.PROGRESS, action.progress),
            action.comment or "",
        )
        for action in data.roadmap_actions
    ]
    targets = [
        (
            target.indicator_code,
            labels.day(target.period_start),
            labels.day(target.period_end),
            _target_value(target.indicator_code, target.target_value),
            _target_value(target.indicator_code, target.baseline_value),
        )
        for target in data.indicator_targets
    ]
    roadmap_path = folder / "roadmap" / f"feuille_de_route_{data.end.isoformat()}.csv"
    targets_path = folder / "targets" / "cibles.csv"
    write_table(roadmap_path, "roadmap", ROADMAP_HEADERS, roadmap)
    write_table(targets_path, "targets", TARGET_HEADERS, targets)
    return [
        ExportFile("roadmap", roadmap_path, data.end, len(roadmap), year=data.pilot_start.year),
        ExportFile("targets", targets_path, data.end, len(targets)),
    ]


def _target_value(code: str, value: float | None) -> str:
    """Rates with their % sign (a bare 1 would read as 100 %), other values bare."""
    if value is None:
        return ""
    return labels.number(value) + (" %" if code.startswith(RATE_PREFIXES) else "")


def write_exports(data: DemoData, folder: Path) -> list[ExportFile]:
    """Write every export file of `data` under `folder/<source>/`; return them in import order.

    The source folders are emptied first (a previous demo's files would otherwise
    stay beside the new ones).
    """
    for source in FORMATS:
        shutil.rmtree(folder / source, ignore_errors=True)
    identities = demo_identities(data)
    monthly = extraction_dates(data)
    weekly = france_travail_dates(data)
    files = [
        *_dated_files(folder, "solis", SOLIS_HEADERS, solis_rows(data, identities, monthly)),
        *_dated_files(
            folder,
            "mission-locale",
            MISSION_LOCALE_HEADERS,
            mission_locale_rows(data, identities, monthly),
        ),
        *_dated_files(folder, "rdv", RDV_HEADERS, rdv_rows(data, identities, monthly)),
        *_dated_files(
            folder,
            "france-travail",
            FRANCE_TRAVAIL_HEADERS,
            france_travail_rows(data, identities, weekly),
        ),
        *_steering_files(data, folder),
    ]
    return sorted(files, key=lambda item: (item.extracted_on, SOURCE_ORDER.index(item.source)))
