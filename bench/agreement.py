"""What the benchmark compares between the engine and its baselines, indicator by indicator.

A *summary* of an indicator is a plain dict: value, numerator and
denominator; for the delays also mean, p75 and count; for the splits
(`repartition_*`) also the breakdown's count and share per category. The
pandas and SQL baselines return summaries; `engine_summary` builds one from
an engine `IndicatorResult`. Summaries are JSON-ready (numbers, None, str).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from metrics.result import IndicatorResult

DELAY_CODES = ("delai_orientation_median_j", "delai_premier_accompagnement_median_j")
SPLIT_CODES = ("repartition_organisme", "repartition_dominante")


def engine_summary(result: IndicatorResult) -> dict:
    """The compared figures of one engine result."""
    summary = {
        "value": result.value,
        "numerator": result.numerator,
        "denominator": result.denominator,
    }
    if result.code in DELAY_CODES:
        summary.update({key: result.details[key] for key in ("mean", "p75", "count")})
    if result.code in SPLIT_CODES:
        summary["breakdown"] = {
            key: {"count": cell["count"], "share": cell["share"]}
            for key, cell in (result.breakdown or {}).items()
        }
    return summary


def engine_summaries(results: Iterable[IndicatorResult]) -> dict[str, dict]:
    """{code: summary} of a list of engine results."""
    return {result.code: engine_summary(result) for result in results}


def rate_cells(breakdown: Mapping[str, Mapping]) -> dict[str, dict]:
    """A rate breakdown reduced to {key: {value, numerator, denominator}}."""
    return {
        key: {field: cell[field] for field in ("value", "numerator", "denominator")}
        for key, cell in breakdown.items()
    }


def disagreements(
    reference: Mapping[str, Mapping], other: Mapping[str, Mapping], where: str = ""
) -> list[str]:
    """One line per figure that differs between two {code: summary} maps (codes of either)."""
    lines = []
    prefix = f"{where} " if where else ""
    for code in list(reference) + [code for code in other if code not in reference]:
        if code not in other or code not in reference:
            lines.append(f"{prefix}{code}: absent d'un côté")
            continue
        left, right = reference[code], other[code]
        for field in list(left) + [field for field in right if field not in left]:
            if left.get(field) != right.get(field):
                lines.append(f"{prefix}{code}.{field}: {left.get(field)!r} != {right.get(field)!r}")
    return lines
