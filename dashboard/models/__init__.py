"""SQLAlchemy 2 typed models; `Base.metadata` is what alembic migrates."""

from dashboard.models.base import Base, utcnow
from dashboard.models.enums import (
    AppointmentKind,
    AppointmentStatus,
    ContractKind,
    DataSource,
    Dominante,
    EducationLevel,
    EmploymentContractType,
    ExitReason,
    FamilySituation,
    ImportStatus,
    Organisme,
    Payer,
    QuarantineStatus,
    RoadmapProgress,
    Role,
    Sex,
    SiteKind,
)
from dashboard.models.imports import ImportBatch, QuarantinedRow
from dashboard.models.jobs import JobRun, apscheduler_jobs
from dashboard.models.people import (
    ActivityHours,
    Appointment,
    Beneficiary,
    Contract,
    EmploymentOutcome,
    Orientation,
    RightsPeriod,
)
from dashboard.models.reference import DEFAULT_PORTFOLIO_TARGET, Referent, Site, Territory
from dashboard.models.security import AuditLog, User
from dashboard.models.steering import IndicatorTarget, RoadmapAction, RoadmapActionChange

__all__ = [
    "DEFAULT_PORTFOLIO_TARGET",
    "ActivityHours",
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "AuditLog",
    "Base",
    "Beneficiary",
    "Contract",
    "ContractKind",
    "DataSource",
    "Dominante",
    "EducationLevel",
    "EmploymentContractType",
    "EmploymentOutcome",
    "ExitReason",
    "FamilySituation",
    "ImportBatch",
    "ImportStatus",
    "JobRun",
    "IndicatorTarget",
    "Organisme",
    "Orientation",
    "Payer",
    "QuarantineStatus",
    "QuarantinedRow",
    "Referent",
    "RightsPeriod",
    "RoadmapAction",
    "RoadmapActionChange",
    "RoadmapProgress",
    "Role",
    "Sex",
    "Site",
    "SiteKind",
    "Territory",
    "User",
    "apscheduler_jobs",
    "utcnow",
]
