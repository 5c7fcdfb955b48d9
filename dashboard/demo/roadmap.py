"""The demo feuille de route: 27 actions over the five axes of a pilot roadmap.

Deadlines are written the way partners write them ("Fin mars", "S12",
"1er semestre 2024", "Permanent"...) and left for the deadline parser; only
explicit dates fill `start_on` / `due_on`. Years follow the pilot: Y1 is the
year of the pilot start, Y2 the next one.
"""

from __future__ import annotations

import datetime as dt

from dashboard.demo.records import RoadmapActionRecord
from dashboard.models import RoadmapProgress

AXES = (
    "Entrée en parcours",
    "Accompagnement",
    "Mobilisation des entreprises",
    "Gouvernance partagée",
    "Numérique",
)
ENTREE, ACCOMPAGNEMENT, ENTREPRISES, GOUVERNANCE, NUMERIQUE = AXES
REALISE, EN_COURS, NON_DEMARRE = (
    RoadmapProgress.REALISE,
    RoadmapProgress.EN_COURS,
    RoadmapProgress.NON_DEMARRE,
)
CONTINUOUS_DEADLINES = ("Permanent", "Toute l'année")

T_ORIENTER = "Orienter 100 % des nouveaux entrants en 15 jours"
T_STOCK = "Reprendre le stock des allocataires sans accompagnement"
T_INTENSIF = "Garantir 15 à 20 heures d'activité hebdomadaire"
T_FREINS = "Lever les freins périphériques à l'emploi"
T_VIVIER = "Construire un vivier d'entreprises partenaires"
T_SECURISER = "Sécuriser les reprises d'emploi"
T_PILOTER = "Piloter ensemble avec des indicateurs communs"
T_OUTILLER = "Outiller le parcours et partager les données"

# axis, operational target, action, owners, deadline ({y1}/{y2}: pilot years),
# progress, comment, follow-up indicator, milestones
# fmt: off
ACTIONS: tuple[tuple, ...] = (
    (ENTREE, T_ORIENTER,
     "Mettre en place un flux quotidien des nouveaux entrants CAF/MSA vers les CDAS",
     ("CD", "CAF", "MSA"), "Fin mars", REALISE,
     "Flux quotidien opérationnel depuis fin mars.", "Délai réception du flux / invitation", ()),
    (ENTREE, T_ORIENTER,
     "Organiser des sessions collectives d'information et d'orientation chaque semaine "
     "dans les trois CDAS",
     ("CD", "FT"), "Avril / Mai", REALISE,
     "Mardi à Redon, jeudi à Guichen et Bain-de-Bretagne.", "Nombre de sessions tenues", ()),
    (ENTREE, T_ORIENTER,
     "Généraliser le co-diagnostic CD / France Travail dès le premier rendez-vous",
     ("CD", "FT"), "1er semestre {y1}", EN_COURS,
     "240 co-diagnostics réalisés de juillet à décembre.",
     "Part des orientations en co-diagnostic", ()),
    (ENTREE, T_ORIENTER,
     "Convoquer les non-répondants après deux invitations et saisir l'équipe pluridisciplinaire",
     ("CD",), "Permanent", EN_COURS,
     None, "Taux d'absence au premier rendez-vous", ()),
    (ENTREE, T_ORIENTER,
     "Associer la mission locale aux sessions d'orientation des moins de 26 ans",
     ("ML", "CD"), "S12", REALISE,
     None, None, ()),
    (ENTREE, T_STOCK,
     "Segmenter le stock (ancienneté, dernier contact) et planifier les convocations",
     ("CD", "FT"), "Mi mai", REALISE,
     "20 % du stock vu mi-juillet ; objectif 80 % en fin d'année.", "Part du stock reçue", ()),
    (ENTREE, T_STOCK,
     "Recevoir en entretien de diagnostic les allocataires du stock sans orientation valide",
     ("CD", "FT", "MSA"), "Au fil de l'eau – fin décembre {y1}", EN_COURS,
     "Retard sur le secteur de Bain-de-Bretagne (poste vacant).", "Taux d'orientation", ()),
    (ACCOMPAGNEMENT, T_INTENSIF,
     "Recruter 10 référents de parcours pour atteindre 1 référent pour 70 allocataires",
     ("CD",), "1er trimestre {y1}", REALISE,
     "10 référents recrutés ; 2 départs à remplacer.", "Portefeuille moyen par référent",
     ("Arrivée des référents",)),
    (ACCOMPAGNEMENT, T_INTENSIF,
     "Construire un catalogue partagé d'activités (ateliers, PMSMP, formations, santé, "
     "mobilité)",
     ("CD", "FT", "ETAT"), "Février {y2}", REALISE,
     None, "Nombre d'actions au catalogue", ()),
    (ACCOMPAGNEMENT, T_INTENSIF,
     "Suivre chaque semaine les heures d'activité déclarées par les référents",
     ("CD", "FT"), "Début avril", EN_COURS,
     "Saisie encore partielle côté CDAS.", "Part des personnes à 15 h et plus", ()),
    (ACCOMPAGNEMENT, T_INTENSIF,
     "Signer le contrat d'engagement dans la semaine qui suit le premier rendez-vous",
     ("CD", "FT", "ML"), "Permanent", EN_COURS,
     None, "Taux de contractualisation", ()),
    (ACCOMPAGNEMENT, T_INTENSIF,
     "Réaliser un entretien jalon à 6 mois et revoir l'orientation si besoin",
     ("CD", "FT", "ML", "MSA"), "Toute l'année", EN_COURS,
     None, "Nombre de réorientations", ()),
    (ACCOMPAGNEMENT, T_FREINS,
     "Déployer une plateforme mobilité (location de scooters, aide au permis)",
     ("CD", "ETAT"), "Mai/Juin", EN_COURS,
     "Convention avec l'association en cours de signature.", None, ()),
    (ACCOMPAGNEMENT, T_FREINS,
     "Réserver des places en crèche à vocation d'insertion professionnelle (AVIP)",
     ("CAF", "CD"), "Prévu fin S1", NON_DEMARRE,
     "Attente de la réponse des communes.", None, ()),
    (ACCOMPAGNEMENT, T_FREINS,
     "Organiser des permanences santé (CPAM, psychologue) dans les CDAS",
     ("CD", "ETAT"), "septembre", None,
     None, None, ()),
    (ENTREPRISES, T_VIVIER,
     "Recenser les besoins de recrutement des entreprises du bassin avec les chambres "
     "consulaires",
     ("FT", "ETAT"), "1er semestre {y2}", EN_COURS,
     None, "Nombre d'entreprises mobilisées", ()),
    (ENTREPRISES, T_VIVIER,
     "Organiser un job dating trimestriel réservé aux personnes accompagnées",
     ("FT", "CD"), "Janvier {y2} mars {y2}", NON_DEMARRE,
     None, "Nombre de participants", ()),
    (ENTREPRISES, T_VIVIER,
     "Proposer une immersion professionnelle (PMSMP) à chaque personne en parcours emploi",
     ("FT", "CD"), "Toute l'année", EN_COURS,
     None, "Nombre de PMSMP", ()),
    (ENTREPRISES, T_SECURISER,
     "Assurer un suivi dans l'emploi pendant six mois après la reprise",
     ("FT", "CD"), "Avril {y2}", NON_DEMARRE,
     None, "Taux de retour à l'emploi durable", ()),
    (ENTREPRISES, T_SECURISER,
     "Mobiliser les structures de l'IAE du bassin sur des parcours tremplin",
     ("ETAT", "CD"), "1er trimestre {y2}", EN_COURS,
     "Deux SIAE partenaires à ce jour.", None, ()),
    (GOUVERNANCE, T_PILOTER,
     "Tenir un COPIL chaque trimestre, co-présidé par le préfet et le président du Département",
     ("ETAT", "CD"), "Permanent", EN_COURS,
     None, None, ("COPIL de lancement", "COPIL bilan annuel")),
    (GOUVERNANCE, T_PILOTER,
     "Installer un COMOP mensuel des responsables de CDAS, d'agence France Travail et de "
     "mission locale",
     ("CD", "FT", "ML"), "Fin mars", REALISE,
     None, None, ()),
    (GOUVERNANCE, T_PILOTER,
     "Mettre en place une instance technique de régulation pour valider orientations et "
     "réorientations",
     ("CD", "FT", "ML"), "Mai", REALISE,
     None, "Nombre de dossiers examinés", ()),
    (GOUVERNANCE, T_PILOTER,
     "Signer la convention de partage de données (article L.263-4-1 du CASF)",
     ("CD", "FT", "CAF", "MSA", "ETAT"), "15/03/{y1}", REALISE,
     "Analyse d'impact (AIPD) validée par les DPO.", None, ()),
    (NUMERIQUE, T_OUTILLER,
     "Déployer rdv-insertion pour les invitations, relances SMS et convocations",
     ("CD", "BETA.GOUV"), "1er trimestre {y1}", REALISE,
     None, "Part des invitations envoyées sous 15 jours", ()),
    (NUMERIQUE, T_OUTILLER,
     "Produire chaque mois le fichier du tableau de bord national",
     ("CD", "FT"), "Avril {y2} pour un fichier EXCEL", EN_COURS,
     "Envoi manuel en attendant l'automatisation.", None, ()),
    (NUMERIQUE, T_OUTILLER,
     "Alimenter le tableau de pilotage depuis SOLIS, France Travail et I-Milo",
     ("CD", "FT", "ML"), "01/09/{y2} - 31/12/{y2}", EN_COURS,
     None, None, ("Premier import SOLIS", "Premier COPIL sur le tableau de pilotage")),
)
# fmt: on


def _explicit_dates(deadline: str) -> tuple[dt.date | None, dt.date | None]:
    """(start, due) for deadlines written as dd/mm/yyyy or a 'dd/mm/yyyy - dd/mm/yyyy' range."""
    parts = [part.strip() for part in deadline.split(" - ")]
    try:
        dates = [dt.datetime.strptime(part, "%d/%m/%Y").date() for part in parts]
    except ValueError:
        return None, None
    return (dates[0], dates[1]) if len(dates) == 2 else (None, dates[0])


def build_roadmap(pilot_start: dt.date) -> list[RoadmapActionRecord]:
    """The demo roadmap actions, years taken from the pilot start."""
    years = {"y1": pilot_start.year, "y2": pilot_start.year + 1}
    records = []
    for axis, target, action, owners, deadline, progress, comment, indicator, steps in ACTIONS:
        text = deadline.format(**years)
        start_on, due_on = _explicit_dates(text)
        records.append(
            RoadmapActionRecord(
                axis=axis,
                operational_target=target,
                action=action,
                owners=tuple(owners),
                deadline_text=text,
                start_on=start_on,
                due_on=due_on,
                continuous=text in CONTINUOUS_DEADLINES,
                milestones=tuple(steps),
                follow_up_indicator=indicator,
                progress=progress,
                comment=comment,
            )
        )
    return records
