"""Mission locale (I-Milo): young people under 26, first reception, CEJ, situation.

One row per young person. There is no NIR: the person is found through the
keyed hash of the CAF/MSA number with the birth date, the link key the SOLIS
writer stores, and gets that hash as pseudonym when no source knows them
yet. The dossier number is read but never stored. Only an employment
situation is kept (as a return to employment); training, jobseeking,
schooling... have no place in the schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from connectors.france_travail import parse_employment_contract
from connectors.profiles import FieldType, Profile, ProfileField
from connectors.pseudonym import IdentifierError, caf_birth_key, caf_key
from connectors.rows import REFERENT_CODE_MAX, ParseContext, RowReader
from connectors.values import fold, parse_date
from dashboard.models import EmploymentContractType

F = FieldType
# Missions locales accompany young people from 16 to 25 (included) at their first reception.
AGE_RANGE = (16, 25)
AGE_REASON = "âge hors mission locale (16 à 25 ans)"

PROFILE = Profile(
    source="mission-locale",
    fields=(
        ProfileField(
            "dossier_number",
            ("Numéro dossier i-milo", "Numéro dossier", "Identifiant i-milo", "N° dossier"),
            identifying=True,
        ),
        ProfileField(
            "caf_number",
            ("N° allocataire CAF", "N° allocataire", "Numéro CAF", "N° allocataire MSA"),
            required=True,
            identifying=True,
        ),
        ProfileField(
            "birth_date",
            ("Date naissance", "Date de naissance", "Né le"),
            F.DATE,
            required=True,
            identifying=True,
        ),
        ProfileField("adviser", ("Conseiller", "Conseiller référent", "Code conseiller")),
        ProfileField(
            "first_reception_on",
            ("Date premier accueil", "Date 1er accueil", "Date premier entretien"),
            F.DATE,
        ),
        ProfileField(
            "cej_entry_on", ("Date entrée CEJ", "Date signature CEJ", "Date début CEJ"), F.DATE
        ),
        ProfileField("situation", ("Situation", "Situation actuelle", "Dernière situation")),
        ProfileField("situation_start_on", ("Date début situation", "Date situation"), F.DATE),
        ProfileField("contract_nature", ("Nature contrat", "Nature du contrat", "Type de contrat")),
    ),
    dropped=("Nom", "Prénom", "Adresse", "Téléphone", "Courriel"),
)

# Situations that are a job: None when the contract comes from "Nature contrat" only.
_EMPLOYMENT_SITUATIONS: dict[str, EmploymentContractType | None] = {
    "emploi": None,
    "en emploi": None,
    "emploi durable": None,
    "emploi aide": EmploymentContractType.AUTRE,
    "salarie": None,
    "cdi": EmploymentContractType.CDI,
    "cdd": EmploymentContractType.CDD,
    "interim": EmploymentContractType.INTERIM,
    "alternance": EmploymentContractType.ALTERNANCE,
    "apprentissage": EmploymentContractType.ALTERNANCE,
    "contrat d apprentissage": EmploymentContractType.ALTERNANCE,
    "contrat de professionnalisation": EmploymentContractType.ALTERNANCE,
    "creation d entreprise": EmploymentContractType.CREATION,
    "iae": EmploymentContractType.IAE,
}


def employment_situation(raw: str) -> tuple[bool, EmploymentContractType | None]:
    """Whether a situation is a job ("Emploi", "En emploi", "CDI"...), and its implied type."""
    folded = fold(raw)
    if folded in _EMPLOYMENT_SITUATIONS:
        return True, _EMPLOYMENT_SITUATIONS[folded]
    return folded.startswith(("emploi ", "en emploi ")), None


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class MissionLocaleRecord:
    # Keyed hash of CAF/MSA number + birth date: the link key to look the person
    # up with, and their pseudonym when no other source knows them.
    pseudonym: str
    link_keys: tuple[str, ...]
    birth_year: int
    adviser: str | None
    first_reception_on: dt.date | None
    cej_entry_on: dt.date | None
    employment_started_on: dt.date | None
    contract_type: EmploymentContractType | None


def _employment(
    reader: RowReader,
) -> tuple[dt.date | None, EmploymentContractType | None]:
    """The return to employment of an employment situation, else (None, None).

    The start date and "Nature contrat" of other situations (training,
    jobseeking: possibly planned, or the nature of a past job) are not read.
    """
    situation = reader.raw("situation")
    employed, implied = employment_situation(situation) if situation else (False, None)
    if not employed:
        return None, None
    started = reader.date("situation_start_on")
    if reader.raw("situation_start_on") is None:
        reader.reasons.append(
            f"{reader.label('situation_start_on')} : valeur manquante (situation en emploi)"
        )
    nature = reader.choice("contract_nature", parse_employment_contract)
    return started, nature or implied or EmploymentContractType.AUTRE


def _birth_date(reader: RowReader, extracted_on: dt.date) -> dt.date | None:
    """The birth date, its reasons never quoting it (it identifies the person)."""
    raw, label = reader.raw("birth_date"), reader.label("birth_date")
    if raw is None:
        reader.reasons.append(f"{label} : valeur manquante")
        return None
    try:
        born = parse_date(raw)
    except ValueError:
        reader.reasons.append(f"{label} : date impossible ou illisible")
        return None
    if born > extracted_on:
        reader.reasons.append(f"{label} : date postérieure à l'extraction")
    return born


def parse_row(reader: RowReader, context: ParseContext) -> MissionLocaleRecord | None:
    """One I-Milo row -> a record, or None with `reader.reasons` saying why."""
    caf_number = reader.text("caf_number", required=True)
    birth_date = _birth_date(reader, context.extracted_on)
    reception = reader.date("first_reception_on")
    cej = reader.date("cej_entry_on")
    employed_on, contract_type = _employment(reader)
    for name, value in (
        ("first_reception_on", reception),
        ("cej_entry_on", cej),
        ("situation_start_on", employed_on),
    ):
        reader.not_after(name, value, context.extracted_on)
    # The CEJ is signed after the first reception (the first contact with the
    # mission locale): the other way round, one of the dates is wrong.
    reader.ordered("first_reception_on", reception, "cej_entry_on", cej)
    # Age when the accompaniment began (at the extraction when no date says so).
    reference = reception or cej or context.extracted_on
    if birth_date and not AGE_RANGE[0] <= age_on(birth_date, reference) <= AGE_RANGE[1]:
        reader.reasons.append(AGE_REASON)
    pseudonym, links = None, ()
    try:
        if caf_number and birth_date:
            pseudonym = caf_birth_key(context.pseudonym_key, caf_number, birth_date)
            links = (pseudonym, caf_key(context.pseudonym_key, caf_number))
    except IdentifierError as error:
        reader.reasons.append(str(error))
    adviser = reader.text("adviser", max_length=REFERENT_CODE_MAX)
    if reader.reasons or pseudonym is None or birth_date is None:
        return None
    return MissionLocaleRecord(
        pseudonym=pseudonym,
        link_keys=links,
        birth_year=birth_date.year,
        adviser=adviser,
        first_reception_on=reception,
        cej_entry_on=cej,
        employment_started_on=employed_on,
        contract_type=contract_type,
    )
