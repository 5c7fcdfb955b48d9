"""The monthly file sent to the national dashboard, from the schema file's columns.

    build_export(db, facts, request)  ->  bytes (UTF-8 with BOM, `;` by default)

The same function serves `pilotage export-national` and
GET /api/v1/exports/national.csv, so both write the same bytes. Indicator
figures always go through the statistical disclosure control (threshold
from the settings), whatever the caller's role: this file leaves the
territory. Text cells that a spreadsheet would read as a formula are
neutralised; numbers are written by this module from numeric values, so
a negative number stays a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from dashboard.export_schema import Column, ExportSchema, Volet, load_schema
from dashboard.facts_cache import TerritoryFacts
from dashboard.indicator_service import (
    IndicatorRequest,
    compute_indicators,
    effective_as_of,
    month_bounds,
    parse_request,
)
from dashboard.national_parcours import parcours_records
from metrics.breakdown import Dimension
from metrics.registry import REGISTRY
from metrics.result import IndicatorResult

SEPARATORS = (";", ",")
# A spreadsheet evaluates a cell starting with one of these (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


@dataclass(frozen=True)
class ExportRequest:
    """One national file: a month of one territory, a volet, a separator, a breakdown."""

    period: str
    volet: str = "indicateurs"
    separator: str = ";"
    by: Dimension | None = None


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would take for a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def format_cell(column: Column, value: Any) -> str:
    """One cell as written: ISO dates, decimal point, 1/0 booleans, text neutralised."""
    if value is None:
        return ""
    kind = column.format
    if kind == "text":
        text = str(value)
        return neutralise(column.values.get(text, text))
    if kind == "boolean":
        return "1" if value else "0"
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        number = float(value)
        return repr(number) if math.isfinite(number) else ""
    if kind == "date":
        return value.isoformat()
    if kind == "date_list":
        return "|".join(day.isoformat() for day in value)
    return str(value)  # month: "AAAA-MM", checked when the request was parsed


def write_csv(columns: tuple[Column, ...], rows: list[dict[str, Any]], separator: str) -> bytes:
    """The header and rows as UTF-8 with BOM (Excel opens it cleanly), CRLF line ends."""
    if separator not in SEPARATORS:
        raise ValueError(f"Unsupported separator {separator!r}.")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow([format_cell(column, row.get(column.source)) for column in columns])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _base(facts: TerritoryFacts, period: str, as_of: dt.date) -> dict[str, Any]:
    return {
        "territory_code": facts.code,
        "territory_name": facts.name,
        "period": period,
        "as_of": as_of,
        "unavailable": None,
    }


def _indicator_rows(
    volet: Volet, base: dict[str, Any], results: list[IndicatorResult], by: Dimension | None
) -> list[dict[str, Any]]:
    rows = []
    for result in results:
        code = volet.indicator_codes.get(result.code, result.code)
        common = {
            **base,
            "indicator_code": code,
            "indicator_label": result.label,
            "unit": result.unit,
        }
        rows.append(
            {
                **common,
                "value": result.value,
                "numerator": result.numerator,
                "denominator": result.denominator,
                "target": result.target,
                "status": result.status,
                "suppressed": result.suppressed,
            }
        )
        if by is None or by not in REGISTRY[result.code].dimensions or not result.breakdown:
            continue
        for key, cell in result.breakdown.items():
            rows.append(
                {
                    **common,
                    "breakdown": by.value,
                    "breakdown_value": key,
                    "value": cell.get("value"),
                    "numerator": cell.get("numerator"),
                    "denominator": cell.get("denominator"),
                    "suppressed": bool(cell.get("suppressed")),
                }
            )
    return rows


def indicator_request(volet: Volet, export: ExportRequest) -> IndicatorRequest:
    """The month's request for the schema's indicators (IndicatorRequestError if malformed)."""
    by = export.by.value if export.by else None
    return parse_request(
        export.period, export.period, None, by, None, list(volet.indicators), {"from": "period"}
    )


def build_export(
    db: Session,
    facts: TerritoryFacts,
    export: ExportRequest,
    threshold: int,
    schema: ExportSchema | None = None,
) -> tuple[bytes, int]:
    """The file's bytes and its number of data rows. The caller checks who may ask what."""
    schema = schema or load_schema()
    volet = schema.volets[export.volet]
    if export.volet == "indicateurs":
        request = indicator_request(volet, export)
        as_of = effective_as_of(facts, request)
        results = compute_indicators(facts, request, threshold)
        rows = _indicator_rows(volet, _base(facts, export.period, as_of), results, export.by)
        columns = volet.columns_for(breakdown=export.by is not None)
    else:
        start, end = month_bounds(export.period, "period")
        as_of = facts.latest_solis or dt.date.today()
        base = _base(facts, export.period, as_of)
        rows = [{**base, **record} for record in parcours_records(db, facts, start, end, as_of)]
        columns = volet.columns
    return write_csv(columns, rows, export.separator), len(rows)


def file_name(territory_code: str, export: ExportRequest) -> str:
    suffix = f"_{export.by.value}" if export.by else ""
    return f"national_{territory_code}_{export.period}_{export.volet}{suffix}.csv"
