"""The reproducible demo territory.

`generate_demo` (pure) draws it; `install.install_demo` (what `pilotage demo` runs)
writes it as export files (`exports.write_exports`) and imports them through the
connectors; `load_demo` writes the records directly through the models (kept for
benchmarks and engine tests).
"""

from dashboard.demo.generate import (
    DEFAULT_END,
    DEFAULT_SEED,
    DEFAULT_SIZE,
    demo_pseudonym,
    generate_demo,
    pilot_start_for,
)
from dashboard.demo.load import DemoAlreadyLoadedError, load_demo
from dashboard.demo.records import (
    ActivityHoursRecord,
    AppointmentRecord,
    BeneficiaryRecord,
    ContractRecord,
    DemoData,
    EmploymentOutcomeRecord,
    IndicatorTargetRecord,
    OrientationRecord,
    ReferentRecord,
    RightsPeriodRecord,
    RoadmapActionRecord,
    SiteRecord,
)

__all__ = [
    "DEFAULT_END",
    "DEFAULT_SEED",
    "DEFAULT_SIZE",
    "ActivityHoursRecord",
    "AppointmentRecord",
    "BeneficiaryRecord",
    "ContractRecord",
    "DemoAlreadyLoadedError",
    "DemoData",
    "EmploymentOutcomeRecord",
    "IndicatorTargetRecord",
    "OrientationRecord",
    "ReferentRecord",
    "RightsPeriodRecord",
    "RoadmapActionRecord",
    "SiteRecord",
    "demo_pseudonym",
    "generate_demo",
    "load_demo",
    "pilot_start_for",
]
