"""Raw cell text -> typed, canonical values. Each parser raises `ValueError` with a
French reason (never quoting more of the cell than the value itself).

Dates accept `dd/mm/yyyy`, `dd/mm/yy`, ISO `yyyy-mm-dd`, the same with a time
part, and Excel serial numbers. Two-digit years pivot at 69 (00-68 -> 20xx,
69-99 -> 19xx), as POSIX `strptime` does.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from dashboard.models import (
    AppointmentStatus,
    Dominante,
    EducationLevel,
    EmploymentContractType,
    FamilySituation,
    Organisme,
    Payer,
    Sex,
)

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers between 1950 and 2100: a bare number outside is no date.
EXCEL_SERIAL_RANGE = (18264, 73051)
DURABLE_MONTHS = 6

_DATE = re.compile(
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})"
    r"(?:[ T](?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?$"
)
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")


def fold(text: str) -> str:
    """Lower case, no accents, every run of non-alphanumerics as one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", " ", bare).strip()


def _year(raw: str) -> int:
    if len(raw) == 4:
        return int(raw)
    two_digits = int(raw)
    return 2000 + two_digits if two_digits < 69 else 1900 + two_digits


def parse_datetime(raw: str) -> dt.datetime:
    """A date, with or without a time part, as a naive datetime."""
    text = raw.strip()
    match = _DATE.match(text) or _ISO.match(text)
    if match:
        parts = match.groupdict()
        try:
            return dt.datetime(
                _year(parts["y"]),
                int(parts["m"]),
                int(parts["d"]),
                int(parts["H"] or 0),
                int(parts["M"] or 0),
                int(parts["S"] or 0),
            )
        except ValueError:
            raise ValueError(f"date impossible : {text}") from None
    if _SERIAL.match(text):
        serial = float(text)
        if EXCEL_SERIAL_RANGE[0] <= serial <= EXCEL_SERIAL_RANGE[1]:
            day = EXCEL_EPOCH + dt.timedelta(days=int(serial))
            seconds = round((serial - int(serial)) * 86400)
            return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
    raise ValueError(f"date illisible : {text} (attendu : jj/mm/aaaa)")


def parse_date(raw: str) -> dt.date:
    return parse_datetime(raw).date()


def parse_decimal(raw: str) -> float:
    """`16,5`, `16.5`, `1 234,5` -> float."""
    text = re.sub(r"[\s\u00a0\u202f]", "", raw)
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"nombre illisible : {raw.strip()}") from None


def parse_bool(raw: str) -> bool:
    folded = fold(raw)
    if folded in {"o", "oui", "y", "yes", "1", "true", "vrai", "x"}:
        return True
    if folded in {"n", "non", "no", "0", "false", "faux"}:
        return False
    raise ValueError(f"valeur oui/non illisible : {raw.strip()}")


def _lookup(
    raw: str,
    exact: dict[str, object],
    prefixes: dict[str, object],
    what: str,
    unknown: str = "inconnu",
):  # noqa: ANN202
    folded = fold(raw)
    if folded in exact:
        return exact[folded]
    for prefix, value in prefixes.items():
        if folded == prefix or folded.startswith(prefix + " "):
            return value
    raise ValueError(f"{what} {unknown} : {raw.strip()}")


_ORGANISME_EXACT = {
    "pe": Organisme.FT,
    "ft": Organisme.FT,
    "pole emploi": Organisme.FT,
    "france travail": Organisme.FT,
    "ml": Organisme.ML,
    "cd": Organisme.CD,
    "departement": Organisme.CD,
    "conseil departemental": Organisme.CD,
    "msa": Organisme.MSA,
    "cap emploi": Organisme.CAP_EMPLOI,
    "capemploi": Organisme.CAP_EMPLOI,
    "autre": Organisme.OTHER,
    "prestataire": Organisme.OTHER,
    "caf": Organisme.OTHER,
}
_ORGANISME_PREFIXES = {
    "cdas": Organisme.CD,
    "utas": Organisme.CD,
    "cd": Organisme.CD,
    "departement": Organisme.CD,
    "conseil departemental": Organisme.CD,
    "pole emploi": Organisme.FT,
    "france travail": Organisme.FT,
    "agence france travail": Organisme.FT,
    "mission locale": Organisme.ML,
    "ccas": Organisme.CCAS,
    "msa": Organisme.MSA,
    "cap emploi": Organisme.CAP_EMPLOI,
    "prestataire": Organisme.OTHER,
}


def parse_organisme(raw: str) -> Organisme:
    """ "PE", "Pôle emploi", "France Travail" -> FT; "CDAS Redon", "Département" -> CD..."""
    if re.fullmatch(r"cd ?\d{2,3}", fold(raw)):  # "CD35"
        return Organisme.CD
    return _lookup(raw, _ORGANISME_EXACT, _ORGANISME_PREFIXES, "organisme")


_DOMINANTES = {
    "emploi": Dominante.EMPLOI,
    "professionnel": Dominante.EMPLOI,
    "pro": Dominante.EMPLOI,
    "professionnelle": Dominante.EMPLOI,
    "socio professionnel": Dominante.SOCIO_PROFESSIONNEL,
    "socio professionnelle": Dominante.SOCIO_PROFESSIONNEL,
    "socio pro": Dominante.SOCIO_PROFESSIONNEL,
    "equilibre": Dominante.SOCIO_PROFESSIONNEL,
    "social": Dominante.SOCIAL,
    "sociale": Dominante.SOCIAL,
    "remobilisation": Dominante.SOCIAL,
}


def parse_dominante(raw: str) -> Dominante:
    return _lookup(raw, _DOMINANTES, {}, "parcours (dominante)")


_STATUSES = {
    "present": AppointmentStatus.PRESENT,
    "presente": AppointmentStatus.PRESENT,
    "venu": AppointmentStatus.PRESENT,
    "honore": AppointmentStatus.PRESENT,
    "absent": AppointmentStatus.ABSENT,
    "absent non excuse": AppointmentStatus.ABSENT,
    "absente": AppointmentStatus.ABSENT,
    "non venu": AppointmentStatus.ABSENT,
    "non honore": AppointmentStatus.ABSENT,
    "excuse": AppointmentStatus.EXCUSE,
    "absent excuse": AppointmentStatus.EXCUSE,
    "annule": AppointmentStatus.ANNULE,
    "annulation": AppointmentStatus.ANNULE,
    "planifie": AppointmentStatus.PLANIFIE,
    "prevu": AppointmentStatus.PLANIFIE,
    "a venir": AppointmentStatus.PLANIFIE,
}


def parse_appointment_status(raw: str) -> AppointmentStatus:
    return _lookup(raw, _STATUSES, {}, "statut de rendez-vous")


_CONTRACT_TYPES = {
    "cdi": EmploymentContractType.CDI,
    "cdd": EmploymentContractType.CDD,
    "interim": EmploymentContractType.INTERIM,
    "ett": EmploymentContractType.INTERIM,
    "travail temporaire": EmploymentContractType.INTERIM,
    "creation": EmploymentContractType.CREATION,
    "creation d entreprise": EmploymentContractType.CREATION,
    "auto entrepreneur": EmploymentContractType.CREATION,
    "micro entrepreneur": EmploymentContractType.CREATION,
    "iae": EmploymentContractType.IAE,
    "insertion": EmploymentContractType.IAE,
    "cddi": EmploymentContractType.IAE,
    "alternance": EmploymentContractType.ALTERNANCE,
    "apprentissage": EmploymentContractType.ALTERNANCE,
    "contrat de professionnalisation": EmploymentContractType.ALTERNANCE,
    "autre": EmploymentContractType.AUTRE,
}


def parse_contract_type(raw: str) -> EmploymentContractType:
    return _lookup(raw, _CONTRACT_TYPES, {}, "type de contrat")


def parse_sex(raw: str) -> Sex:
    return _lookup(
        raw,
        {
            "f": Sex.F,
            "femme": Sex.F,
            "2": Sex.F,
            "m": Sex.M,
            "h": Sex.M,
            "homme": Sex.M,
            "1": Sex.M,
        },
        {},
        "sexe",
    )


def parse_payer(raw: str) -> Payer:
    return _lookup(raw, {"caf": Payer.CAF, "msa": Payer.MSA}, {}, "organisme payeur")


def is_durable(contract_type: EmploymentContractType, duration_months: float | None) -> bool:
    """Durable employment: CDI, business creation, or CDD / interim of 6 months or more."""
    if contract_type in (EmploymentContractType.CDI, EmploymentContractType.CREATION):
        return True
    if contract_type in (EmploymentContractType.CDD, EmploymentContractType.INTERIM):
        return duration_months is not None and duration_months >= DURABLE_MONTHS
    return False


_FAMILY = {
    "isole": FamilySituation.SEUL,
    "isolee": FamilySituation.SEUL,
    "seul": FamilySituation.SEUL,
    "seule": FamilySituation.SEUL,
    "personne seule": FamilySituation.SEUL,
    "celibataire": FamilySituation.SEUL,
    "isole avec enfant": FamilySituation.SEUL_AVEC_ENFANTS,
    "isole avec enfants": FamilySituation.SEUL_AVEC_ENFANTS,
    "isolee avec enfants": FamilySituation.SEUL_AVEC_ENFANTS,
    "parent isole": FamilySituation.SEUL_AVEC_ENFANTS,
    "famille monoparentale": FamilySituation.SEUL_AVEC_ENFANTS,
    "monoparental": FamilySituation.SEUL_AVEC_ENFANTS,
    "couple": FamilySituation.COUPLE,
    "couple sans enfant": FamilySituation.COUPLE,
    "couple avec enfant": FamilySituation.COUPLE_AVEC_ENFANTS,
    "couple avec enfants": FamilySituation.COUPLE_AVEC_ENFANTS,
}


def parse_family_situation(raw: str) -> FamilySituation:
    """ "Isolé", "Parent isolé", "Couple avec enfant(s)"... (plural marks ignored)."""
    return _lookup(raw.replace("(s)", "s"), _FAMILY, {}, "situation familiale", "inconnue")


_EDUCATION = {
    "sans diplome": EducationLevel.SANS_DIPLOME,
    "aucun diplome": EducationLevel.SANS_DIPLOME,
    "infra 3": EducationLevel.SANS_DIPLOME,
    "niveau 1": EducationLevel.SANS_DIPLOME,
    "niveau 2": EducationLevel.SANS_DIPLOME,
    "niveau 3": EducationLevel.NIVEAU_3,
    "cap": EducationLevel.NIVEAU_3,
    "bep": EducationLevel.NIVEAU_3,
    "cap bep": EducationLevel.NIVEAU_3,
    "niveau 4": EducationLevel.NIVEAU_4,
    "bac": EducationLevel.NIVEAU_4,
    "baccalaureat": EducationLevel.NIVEAU_4,
    "niveau 5": EducationLevel.NIVEAU_5,
    "bac 2": EducationLevel.NIVEAU_5,
    "bts": EducationLevel.NIVEAU_5,
    "dut": EducationLevel.NIVEAU_5,
    "niveau 6": EducationLevel.NIVEAU_6_PLUS,
    "niveau 7": EducationLevel.NIVEAU_6_PLUS,
    "niveau 8": EducationLevel.NIVEAU_6_PLUS,
    "licence": EducationLevel.NIVEAU_6_PLUS,
    "master": EducationLevel.NIVEAU_6_PLUS,
    "bac 3": EducationLevel.NIVEAU_6_PLUS,
    "bac 5": EducationLevel.NIVEAU_6_PLUS,
    "bac 3 et plus": EducationLevel.NIVEAU_6_PLUS,
}


def parse_education_level(raw: str) -> EducationLevel:
    """Nomenclature 2019 ("Niveau 3", "CAP/BEP", "Bac", "Bac+2", "Licence"...).

    A label with its level in brackets ("Niveau 3 (CAP, BEP)") is read by its level.
    """
    folded = fold(raw)
    match = re.match(r"niveau [1-8]", folded)
    if match:
        return _EDUCATION[match.group(0)]
    return _lookup(raw, _EDUCATION, {}, "niveau de formation")
