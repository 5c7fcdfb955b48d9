"""Category values the indicators list in a fixed order.

The closed vocabularies repeat `dashboard.models.enums` (same values, same
order): metrics/ stays importable without the database layer, and a test
holds the two equal.
"""

from __future__ import annotations

UNKNOWN = "inconnu"

ORGANISMES = ("FT", "CD", "ML", "CAP_EMPLOI", "MSA", "CCAS", "OTHER")
DOMINANTES = ("emploi", "socio_professionnel", "social")
SEXES = ("F", "M")
FAMILY_SITUATIONS = ("seul", "seul_avec_enfants", "couple", "couple_avec_enfants")
EDUCATION_LEVELS = ("sans_diplome", "niveau_3", "niveau_4", "niveau_5", "niveau_6_plus")

# Age = as_of.year - birth_year: <26 (0-25), 26-34, 35-49, 50+.
AGE_BANDS = ("<26", "26-34", "35-49", "50+")
AGE_BAND_LOWER_BOUNDS = (26, 35, 50)
# Whole years since the first rights opening: <1, 1-2 (1), 2-5 (2 to 4), 5+.
SENIORITY_BANDS = ("<1", "1-2", "2-5", "5+")
SENIORITY_LOWER_BOUNDS = (1, 2, 5)
