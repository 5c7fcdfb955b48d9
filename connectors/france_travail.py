"""France Travail follow-up: first interview, PPAE / CE, weekly hours, returns to employment.

One row per jobseeker (one per jobseeker and week when the file says which
week its hours are for; by default they are for the week before the
extraction, "S-1"). The person is known by the keyed hash of the NIR (the
export has no birth date); the CAF number only becomes a link key (keyed hash
of the number alone). The FT identifier, registration date and accompaniment
modality are read but not stored: the schema has no place for them (the
registration date is only used to check the other dates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from connectors.profiles import FieldType, Profile, ProfileField
from connectors.pseudonym import IdentifierError, caf_key, pseudonymise
from connectors.rows import REFERENT_CODE_MAX, ParseContext, RowReader
from connectors.values import fold, is_durable, parse_contract_type
from dashboard.models import ContractKind, EmploymentContractType

F = FieldType
# The contrat d'engagement replaced the PPAE on 1 January 2025 (loi pour le plein emploi).
CE_FROM = dt.date(2025, 1, 1)
# More than 80 hours of accompaniment activities in one week cannot be true.
MAX_WEEKLY_HOURS = 80.0

PROFILE = Profile(
    source="france-travail",
    fields=(
        ProfileField(
            "ft_id",
            ("Identifiant FT", "Identifiant France Travail", "Identifiant Pôle emploi", "IDE"),
            identifying=True,
        ),
        ProfileField(
            "nir",
            ("NIR", "N° sécurité sociale", "Numéro de sécurité sociale", "NIR clé"),
            required=True,
            identifying=True,
        ),
        ProfileField(
            "caf_number",
            ("Numéro CAF", "N° allocataire", "N° allocataire CAF", "Matricule CAF"),
            identifying=True,
        ),
        ProfileField("registered_on", ("Date d'inscription", "Date inscription"), F.DATE),
        ProfileField("modality", ("Modalité d'accompagnement", "Modalité", "Modalité de suivi")),
        ProfileField("adviser", ("Conseiller", "Conseiller référent", "Code conseiller")),
        ProfileField(
            "first_interview_on",
            ("Date 1er entretien", "Date premier entretien", "Date entretien de diagnostic"),
            F.DATE,
        ),
        ProfileField(
            "contract_signed_on",
            (
                "Date signature PPAE / CE",
                "Date signature PPAE",
                "Date signature CE",
                "Date signature contrat d'engagement",
            ),
            F.DATE,
        ),
        ProfileField(
            "weekly_hours",
            ("Heures d'activité S-1", "Heures d'activité semaine précédente", "Heures S-1"),
            F.DECIMAL,
        ),
        ProfileField(
            "hours_week", ("Semaine des heures", "Semaine de référence", "Semaine S-1"), F.DATE
        ),
        ProfileField(
            "employment_started_on",
            ("Date reprise d'emploi", "Date de reprise d'emploi", "Date retour à l'emploi"),
            F.DATE,
        ),
        ProfileField("contract_type", ("Type de contrat", "Nature contrat", "Type contrat")),
        ProfileField(
            "duration_months",
            ("Durée contrat (mois)", "Durée du contrat (mois)", "Durée contrat"),
            F.DECIMAL,
        ),
    ),
    dropped=("Nom", "Prénom", "Nom de naissance", "Adresse", "Téléphone", "Courriel"),
)

# Spellings of FT and I-Milo exports that `values.parse_contract_type` does not know.
_MORE_CONTRACT_TYPES = {
    "ctt": EmploymentContractType.INTERIM,
    "mission interim": EmploymentContractType.INTERIM,
    "contrat de travail temporaire": EmploymentContractType.INTERIM,
    "saisonnier": EmploymentContractType.CDD,
    "cdd saisonnier": EmploymentContractType.CDD,
    "contrat d apprentissage": EmploymentContractType.ALTERNANCE,
    "contrat de professionnalisation": EmploymentContractType.ALTERNANCE,
    "contrat pro": EmploymentContractType.ALTERNANCE,
    "cdd insertion": EmploymentContractType.IAE,
    "contrat aide": EmploymentContractType.AUTRE,
    "pec": EmploymentContractType.AUTRE,
    "cui": EmploymentContractType.AUTRE,
}


def parse_employment_contract(raw: str) -> EmploymentContractType:
    """The shared contract synonyms, plus CTT, saisonnier, contrat aidé, PEC..."""
    return _MORE_CONTRACT_TYPES.get(fold(raw)) or parse_contract_type(raw)


def monday_of(day: dt.date) -> dt.date:
    """Monday of the ISO week of `day`."""
    return day - dt.timedelta(days=day.weekday())


def previous_week_start(extracted_on: dt.date) -> dt.date:
    """Monday of the ISO week before the extraction date ("S-1")."""
    return monday_of(extracted_on - dt.timedelta(days=7))


@dataclass(frozen=True)
class FranceTravailRecord:
    pseudonym: str
    link_keys: tuple[str, ...]
    adviser: str | None
    first_interview_on: dt.date | None
    contract_kind: ContractKind | None
    contract_signed_on: dt.date | None
    week_start: dt.date | None
    weekly_hours: float | None
    employment_started_on: dt.date | None
    contract_type: EmploymentContractType | None
    duration_months: float | None
    durable: bool | None


def _check_employment(reader: RowReader, duration: float | None) -> None:
    if duration is not None and duration < 0:
        reader.reasons.append(
            f"{reader.label('duration_months')} : durée de contrat impossible : "
            f"{reader.raw('duration_months')}"
        )
    if reader.raw("duration_months") and reader.raw("contract_type") is None:
        reader.reasons.append("durée de contrat sans type de contrat")
    has_contract = reader.raw("contract_type") or reader.raw("duration_months")
    if has_contract and reader.raw("employment_started_on") is None:
        reader.reasons.append("type ou durée de contrat sans date de reprise d'emploi")


def parse_row(reader: RowReader, context: ParseContext) -> FranceTravailRecord | None:
    """One France Travail row -> a record, or None with `reader.reasons` saying why."""
    extracted_on = context.extracted_on
    nir = reader.text("nir", required=True)
    caf_number = reader.raw("caf_number")
    registered = reader.date("registered_on")
    interview = reader.date("first_interview_on")
    signed = reader.date("contract_signed_on")
    hours = reader.decimal("weekly_hours")
    hours_week = reader.date("hours_week")
    employed = reader.date("employment_started_on")
    contract_type = reader.choice("contract_type", parse_employment_contract)
    duration = reader.decimal("duration_months")
    for name, value in (
        ("registered_on", registered),
        ("first_interview_on", interview),
        ("contract_signed_on", signed),
        ("employment_started_on", employed),
        ("hours_week", hours_week),
    ):
        reader.not_after(name, value, extracted_on)
    # Interview and PPAE follow the registration; a PPAE signed before the first
    # interview is normal (it can be signed at registration), so it is not checked.
    reader.ordered("registered_on", registered, "first_interview_on", interview)
    reader.ordered("registered_on", registered, "contract_signed_on", signed)
    if hours is not None and not 0 <= hours <= MAX_WEEKLY_HOURS:
        reader.reasons.append(
            f"{reader.label('weekly_hours')} : heures hebdomadaires impossibles : "
            f"{reader.raw('weekly_hours')}"
        )
    _check_employment(reader, duration)
    pseudonym, links = None, ()
    try:
        pseudonym = pseudonymise(context.pseudonym_key, nir=nir) if nir else None
    except IdentifierError as error:
        reader.reasons.append(str(error))
    try:
        links = (caf_key(context.pseudonym_key, caf_number),) if caf_number else ()
    except IdentifierError as error:
        reader.reasons.append(str(error))
    adviser = reader.text("adviser", max_length=REFERENT_CODE_MAX)
    if reader.reasons or pseudonym is None:
        return None
    week = hours_week or previous_week_start(extracted_on)
    if employed is None:
        contract_type = duration = None
    elif contract_type is None:
        contract_type = EmploymentContractType.AUTRE  # a return to work of unknown kind
    return FranceTravailRecord(
        pseudonym=pseudonym,
        link_keys=links,
        adviser=adviser,
        first_interview_on=interview,
        contract_kind=None if signed is None else _contract_kind(signed),
        contract_signed_on=signed,
        week_start=None if hours is None else monday_of(week),
        weekly_hours=hours,
        employment_started_on=employed,
        contract_type=contract_type,
        duration_months=duration,
        durable=None if contract_type is None else is_durable(contract_type, duration),
    )


def _contract_kind(signed_on: dt.date) -> ContractKind:
    return ContractKind.CE if signed_on >= CE_FROM else ContractKind.PPAE
