"""Appointments tool (rdv-insertion or a local agenda): invitations, appointments, presence.

One row per appointment. The export carries no NIR: the person is found
through the link key of the CAF/MSA number (with the birth date when the
export has one) that the SOLIS import stored. This module only computes
those keyed hashes; the writer looks them up and rejects the rows whose
person no imported beneficiary carries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from connectors.profiles import FieldType, Profile, ProfileField
from connectors.pseudonym import IdentifierError, caf_birth_key, caf_key
from connectors.rows import (
    REFERENT_CODE_MAX,
    SITE_NAME_MAX,
    ParseContext,
    RowReader,
)
from connectors.values import fold, parse_appointment_status, parse_organisme
from dashboard.models import AppointmentKind, AppointmentStatus, Organisme

F = FieldType
# A planned appointment may lie after the extraction date, but not years after it.
MAX_DAYS_AHEAD = 366
PROFILE = Profile(
    source="rdv",
    fields=(
        ProfileField(
            "caf_number",
            ("N° allocataire", "Numéro CAF", "N° CAF/MSA", "Matricule"),
            required=True,
            identifying=True,
        ),
        ProfileField("birth_date", ("Date de naissance", "Né le"), F.DATE, identifying=True),
        ProfileField(
            "kind",
            ("Motif", "Type de rendez-vous", "Type RDV", "Catégorie de motif"),
            required=True,
        ),
        ProfileField(
            "invited_on", ("Date invitation", "Date d'invitation", "Date convocation"), F.DATE
        ),
        ProfileField(
            "scheduled_at",
            ("Date RDV", "Date du rendez-vous", "Date rendez-vous", "Date et heure du RDV"),
            F.DATETIME,
            required=True,
        ),
        ProfileField("status", ("Statut", "Statut RDV", "Présence"), required=True),
        ProfileField("reminder_on", ("Relance", "Date relance", "Date de relance"), F.DATE),
        ProfileField("site", ("Structure", "Lieu", "Site", "Organisation")),
        ProfileField("referent", ("Référent", "Code référent")),
    ),
    dropped=("Nom", "Prénom", "Téléphone", "Email", "Adresse", "Adresse e-mail"),
)

_JALON_WORDS = {"jalon", "jalons"}
_ACCOMPAGNEMENT_WORDS = {"accompagnement", "suivi"}
_ORIENTATION_WORDS = {"orientation", "reorientation", "diagnostic", "codiagnostic", "diag"}
_FIRST_APPOINTMENT = ("1er rendez vous", "premier rendez vous", "1er rdv", "premier rdv")
_HELD = (AppointmentStatus.PRESENT, AppointmentStatus.ABSENT, AppointmentStatus.EXCUSE)


def parse_appointment_kind(raw: str) -> AppointmentKind:
    """ "Entretien jalon" -> jalon; "Accompagnement", "Suivi" -> accompagnement;
    "Orientation", "Diagnostic", "1er rendez-vous" -> orientation."""
    folded = fold(raw)
    words = set(folded.split())
    if words & _JALON_WORDS or "point d etape" in folded:
        return AppointmentKind.JALON
    if words & _ACCOMPAGNEMENT_WORDS:
        return AppointmentKind.ACCOMPAGNEMENT
    if words & _ORIENTATION_WORDS or folded.startswith(_FIRST_APPOINTMENT):
        return AppointmentKind.ORIENTATION
    raise ValueError(f"type de rendez-vous inconnu : {raw.strip()}")


@dataclass(frozen=True)
class AppointmentRecord:
    # Kept for the writer's quarantine entry when no beneficiary carries the keys.
    row_number: int
    raw_values: dict[str, str | None]
    # Link keys to look up, most precise first (CAF number + birth date, CAF number).
    link_keys: tuple[str, ...]
    kind: AppointmentKind
    invited_on: dt.date | None
    scheduled_at: dt.datetime
    status: AppointmentStatus
    reminder_on: dt.date | None
    site: str | None
    referent: str | None
    organisme: Organisme | None  # of a new referent, guessed from the site's name


def _organisme_of(site: str | None) -> Organisme | None:
    try:
        return parse_organisme(site) if site else None
    except ValueError:
        return None


def _check_dates(
    reader: RowReader,
    extracted_on: dt.date,
    invited: dt.date | None,
    scheduled: dt.datetime | None,
    reminder: dt.date | None,
) -> None:
    reader.not_after("invited_on", invited, extracted_on)
    reader.not_after("reminder_on", reminder, extracted_on)
    if scheduled is not None:
        day = scheduled.date()
        if day > extracted_on + dt.timedelta(days=MAX_DAYS_AHEAD):
            reader.reasons.append(
                f"{reader.label('scheduled_at')} : date plus d'un an après l'extraction "
                f"({day:%d/%m/%Y})"
            )
        reader.ordered("invited_on", invited, "scheduled_at", day)
    # A reminder follows the invitation it reminds of (before or after the appointment).
    reader.ordered("invited_on", invited, "reminder_on", reminder)


def parse_row(reader: RowReader, context: ParseContext) -> AppointmentRecord | None:
    """One appointment row -> a record, or None with `reader.reasons` saying why."""
    caf_number = reader.raw("caf_number")
    if caf_number is None:
        reader.reasons.append(f"{reader.label('caf_number')} : valeur manquante")
    birth_date = reader.date("birth_date")
    kind = reader.choice("kind", parse_appointment_kind, required=True)
    invited = reader.date("invited_on")
    scheduled = reader.datetime("scheduled_at", required=True)
    status = reader.choice("status", parse_appointment_status)
    reminder = reader.date("reminder_on")
    _check_dates(reader, context.extracted_on, invited, scheduled, reminder)
    if scheduled is not None and scheduled.date() > context.extracted_on and status in _HELD:
        reader.reasons.append(f"statut « {reader.raw('status')} » pour un rendez-vous à venir")
    keys: tuple[str, ...] = ()
    if caf_number:
        try:
            keys = (caf_key(context.pseudonym_key, caf_number),)
            if birth_date is not None:
                keys = (caf_birth_key(context.pseudonym_key, caf_number, birth_date), *keys)
        except IdentifierError as error:
            reader.reasons.append(str(error))
    site = reader.text("site", max_length=SITE_NAME_MAX)
    referent = reader.text("referent", max_length=REFERENT_CODE_MAX)
    if reader.reasons or not keys or kind is None or scheduled is None:
        return None
    return AppointmentRecord(
        row_number=int(reader.row.get("__row__") or 0),
        raw_values=reader.quarantine_values(),
        link_keys=keys,
        kind=kind,
        invited_on=invited,
        scheduled_at=scheduled,
        # An empty status is an appointment not held yet (or whose outcome is not entered).
        status=status or AppointmentStatus.PLANIFIE,
        reminder_on=reminder,
        site=site,
        referent=referent,
        organisme=_organisme_of(site),
    )
