"""Each indicator's definition in French, as docs/indicators.md gives it (« Définition »).

The pages, the COPIL pack and the API show this text to the people who read
the figures; the compute functions' docstrings stay the English reference.
tests/test_indicator_definitions_fr.py holds it equal to the documentation.
Backquoted words (`as_of`, `fenetre_ouverte`...) are the names the code and
the API use; the pages show them as code.
"""

from __future__ import annotations

DEFINITIONS_FR: dict[str, str] = {
    "nouveaux_entrants": (
        "nombre de personnes entrées dans les droits et devoirs pendant la période sans suivi"
        " en cours : début des droits et devoirs dans la période, non soumises la veille, "
        "aucune orientation décidée dans les 12 mois précédant ce début. Comptées une fois."
    ),
    "taux_orientes_15j": (
        "parmi les nouveaux entrants de la période dont le T0 est connu, part de ceux dont "
        "l'orientation d'entrée a été notifiée au plus tard 14 jours après T0 (15 jours en "
        "comptant T0 : T0 le 01/03 -> notifiée au plus tard le 15/03 ; le 16/03 est hors "
        "délai). Les entrants sans orientation dont le délai court encore à `as_of` sont "
        "exclus (`fenetre_ouverte`) ; ceux non orientés ou notifiés en retard, délai échu, "
        "comptent au dénominateur seulement. Sans T0 : comptés à part (`sans_t0`)."
    ),
    "taux_orientes_1mois": (
        "comme `taux_orientes_15j`, avec un délai d'un mois calendaire : à temps si la "
        "notification est au plus tard le même quantième du mois suivant T0, ramené à la fin "
        "d'un mois plus court (T0 31/01/2024 -> 29/02/2024 ; T0 30/04 -> 30/05). Quand la "
        "date de réception de la notification est inconnue, T0 est la date d'ouverture des "
        'droits (`details["t0_ouverture_droits"]`) ; `sans_t0` ne compte que les entrants '
        "sans aucune des deux dates."
    ),
    "taux_orientes_6sem": (
        "comme `taux_orientes_15j`, avec un délai de 42 jours après T0 (`notified_on - T0 <= "
        "42`), le délai légal de six semaines."
    ),
    "delai_orientation_median_j": (
        "médiane du nombre de jours entre T0 et la notification de l'orientation d'entrée, "
        "pour les nouveaux entrants de la période dont le T0 est connu et qui ont été "
        "notifiés au plus tard à `as_of`, quel que soit le délai. Détails : moyenne, 3e "
        "quartile (`p75`, interpolation linéaire), effectif (`count`), entrants notifiés sans"
        ' T0 (`sans_t0`), entrants pas encore notifiés (`non_notifies`). `by="cohorte"` donne'
        " la médiane par mois d'entrée."
    ),
    "taux_orientation": (
        "parmi les personnes soumises aux droits et devoirs au `as_of`, part de celles qui "
        "ont une orientation décidée au plus tard à `as_of` (la dernière fait foi, "
        "réorientations comprises). La période n'intervient pas."
    ),
    "repartition_organisme": (
        "effectif et part par organisme référent, les sept organismes toujours listés dans "
        "l'ordre FT, CD, ML, CAP_EMPLOI, MSA, CCAS, OTHER (zéros compris). Périmètre "
        '`scope="stock"` (défaut) : les personnes orientées du numérateur de '
        "`taux_orientation`, chacune selon son orientation en cours au `as_of`. Périmètre "
        '`scope="flux"` : toutes les orientations décidées dans la période (jusqu\'à `as_of`),'
        ' réorientations comprises (`details["reorientations"]`). Pas de valeur globale : '
        '`breakdown = {organisme: {"count", "share"}}`, dénominateur = total.'
    ),
    "repartition_dominante": (
        "effectif et part par dominante (emploi, socio_professionnel, social), les trois "
        "toujours listées ; mêmes périmètres `stock` et `flux` que `repartition_organisme`."
    ),
    "delai_premier_accompagnement_median_j": (
        "pour les personnes dont le premier acte d'accompagnement (le plus ancien, connu au "
        "`as_of`, de leurs rendez-vous d'accompagnement honorés et de leurs signatures de "
        "contrat) tombe dans la période, médiane du nombre de jours entre l'ouverture des "
        "droits et cet acte. L'ouverture des droits est le `rights_opened_on` de la ligne de "
        "droits dont le début des droits et devoirs est le plus récent au plus tard le jour "
        'de l\'acte (personnes sans une telle date : `details["sans_ouverture"]`). Une semaine'
        " d'heures d'activité compte à partir de son lundi. Détails : moyenne, 3e quartile "
        '(`p75`), effectif (`count`). `by="cohorte"` : mois de l\'acte ; organisme et '
        "dominante : orientation en cours au `as_of`."
    ),
    "taux_premier_rdv_15j": (
        "parmi les orientations décidées dans la période (la dernière de chaque personne dans"
        " la période), part de celles suivies d'un rendez-vous d'accompagnement (tout statut "
        "sauf `annule`, connu au `as_of`) fixé au plus tard 15 jours après la notification de"
        " l'orientation (date du rendez-vous - `notified_on` <= 15 : le 15e jour est à temps,"
        " le 16e en retard ; un rendez-vous antérieur à la notification ne compte pas). "
        "Orientation pas encore notifiée au `as_of` : la date de décision sert de départ "
        '(`details["sans_notification"]`). Les orientations sans rendez-vous dont le délai '
        'court encore au `as_of` sont exclues (`fenetre_ouverte`). `by="cohorte"` : mois de '
        "la décision ; organisme et dominante : ceux de l'orientation."
    ),
    "taux_contrat_engagement": (
        "parmi les personnes orientées au `as_of` (numérateur de `taux_orientation`), part de"
        " celles qui ont un contrat d'engagement (CER, PPAE, CE ou CEJ) en vigueur au `as_of`"
        " : signé au plus tard à `as_of` et non terminé (`ended_on` vide ou postérieur à "
        "`as_of`). La période n'intervient pas."
    ),
    "taux_contrat_7j": (
        "parmi les premiers rendez-vous d'accompagnement honorés (le premier de chaque "
        "personne, statut `present`) tenus dans la période, part de ceux suivis d'un contrat "
        "signé 0 à 7 jours après (le 7e jour est à temps, le 8e en retard). Ceux sans contrat"
        " dont le délai court encore au `as_of` sont exclus (`fenetre_ouverte`). "
        '`by="cohorte"` : mois du rendez-vous ; organisme et dominante : orientation en cours'
        " au `as_of`."
    ),
    "taux_contrat_1mois": (
        "parmi les orientations notifiées dans la période (la dernière notifiée de chaque "
        "personne), part de celles suivies d'un contrat signé entre la notification et le "
        "même quantième du mois suivant, ramené à la fin d'un mois plus court (31/01/2024 -> "
        "29/02/2024). Celles sans contrat dont le délai court encore au `as_of` sont exclues "
        "(`fenetre_ouverte`). Le délai d'un mois est celui du décret 2024-1244 (constante "
        '`CONTRACT_MONTHS`, non paramétrable). `by="cohorte"` : mois de la notification ; '
        "organisme et dominante : ceux de l'orientation."
    ),
    "taille_portefeuille_moyenne": (
        "nombre moyen de personnes par référent au `as_of` : les personnes soumises aux "
        "droits et devoirs au `as_of` dont l'orientation en cours désigne un référent, "
        "rapportées au nombre de référents ayant au moins une personne "
        '(`details["referents"]`), à une décimale. Numérateur : personnes ; dénominateur : '
        'référents. `by="organisme"` : organisme du référent (table des référents). La '
        "période n'intervient pas."
    ),
    "part_referents_au_dessus_cible": (
        "parmi les référents de `taille_portefeuille_moyenne`, part de ceux qui suivent "
        "strictement plus de personnes que leur cible (`referent.portfolio_target` ; 70 par "
        "défaut, `Params.portfolio_target`, pour un référent absent de la table des référents"
        ' : `details["referents_cible_par_defaut"]`). `by="organisme"` : organisme du '
        "référent. La période n'intervient pas."
    ),
    "part_intensif_15h": (
        "parmi les personnes accompagnées au `as_of` (soumises aux droits et devoirs et "
        "orientées), part de celles dont la moyenne hebdomadaire d'heures d'activité sur les "
        "4 semaines mesurées (voir conventions) est d'au moins 15 heures : total des 4 "
        "semaines >= 60 heures (15,0 compte, 14,9 non ; une semaine manquante vaut 0). "
        "Plusieurs lignes d'une même semaine s'additionnent. Personnes sans aucune heure sur "
        'ces semaines : `details["sans_heures"]` ; semaines : `details["semaines"]`. La '
        "période n'intervient pas ; organisme et dominante : orientation en cours."
    ),
    "taux_absence_premier_rdv": (
        "parmi les premiers rendez-vous (voir conventions) tenus dans la période dont le "
        "statut est connu (`present`, `absent` ou `excuse`), part des absences (`absent` ; "
        "une absence excusée n'en est pas une). Premiers rendez-vous encore `planifie` à une "
        'date passée : `details["statut_inconnu"]`. `by="cohorte"` : mois du rendez-vous ; '
        "organisme et dominante : orientation en cours au `as_of`."
    ),
    "taux_relance_15j": (
        "parmi les absences de `taux_absence_premier_rdv`, part de celles suivies, entre le "
        "jour J du rendez-vous manqué et J + 15 (le 15e jour à temps, le 16e en retard) et au"
        " plus tard au `as_of`, d'une relance (`reminder_on` du rendez-vous manqué) ou d'une "
        "nouvelle invitation (un autre rendez-vous de la personne, de tout type et statut : "
        "son `invited_on`, à défaut sa date). Une invitation antérieure à l'absence ne compte"
        " pas. Les absences sans suite dont le délai court encore au `as_of` sont exclues "
        "(`fenetre_ouverte`)."
    ),
    "taux_retour_emploi": (
        "parmi les personnes accompagnées pendant la période (soumises aux droits et devoirs "
        "au moins un jour de la période, jusqu'au `as_of`, et orientées au plus tard le "
        "dernier de ces jours), part de celles qui ont repris un emploi "
        "(`employment_outcome.started_on`) dans la période, quel que soit le contrat. "
        "Reprises de personnes hors du dénominateur : "
        '`details["emplois_hors_accompagnement"]`. Pas de ventilation par mois ; organisme et'
        " dominante : orientation en cours au `as_of`."
    ),
    "taux_retour_emploi_durable": (
        "comme `taux_retour_emploi`, en ne comptant que les reprises d'emploi durables (voir "
        "conventions : CDI, création, CDD ou intérim de 6 mois ou plus, ou marquée `durable` "
        "; un CDD de 5 mois ou un contrat IAE non marqué ne le sont pas)."
    ),
    "taux_sortie_rsa": (
        "parmi les personnes du stock d'ouverture de la période (soumises aux droits et "
        "devoirs le jour `period_start` ou la veille), part de celles dont une ligne de "
        "droits a un `exit_on` (premier jour hors du RSA) dans `[period_start, "
        "min(period_end, as_of)]`. Une sortie le jour `period_start` compte (la personne "
        "était soumise la veille) ; une sortie la veille non (elle n'est plus dans le stock) "
        ": deux périodes consécutives ne comptent jamais la même sortie. Effectif du stock : "
        '`details["stock_debut"]`.'
    ),
    "reprise_stock_avancement": (
        "parmi les personnes déjà soumises aux droits et devoirs à la date de lancement du "
        "pilote (`Params.pilot_start`), qu'elles le soient encore ou non au `as_of`, part de "
        "celles vues à un rendez-vous honoré (tout type, statut `present`) entre le lancement"
        " et le `as_of`. Sans date de lancement, ou avant elle, pas de valeur "
        '(`details["pilot_start"]`). La période n\'intervient pas ; organisme et dominante : '
        "orientation en cours au `as_of`."
    ),
}
