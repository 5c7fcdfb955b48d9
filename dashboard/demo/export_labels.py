"""How the demo's export files spell values: French labels as the tools write them.

Each label is one the connectors' synonym tables read back to the same value
(tests/test_demo_exports.py checks every one through the connectors' parsers).
"""

from __future__ import annotations

import datetime as dt

from dashboard.models import (
    AppointmentKind,
    AppointmentStatus,
    Dominante,
    EducationLevel,
    EmploymentContractType,
    ExitReason,
    FamilySituation,
    Organisme,
    RoadmapProgress,
)

FAMILY = {
    FamilySituation.SEUL: "Isolé",
    FamilySituation.SEUL_AVEC_ENFANTS: "Isolé avec enfants",
    FamilySituation.COUPLE: "Couple",
    FamilySituation.COUPLE_AVEC_ENFANTS: "Couple avec enfants",
}
EDUCATION = {
    EducationLevel.SANS_DIPLOME: "Sans diplôme",
    EducationLevel.NIVEAU_3: "Niveau 3 (CAP, BEP)",
    EducationLevel.NIVEAU_4: "Niveau 4 (Bac)",
    EducationLevel.NIVEAU_5: "Niveau 5 (Bac+2)",
    EducationLevel.NIVEAU_6_PLUS: "Niveau 6 (Licence)",
}
ORGANISME = {
    Organisme.FT: "France Travail",
    Organisme.CD: "Département",
    Organisme.ML: "Mission locale",
    Organisme.MSA: "MSA",
    Organisme.CCAS: "CCAS",
    Organisme.CAP_EMPLOI: "Cap emploi",
    Organisme.OTHER: "Autre",
}
DOMINANTE = {
    Dominante.EMPLOI: "Emploi",
    Dominante.SOCIO_PROFESSIONNEL: "Socio-professionnel",
    Dominante.SOCIAL: "Social",
}
EXIT_REASON = {
    ExitReason.EMPLOI: "Reprise d'emploi",
    ExitReason.FIN_DE_DROITS: "Fin de droits",
    ExitReason.DEMENAGEMENT: "Déménagement",
    ExitReason.RADIATION: "Radiation",
    ExitReason.AUTRE: "Autre",
}
APPOINTMENT_KIND = {
    AppointmentKind.ORIENTATION: "Orientation",
    AppointmentKind.ACCOMPAGNEMENT: "Accompagnement",
    AppointmentKind.JALON: "Entretien jalon",
}
APPOINTMENT_STATUS = {
    AppointmentStatus.PRESENT: "Présent",
    AppointmentStatus.ABSENT: "Absent non excusé",
    AppointmentStatus.EXCUSE: "Excusé",
    AppointmentStatus.ANNULE: "Annulé",
    AppointmentStatus.PLANIFIE: "Planifié",
}
CONTRACT_TYPE = {
    EmploymentContractType.CDI: "CDI",
    EmploymentContractType.CDD: "CDD",
    EmploymentContractType.INTERIM: "Intérim",
    EmploymentContractType.CREATION: "Création d'entreprise",
    EmploymentContractType.IAE: "IAE",
    EmploymentContractType.ALTERNANCE: "Alternance",
    EmploymentContractType.AUTRE: "Autre",
}
PROGRESS = {
    RoadmapProgress.REALISE: "Réalisé",
    RoadmapProgress.EN_COURS: "En cours",
    RoadmapProgress.NON_DEMARRE: "Non démarré",
    RoadmapProgress.ABANDONNE: "Abandonné",
}


def day(value: dt.date | None) -> str:
    """dd/mm/yyyy, or an empty cell."""
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year}"


def moment(value: dt.datetime) -> str:
    """dd/mm/yyyy hh:mm."""
    return f"{day(value.date())} {value.hour:02d}:{value.minute:02d}"


def number(value: float | None) -> str:
    """12.5 -> "12,5"; 6.0 -> "6"; None -> empty (decimal comma, as French exports)."""
    return "" if value is None else f"{value:g}".replace(".", ",")


def label(labels: dict, value: object | None) -> str:
    return "" if value is None else labels[value]
