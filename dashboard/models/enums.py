"""Closed vocabularies of the domain, stored as constrained strings.

Values are the canonical spellings the connectors normalise to (see
`docs/connectors.md`); French labels live next to them for the pages.
"""

from __future__ import annotations

from enum import StrEnum


class Organisme(StrEnum):
    """Organisme référent an orientation sends a person to."""

    FT = "FT"
    CD = "CD"
    ML = "ML"
    CAP_EMPLOI = "CAP_EMPLOI"
    MSA = "MSA"
    CCAS = "CCAS"
    OTHER = "OTHER"


class Dominante(StrEnum):
    """Parcours type decided at orientation."""

    EMPLOI = "emploi"
    SOCIO_PROFESSIONNEL = "socio_professionnel"
    SOCIAL = "social"


class Role(StrEnum):
    NATIONAL = "national"
    COPIL = "copil"
    COMOP = "comop"
    PROJET = "projet"
    ADMIN = "admin"


class Sex(StrEnum):
    F = "F"
    M = "M"


class Payer(StrEnum):
    CAF = "CAF"
    MSA = "MSA"


class FamilySituation(StrEnum):
    SEUL = "seul"
    SEUL_AVEC_ENFANTS = "seul_avec_enfants"
    COUPLE = "couple"
    COUPLE_AVEC_ENFANTS = "couple_avec_enfants"


class EducationLevel(StrEnum):
    """Nomenclature des niveaux de diplôme (2019): 3 = CAP/BEP ... 6+ = licence et plus."""

    SANS_DIPLOME = "sans_diplome"
    NIVEAU_3 = "niveau_3"
    NIVEAU_4 = "niveau_4"
    NIVEAU_5 = "niveau_5"
    NIVEAU_6_PLUS = "niveau_6_plus"


class SiteKind(StrEnum):
    CDAS = "CDAS"
    AGENCE_FT = "AGENCE_FT"
    MISSION_LOCALE = "MISSION_LOCALE"
    CCAS = "CCAS"
    OTHER = "OTHER"


class ExitReason(StrEnum):
    EMPLOI = "emploi"
    FIN_DE_DROITS = "fin_de_droits"
    DEMENAGEMENT = "demenagement"
    RADIATION = "radiation"
    AUTRE = "autre"


class AppointmentKind(StrEnum):
    ORIENTATION = "orientation"
    ACCOMPAGNEMENT = "accompagnement"
    JALON = "jalon"


class AppointmentStatus(StrEnum):
    PLANIFIE = "planifie"
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSE = "excuse"
    ANNULE = "annule"


class ContractKind(StrEnum):
    CER = "CER"
    PPAE = "PPAE"
    CE = "CE"
    CEJ = "CEJ"


class EmploymentContractType(StrEnum):
    CDI = "CDI"
    CDD = "CDD"
    INTERIM = "interim"
    CREATION = "creation"
    IAE = "IAE"
    ALTERNANCE = "alternance"
    AUTRE = "autre"


class DataSource(StrEnum):
    """Where a row came from: one value per connector, plus the demo generator."""

    SOLIS = "solis"
    FRANCE_TRAVAIL = "france-travail"
    MISSION_LOCALE = "mission-locale"
    RDV = "rdv"
    ROADMAP = "roadmap"
    TARGETS = "targets"
    DEMO = "demo"
    MANUAL = "manual"


class ImportStatus(StrEnum):
    RUNNING = "running"
    LOADED = "loaded"
    UNCHANGED = "unchanged"
    FAILED = "failed"


class QuarantineStatus(StrEnum):
    PENDING = "pending"
    CORRECTED = "corrected"
    DISCARDED = "discarded"


class RoadmapProgress(StrEnum):
    """Progress as declared by the action's owners (the status is computed)."""

    NON_DEMARRE = "non_demarre"
    EN_COURS = "en_cours"
    REALISE = "realise"
    ABANDONNE = "abandonne"
