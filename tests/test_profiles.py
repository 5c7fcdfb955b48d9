"""Header matching: spellings, case, accents, N° variants, unknown and missing columns."""

from __future__ import annotations

import pytest

from connectors.profiles import (
    FieldType,
    MissingColumnsError,
    Profile,
    ProfileField,
    fold_header,
    match_headers,
)

PROFILE = Profile(
    source="rdv",
    fields=(
        ProfileField(
            "caf_number", ("N° allocataire", "Numéro CAF"), required=True, identifying=True
        ),
        ProfileField(
            "scheduled_at", ("Date RDV", "Date du rendez-vous"), FieldType.DATETIME, required=True
        ),
        ProfileField("status", ("Statut", "Présence"), required=True),
        ProfileField("reminder_on", ("Relance", "Date relance"), FieldType.DATE),
    ),
    dropped=("Nom", "Prénom"),
)


@pytest.mark.parametrize(
    "header",
    [
        "N° allocataire",
        "Numéro allocataire",
        "NUM_ALLOCATAIRE",
        "No allocataire",
        "n°allocataire",
        "N° ALLOCATAIRE ",
    ],
)
def test_number_variants_fold_alike(header):
    assert fold_header(header) == "numallocataire"


def test_headers_match_in_any_order_and_case():
    mapping = match_headers(
        ["STATUT", "date du rendez-vous", "Nom", "numéro caf", "Structure", "Prénom"], PROFILE
    )
    assert mapping.columns == {
        "caf_number": "numéro caf",
        "scheduled_at": "date du rendez-vous",
        "status": "STATUT",
    }
    assert mapping.unknown == ("Structure",)
    assert mapping.dropped == ("Nom", "Prénom")


def test_missing_required_column_names_it_and_the_closest_header():
    with pytest.raises(MissingColumnsError) as error:
        match_headers(["N° allocataire", "Date rdv.", "Stat."], PROFILE)
    assert str(error.value) == (
        "Colonne obligatoire absente : « Statut » (colonne la plus proche : « Stat. »)."
    )


def test_several_missing_columns():
    with pytest.raises(MissingColumnsError, match="^Colonnes obligatoires absentes : « N° all"):
        match_headers(["Relance"], PROFILE)
