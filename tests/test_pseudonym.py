"""Pseudonyms: keyed, stable, the same person across sources, never the identifier."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from connectors.pseudonym import (
    IdentifierError,
    caf_birth_key,
    caf_key,
    normalise_caf_number,
    normalise_nir,
    pseudonymise,
)

KEY = "cle-de-test"


def test_nir_spellings_of_the_samples_normalise_alike():
    # SOLIS writes "2851235868199 74", France Travail "285123586819974".
    assert normalise_nir("2851235868199 74") == "2851235868199"
    assert normalise_nir("285123586819974") == "2851235868199"
    assert normalise_nir("2 85 12 35 868 199") == "2851235868199"


def test_pseudonym_is_the_hmac_of_the_normalised_nir():
    expected = hmac.new(KEY.encode(), b"nir:2851235868199", hashlib.sha256).hexdigest()
    assert pseudonymise(KEY, nir="2851235868199 74") == expected
    assert pseudonymise(KEY, nir="285123586819974") == expected
    assert pseudonymise("autre-cle", nir="285123586819974") != expected


def test_without_nir_the_caf_number_and_birth_date_identify():
    birth = dt.date(2004, 6, 28)
    expected = hmac.new(KEY.encode(), b"caf:6626571:2004-06-28", hashlib.sha256).hexdigest()
    assert pseudonymise(KEY, caf_number="6626571", birth_date=birth) == expected
    assert caf_birth_key(KEY, "06626571", birth) == expected
    assert caf_key(KEY, "6626571") != expected


@pytest.mark.parametrize(
    ("nir", "message"),
    [
        ("2851235868199 75", "clé de contrôle"),
        ("28512358681", "13 ou 15 caractères"),
        ("9851235868199", "caractères inattendus"),
    ],
)
def test_malformed_nir_is_refused_without_quoting_it(nir, message):
    with pytest.raises(IdentifierError, match=message) as error:
        normalise_nir(nir)
    assert nir.replace(" ", "")[:8] not in str(error.value)


def test_corsican_nir_key():
    # 2A counts as 19: body 1850 2A 012 345 -> numeric 185021901234 5...
    body = "185052A012345"
    key = 97 - int(body.replace("2A", "19")) % 97
    assert normalise_nir(f"{body}{key:02d}") == body


def test_unidentifiable_person():
    with pytest.raises(IdentifierError, match="non identifiable"):
        pseudonymise(KEY, caf_number="6626571")
    assert normalise_caf_number(" 0662 6571 ") == "6626571"
