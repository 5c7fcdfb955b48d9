"""Header matching: spellings, case, accents, N° variants, unknown and missing columns."""

from __future__ import annotations

import pytest

from connectors.profiles import (
    FieldType,
    MissingColumnsError,
    Profile,
    ProfileField,
    ProfileFileError,
    fold_header,
    load_profile,
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


def test_profile_file_adds_spellings_in_toml_and_yaml(tmp_path):
    toml_file = tmp_path / "morbihan.toml"
    toml_file.write_text(
        'source = "rdv"\n[columns]\ncaf_number = "Matricule"\n'
        'status = ["Etat du RDV", "Présence"]\n',
        encoding="utf-8",
    )
    yaml_file = tmp_path / "morbihan.yaml"
    yaml_file.write_text(
        "source: rdv\ncolumns:\n  caf_number: Matricule\n  status: [Etat du RDV, Présence]\n"
        "dropped: [Adresse]\n",
        encoding="utf-8",
    )
    for path in (toml_file, yaml_file):
        profile = load_profile(path, PROFILE)
        assert profile.field("caf_number").spellings[0] == "Matricule"
        assert profile.field("status").spellings[:2] == ("Etat du RDV", "Présence")
        mapping = match_headers(["MATRICULE", "Date RDV", "État du RDV"], profile)
        assert mapping.columns["status"] == "État du RDV"
    assert load_profile(yaml_file, PROFILE).dropped == ("Nom", "Prénom", "Adresse")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "p.toml",
            'source = "solis"\n',
            "Ce profil est celui de la source « solis », pas de « rdv ».",
        ),
        ("p.toml", "[columns]\nnumero = 'X'\n", "Champ(s) inconnu(s) dans le profil : numero."),
        ("p.toml", "[columns\n", "Le fichier de profil p.toml est illisible"),
        ("p.json", "{}", "Format de profil non reconnu : p.json"),
    ],
)
def test_bad_profile_files_are_explained(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileFileError) as error:
        load_profile(path, PROFILE)
    assert str(error.value).startswith(message)
