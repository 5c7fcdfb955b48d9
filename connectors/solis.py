"""SOLIS (the département's RSA software): beneficiaries, rights, orientation, CER.

One row per person: identity (read only to pseudonymise), rights dates,
droits et devoirs (start and end), the orientation in force at the extraction,
its referent (with the referent's site and portfolio target when the export
gives them), first accompaniment appointment, CER signature and exit. A newer
extraction showing another orientation decision adds it (the earlier one is
kept). Names are dropped on reading; the NIR and the CAF number only ever
leave this module as keyed hashes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from connectors.profiles import FieldType, Profile, ProfileField
from connectors.pseudonym import IdentifierError, caf_birth_key, caf_key, pseudonymise
from connectors.rows import (
    REFERENT_CODE_MAX,
    SITE_NAME_MAX,
    ParseContext,
    RowReader,
)
from connectors.values import (
    fold,
    parse_dominante,
    parse_education_level,
    parse_family_situation,
    parse_organisme,
    parse_payer,
    parse_sex,
)
from dashboard.models import (
    Dominante,
    EducationLevel,
    ExitReason,
    FamilySituation,
    Organisme,
    Payer,
    Sex,
)

F = FieldType
PROFILE = Profile(
    source="solis",
    fields=(
        ProfileField(
            "caf_number",
            ("N° allocataire", "Numéro CAF", "Matricule"),
            required=True,
            identifying=True,
        ),
        ProfileField("nir", ("NIR", "N° sécurité sociale", "NIR clé"), identifying=True),
        ProfileField(
            "birth_date", ("Date de naissance", "Né le"), F.DATE, required=True, identifying=True
        ),
        ProfileField("payer", ("Organisme payeur", "Payeur")),
        ProfileField("sex", ("Sexe", "Genre")),
        ProfileField("family_situation", ("Situation familiale", "Situation de famille")),
        ProfileField(
            "education_level", ("Niveau de formation", "Niveau de diplôme", "Niveau d'études")
        ),
        ProfileField("site", ("Site", "CDAS", "UTAS", "Territoire d'action sociale")),
        ProfileField(
            "rights_opened_on",
            ("Date ouverture droits", "Date d'ouverture des droits", "Ouverture droits"),
            F.DATE,
            required=True,
        ),
        ProfileField(
            "notification_received_on",
            ("Date réception flux CAF/MSA", "Date réception flux", "Date notification CAF"),
            F.DATE,
        ),
        ProfileField(
            "subject_to_duties", ("Soumis droits et devoirs", "SDD", "Droits et devoirs"), F.BOOLEAN
        ),
        ProfileField(
            "duties_start_on", ("Date début droits et devoirs", "Date entrée SDD"), F.DATE
        ),
        ProfileField("duties_end_on", ("Date fin droits et devoirs", "Date sortie SDD"), F.DATE),
        ProfileField(
            "orientation_decided_on", ("Date orientation", "Date décision orientation"), F.DATE
        ),
        ProfileField(
            "orientation_notified_on",
            ("Date notification orientation", "Date envoi notification"),
            F.DATE,
        ),
        ProfileField("dominante", ("Dominante", "Parcours", "Type de parcours")),
        ProfileField("organisme", ("Organisme référent", "Structure référente")),
        ProfileField("referent", ("Référent", "Code référent")),
        ProfileField("referent_site", ("Site du référent", "Lieu du référent")),
        ProfileField(
            "referent_portfolio_target",
            ("Objectif portefeuille du référent", "Portefeuille cible du référent"),
            F.INTEGER,
        ),
        ProfileField(
            "first_appointment_on",
            ("Date 1er RDV accompagnement", "Date premier rendez-vous"),
            F.DATE,
        ),
        ProfileField("cer_signed_on", ("Date signature CER", "Date CER"), F.DATE),
        ProfileField("exit_on", ("Date sortie RSA", "Date de sortie"), F.DATE),
        ProfileField("exit_reason", ("Motif sortie", "Motif de sortie")),
    ),
    dropped=("Nom", "Prénom", "Nom de naissance", "Nom d'usage", "Adresse", "Téléphone"),
)

_EXIT_REASONS = {
    "reprise d emploi": ExitReason.EMPLOI,
    "emploi": ExitReason.EMPLOI,
    "fin de droits": ExitReason.FIN_DE_DROITS,
    "ressources": ExitReason.FIN_DE_DROITS,
    "demenagement": ExitReason.DEMENAGEMENT,
    "radiation": ExitReason.RADIATION,
}


@dataclass(frozen=True)
class SolisRecord:
    pseudonym: str
    link_keys: tuple[str, ...]
    birth_year: int
    sex: Sex | None
    family_situation: FamilySituation | None
    education_level: EducationLevel | None
    payer: Payer | None
    site: str | None
    rights_opened_on: dt.date
    notification_received_on: dt.date | None
    duties_start_on: dt.date | None
    duties_end_on: dt.date | None
    exit_on: dt.date | None
    exit_reason: ExitReason | None
    orientation_decided_on: dt.date | None
    orientation_notified_on: dt.date | None
    dominante: Dominante | None
    organisme: Organisme | None
    referent: str | None
    first_appointment_on: dt.date | None
    cer_signed_on: dt.date | None
    # What the export says of the referent (read only with a referent code).
    referent_site: str | None = None
    referent_portfolio_target: int | None = None


def _exit_reason(raw: str) -> ExitReason:
    return _EXIT_REASONS.get(fold(raw), ExitReason.AUTRE)


def _portfolio_target(reader: RowReader) -> int | None:
    """A referent's portfolio target: a whole number of people, at least 1."""
    value = reader.decimal("referent_portfolio_target")
    if value is not None and (value < 1 or not value.is_integer()):
        reader.reasons.append(
            f"{reader.label('referent_portfolio_target')} : nombre de personnes attendu "
            f"(entier positif) : {reader.raw('referent_portfolio_target')}"
        )
        return None
    return None if value is None else int(value)


def parse_row(reader: RowReader, context: ParseContext) -> SolisRecord | None:
    """One SOLIS row -> a record, or None with `reader.reasons` saying why."""
    pseudonym_key, extracted_on = context.pseudonym_key, context.extracted_on
    caf_number = reader.raw("caf_number")
    birth_date = reader.date("birth_date", required=True)
    opened = reader.date("rights_opened_on", required=True)
    received = reader.date("notification_received_on")
    decided = reader.date("orientation_decided_on")
    notified = reader.date("orientation_notified_on")
    dominante = reader.choice("dominante", parse_dominante)
    organisme = reader.choice("organisme", parse_organisme)
    subject = reader.boolean("subject_to_duties")
    duties_start = reader.date("duties_start_on")
    duties_end = reader.date("duties_end_on")
    exit_on = reader.date("exit_on")
    sex = reader.choice("sex", parse_sex)
    family = reader.choice("family_situation", parse_family_situation)
    education = reader.choice("education_level", parse_education_level)
    payer = reader.choice("payer", parse_payer)
    first_appointment = reader.date("first_appointment_on")
    cer_signed = reader.date("cer_signed_on")
    portfolio_target = _portfolio_target(reader)
    for name, value in (
        ("rights_opened_on", opened),
        ("notification_received_on", received),
        ("orientation_decided_on", decided),
        ("orientation_notified_on", notified),
        ("duties_end_on", duties_end),
        ("exit_on", exit_on),
        ("first_appointment_on", first_appointment),
        ("cer_signed_on", cer_signed),
    ):
        reader.not_after(name, value, extracted_on)
    reader.ordered("rights_opened_on", opened, "notification_received_on", received)
    reader.ordered("orientation_decided_on", decided, "orientation_notified_on", notified)
    reader.ordered("rights_opened_on", opened, "exit_on", exit_on)
    reader.ordered("duties_start_on", duties_start, "duties_end_on", duties_end)
    if decided is not None and (dominante is None or organisme is None):
        reader.reasons.append("orientation sans dominante ou sans organisme référent")
    if (dominante or organisme or notified) and reader.raw("orientation_decided_on") is None:
        reader.reasons.append("orientation sans date de décision")
    pseudonym, links = None, ()
    try:
        pseudonym = pseudonymise(
            pseudonym_key, nir=reader.raw("nir"), caf_number=caf_number, birth_date=birth_date
        )
        if caf_number and birth_date:
            links = (
                caf_birth_key(pseudonym_key, caf_number, birth_date),
                caf_key(pseudonym_key, caf_number),
            )
    except IdentifierError as error:
        reader.reasons.append(str(error))
    site = reader.text("site", max_length=SITE_NAME_MAX)
    referent = reader.text("referent", max_length=REFERENT_CODE_MAX)
    referent_site = reader.text("referent_site", max_length=SITE_NAME_MAX)
    if reader.reasons or pseudonym is None or opened is None or birth_date is None:
        return None
    if duties_start is None and subject:
        duties_start = opened  # SOLIS only flags the duties: they start with the rights
    return SolisRecord(
        pseudonym=pseudonym,
        link_keys=links,
        birth_year=birth_date.year,
        sex=sex,
        family_situation=family,
        education_level=education,
        payer=payer,
        site=site,
        rights_opened_on=opened,
        notification_received_on=received,
        duties_start_on=duties_start if subject is not False else None,
        duties_end_on=duties_end if subject is not False else None,
        exit_on=exit_on,
        exit_reason=_exit_reason(reader.raw("exit_reason")) if reader.raw("exit_reason") else None,
        orientation_decided_on=decided,
        orientation_notified_on=notified,
        dominante=dominante,
        organisme=organisme,
        referent=referent,
        first_appointment_on=first_appointment,
        cer_signed_on=cer_signed,
        referent_site=referent_site if referent else None,
        referent_portfolio_target=portfolio_target if referent else None,
    )
