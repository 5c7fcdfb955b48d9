"""Write indicator targets: one trajectory point per (indicator, period end).

A newer file updates the points it names (target, baseline, period start) and
adds new ones; points absent from it are kept.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from connectors import targets
from connectors.targets import TargetRecord
from dashboard.loading.common import Connector, WriteCounts, upsert_rows
from dashboard.models import DataSource, IndicatorTarget

SOURCE = DataSource.TARGETS
KEY = ("indicator_code", "period_end")


def _duplicate(record: TargetRecord, first: TargetRecord) -> dict[str, object]:
    return {
        "row_number": record.row_number or 0,
        "raw_values": record.raw_values,
        "reasons": [
            "cible en double dans le fichier (même indicateur et même fin de période "
            f"qu'à la ligne {first.row_number}) : seule la première est importée"
        ],
    }


def write_targets(
    db: Session, territory_id: int, batch_id: int | None, records: list[TargetRecord]
) -> WriteCounts:
    """Upsert one targets file keyed on (territory, indicator, period end)."""
    counts = WriteCounts()
    unique: dict[tuple, TargetRecord] = {}
    for record in records:
        first = unique.setdefault(record.key, record)
        if first is not record:
            counts.rejected.append(_duplicate(record, first))
    result = upsert_rows(
        db,
        IndicatorTarget.__table__,
        territory_id,
        KEY,
        [
            {
                "territory_id": territory_id,
                "indicator_code": r.indicator_code,
                "period_end": r.period_end,
                "period_start": r.period_start,
                "target_value": r.target_value,
                "baseline_value": r.baseline_value,
                "source": SOURCE,
                "batch_id": batch_id,
            }
            for r in unique.values()
        ],
        untracked=("batch_id", "source"),
    )
    counts.created = len(result.created)
    counts.updated = len(result.updated)
    counts.unchanged = len(unique) - counts.created - counts.updated
    return counts


CONNECTOR = Connector(
    SOURCE, targets.PROFILE, targets.parse_row, write_targets, unit="points de trajectoire"
)
