"""The COMOP lists as people read them: titles, definitions, French columns, grid rows.

Rows are plain JSON (dates as ISO strings, shown as dd/mm/yyyy by the grid,
so they sort and filter as dates); text cells go through AG Grid's default
renderer, which escapes them (no HTML renderer anywhere on this page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from metrics.params import Params

ORGANISME_LABELS = {
    "FT": "France Travail",
    "CD": "Département (CDAS)",
    "ML": "Mission locale",
    "CAP_EMPLOI": "Cap emploi",
    "MSA": "MSA",
    "CCAS": "CCAS",
    "OTHER": "Autre",
}
DOMINANTE_LABELS = {
    "emploi": "Emploi",
    "socio_professionnel": "Socio-professionnel",
    "social": "Social",
}
KIND_LABELS = {"orientation": "Orientation", "accompagnement": "Accompagnement", "jalon": "Jalon"}
TAB_LABELS = {
    "attente_orientation": "Attente d'orientation",
    "absences_sans_relance": "Absences sans relance",
    "orientes_sans_rdv": "Orientés sans rendez-vous",
    "referents_au_dessus_cible": "Portefeuilles au-dessus de la cible",
}
UNKNOWN_TEXT = "inconnu"
# AG Grid value formatter: an ISO date (2024-03-01) shown as 01/03/2024; the value stays ISO.
DATE_FORMATTER = {"function": "params.value ? params.value.split('-').reverse().join('/') : ''"}


@dataclass(frozen=True)
class Names:
    """What the page shows for database ids: short pseudonyms and referent codes."""

    pseudonyms: dict[int, str] = field(default_factory=dict)
    referents: dict[int, str] = field(default_factory=dict)

    def person(self, beneficiary_id: int) -> str:
        return self.pseudonyms.get(beneficiary_id, UNKNOWN_TEXT)

    def referent(self, referent_id: int | None) -> str | None:
        if referent_id is None:
            return None
        return self.referents.get(referent_id, UNKNOWN_TEXT)


def list_title(code: str, params: Params) -> str:
    """The heading of a list, with the territory's thresholds."""
    titles = {
        "attente_orientation": "Nouveaux entrants en attente d'orientation depuis plus de "
        f"{params.orientation_days} jours",
        "absences_sans_relance": "Absences au premier rendez-vous sans relance dans les "
        f"{params.reminder_days} jours",
        "orientes_sans_rdv": "Personnes orientées sans premier rendez-vous d'accompagnement "
        f"après {params.first_appointment_days} jours",
        "referents_au_dessus_cible": "Référents au-dessus de leur cible de portefeuille",
    }
    return titles[code]


def list_definition(code: str, params: Params) -> str:
    """What the list holds, in one or two sentences (docs/comop.md says more)."""
    definitions = {
        "attente_orientation": "Nouveaux entrants de la période dont l'orientation n'a pas été "
        f"notifiée dans les {params.orientation_days} jours suivant T0 (réception de la "
        "notification CAF/MSA), délai échu : ceux toujours en attente d'abord, puis ceux "
        "orientés depuis, hors délai. Ce sont les hors-délai de l'indicateur COPIL.",
        "absences_sans_relance": "Absences au premier rendez-vous de la période sans relance ni "
        f"nouvelle invitation dans les {params.reminder_days} jours, délai échu : celles "
        "toujours sans suite d'abord.",
        "orientes_sans_rdv": "Orientations de la période (la dernière de chaque personne) sans "
        "rendez-vous d'accompagnement fixé dans les "
        f"{params.first_appointment_days} jours suivant la notification, délai échu : "
        "celles toujours sans rendez-vous d'abord.",
        "referents_au_dessus_cible": "Référents qui suivent plus de personnes que leur cible à "
        "la date vue (personnes soumises aux droits et devoirs dont l'orientation en cours "
        "les désigne).",
    }
    return definitions[code]


def empty_message(code: str, params: Params, narrowed: bool) -> str:
    """What an empty list says, in words."""
    messages = {
        "attente_orientation": "Aucune personne en attente d'orientation depuis plus de "
        f"{params.orientation_days} jours.",
        "absences_sans_relance": "Aucune absence au premier rendez-vous restée sans relance "
        f"au-delà de {params.reminder_days} jours.",
        "orientes_sans_rdv": "Aucune personne orientée restée sans premier rendez-vous "
        f"d'accompagnement au-delà de {params.first_appointment_days} jours.",
        "referents_au_dessus_cible": "Aucun référent au-dessus de sa cible de portefeuille.",
    }
    suffix = " (avec les filtres choisis)" if narrowed else ""
    return messages[code].removesuffix(".") + suffix + "."


def _text(name: str, header: str, **extra: object) -> dict:
    return {"field": name, "headerName": header, "filter": "agTextColumnFilter", **extra}


def _number(name: str, header: str) -> dict:
    return {
        "field": name,
        "headerName": header,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
    }


def _date(name: str, header: str) -> dict:
    return {
        "field": name,
        "headerName": header,
        "filter": "agTextColumnFilter",
        "valueFormatter": DATE_FORMATTER,
    }


COLUMNS: dict[str, list[dict]] = {
    "attente_orientation": [
        _text("identifiant", "Identifiant", pinned="left"),
        _text("site", "Site"),
        _date("t0", "T0 (notification reçue)"),
        _date("entree", "Entrée en droits et devoirs"),
        _number("jours", "Jours d'attente"),
        _text("situation", "Situation"),
        _date("notifiee", "Orientation notifiée le"),
        _text("organisme", "Organisme"),
        _text("referent", "Référent"),
    ],
    "absences_sans_relance": [
        _text("identifiant", "Identifiant", pinned="left"),
        _text("site", "Site"),
        _date("absence", "Rendez-vous manqué le"),
        _text("type", "Type de rendez-vous"),
        _number("jours", "Jours sans suite"),
        _text("situation", "Situation"),
        _date("suite", "Relance ou invitation le"),
        _text("organisme", "Organisme"),
        _text("referent", "Référent"),
    ],
    "orientes_sans_rdv": [
        _text("identifiant", "Identifiant", pinned="left"),
        _text("site", "Site"),
        _date("decision", "Orientation décidée le"),
        _date("notifiee", "Notifiée le"),
        _number("jours", "Jours sans rendez-vous"),
        _text("situation", "Situation"),
        _date("rendez_vous", "Rendez-vous fixé au"),
        _text("organisme", "Organisme"),
        _text("dominante", "Dominante"),
        _text("referent", "Référent"),
    ],
    "referents_au_dessus_cible": [
        _text("referent", "Référent", pinned="left"),
        _text("organisme", "Organisme"),
        _text("site", "Site"),
        _number("personnes", "Personnes suivies"),
        _number("cible", "Cible"),
        _number("depassement", "Dépassement"),
        _text("cible_source", "Origine de la cible"),
    ],
}


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _label(labels: dict[str, str], value: str | None) -> str | None:
    return None if value is None else labels.get(value, value)


def grid_rows(code: str, rows: pl.DataFrame, names: Names) -> list[dict]:
    """The rows of list `code` as the grid shows them (and the exports write them)."""
    out = []
    for row in rows.iter_rows(named=True):
        organisme = _label(ORGANISME_LABELS, row["organisme"])
        if code == "referents_au_dessus_cible":
            out.append(
                {
                    "referent": names.referent(row["referent_id"]),
                    "organisme": organisme,
                    "site": row["site"],
                    "personnes": row["people"],
                    "cible": row["target"],
                    "depassement": row["excess"],
                    "cible_source": "référent" if row["target_known"] else "par défaut",
                }
            )
            continue
        common = {
            "identifiant": names.person(row["beneficiary_id"]),
            "site": row["site"],
            "organisme": organisme,
            "referent": names.referent(row["referent_id"]),
        }
        if code == "attente_orientation":
            waiting = row["still_waiting"]
            specific = {
                "t0": _iso(row["t0"]),
                "entree": _iso(row["entry_on"]),
                "jours": row["days_waiting"],
                "situation": "Toujours en attente" if waiting else "Orientée hors délai",
                "notifiee": _iso(row["notified_on"]),
            }
        elif code == "absences_sans_relance":
            specific = {
                "absence": _iso(row["missed_on"]),
                "type": _label(KIND_LABELS, row["kind"]),
                "jours": row["days_without"],
                "situation": "Toujours sans suite"
                if row["still_without"]
                else "Relancée hors délai",
                "suite": _iso(row["followed_late_on"]),
            }
        else:
            specific = {
                "decision": _iso(row["decided_on"]),
                "notifiee": _iso(row["notified_on"]),
                "jours": row["days_waiting"],
                "situation": "Toujours sans rendez-vous"
                if row["still_without"]
                else "Rendez-vous fixé hors délai",
                "rendez_vous": _iso(row["appointment_on"]),
                "dominante": _label(DOMINANTE_LABELS, row["dominante"]),
            }
        out.append({**common, **specific})
    return out
