"""Keyed-hash pseudonyms: the only form in which a person's identifiers are stored.

A person's pseudonym is HMAC-SHA-256 (key `PILOTAGE_PSEUDONYM_KEY`) of the
normalised NIR when the export carries one, else of the CAF/MSA number and
the birth date. Sources that lack the NIR (appointments, missions locales)
find the person through *link keys*: the same keyed hash of the CAF/MSA
number with the birth date, or of the CAF/MSA number alone. Without the key,
none of these can be reversed or recomputed from a NIR.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

NIR_LENGTH = 13
NIR_WITH_KEY_LENGTH = 15
# Corsica: 2A and 2B count as 19 and 18 in the control key computation.
_CORSICA = {"2A": "19", "2B": "18"}


class IdentifierError(ValueError):
    """An identifier is malformed (message in French, never quoting the identifier)."""


def normalise_nir(raw: str) -> str:
    """The 13 characters of a NIR, its control key checked when present."""
    text = re.sub(r"[\s.\-]", "", raw).upper()
    if len(text) not in (NIR_LENGTH, NIR_WITH_KEY_LENGTH):
        raise IdentifierError("NIR invalide : 13 ou 15 caractères attendus.")
    body, key = text[:NIR_LENGTH], text[NIR_LENGTH:]
    numeric = body[:5] + _CORSICA.get(body[5:7], body[5:7]) + body[7:]
    # ASCII digits only: "²" or "١" pass str.isdigit() (and int() takes the latter).
    if not (numeric.isascii() and numeric.isdigit()) or body[0] not in "12378":
        raise IdentifierError("NIR invalide : caractères inattendus.")
    if key and (not (key.isascii() and key.isdigit()) or int(key) != 97 - int(numeric) % 97):
        raise IdentifierError("NIR invalide : la clé de contrôle ne correspond pas.")
    return body


def normalise_caf_number(raw: str) -> str:
    """CAF/MSA allocataire number: digits only, without leading zeros."""
    digits = re.sub(r"\D", "", raw)
    if not 5 <= len(digits) <= 13:
        raise IdentifierError("Numéro d'allocataire invalide : 5 à 13 chiffres attendus.")
    return digits.lstrip("0") or "0"


def _keyed_hash(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def pseudonym_from_nir(key: str, nir: str) -> str:
    return _keyed_hash(key, "nir:" + normalise_nir(nir))


def caf_birth_key(key: str, caf_number: str, birth_date: dt.date) -> str:
    return _keyed_hash(key, f"caf:{normalise_caf_number(caf_number)}:{birth_date.isoformat()}")


def caf_key(key: str, caf_number: str) -> str:
    return _keyed_hash(key, "caf:" + normalise_caf_number(caf_number))


def pseudonymise(
    key: str,
    *,
    nir: str | None = None,
    caf_number: str | None = None,
    birth_date: dt.date | None = None,
) -> str:
    """The person's pseudonym: from the NIR when known, else CAF/MSA number + birth date."""
    if nir:
        return pseudonym_from_nir(key, nir)
    if caf_number and birth_date:
        return caf_birth_key(key, caf_number, birth_date)
    raise IdentifierError(
        "Personne non identifiable : il faut le NIR, ou le numéro d'allocataire et la date de "
        "naissance."
    )
