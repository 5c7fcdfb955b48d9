"""Input validation (programmer errors), the result type and the parameters."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from dashboard.models.enums import Dominante, EducationLevel, FamilySituation, Organisme, Sex
from metrics import categories
from metrics.frames import (
    ORIENTATIONS_SCHEMA,
    PEOPLE_SCHEMA,
    RIGHTS_SCHEMA,
    Frames,
    check_orientations,
    check_people,
)
from metrics.params import Params
from metrics.result import Definition, IndicatorResult
from tests.metrics.builders import make_frames, orientation, person


def test_missing_column_is_named():
    frame = pl.DataFrame({"beneficiary_id": [1]})
    with pytest.raises(ValueError, match="people is missing column.*birth_year"):
        check_people(frame)


def test_wrong_type_is_named():
    frame = pl.DataFrame([person(1)], schema={**PEOPLE_SCHEMA, "birth_year": pl.String})
    with pytest.raises(ValueError, match=r"birth_year \(String, expected Int64\)"):
        check_people(frame)


def test_dates_must_be_polars_dates():
    frame = pl.DataFrame([orientation(1, "2024-03-01")]).with_columns(
        pl.col("decided_on").cast(pl.Datetime)
    )
    with pytest.raises(ValueError, match="decided_on"):
        check_orientations(frame)


def test_required_values_must_be_present():
    rows = [orientation(1, "2024-03-01"), {**orientation(2, "2024-03-01"), "organisme": None}]
    frame = pl.DataFrame(rows, schema=ORIENTATIONS_SCHEMA)
    with pytest.raises(ValueError, match="null values in required column.*organisme"):
        check_orientations(frame)


def test_duplicate_people_are_refused():
    with pytest.raises(ValueError, match="several rows"):
        make_frames(people=[person(1), person(1)])


def test_not_a_dataframe():
    with pytest.raises(ValueError, match="rights must be a polars DataFrame"):
        Frames(people=pl.DataFrame(schema=PEOPLE_SCHEMA), rights=[], orientations=None)


def test_narrow_integers_all_null_columns_and_categoricals_are_normalised():
    people = pl.DataFrame(
        {
            "beneficiary_id": pl.Series([1, 2], dtype=pl.UInt32),
            "birth_year": [None, None],  # pl.Null
            "sex": pl.Series(["F", None], dtype=pl.Categorical),
            "site": ["Redon", "Guichen"],
            "family_situation": [None, None],
            "education_level": [None, None],
            "extra": ["ignored", "ignored"],
        }
    )
    frames = Frames(
        people=people,
        rights=pl.DataFrame(schema=RIGHTS_SCHEMA),
        orientations=pl.DataFrame([orientation(1, "2024-03-01")]),
    )
    assert frames.people.schema == pl.Schema(PEOPLE_SCHEMA)
    assert frames.people["sex"].to_list() == ["F", None]


def test_metrics_categories_repeat_the_model_enums():
    assert categories.ORGANISMES == tuple(item.value for item in Organisme)
    assert categories.DOMINANTES == tuple(item.value for item in Dominante)
    assert categories.SEXES == tuple(item.value for item in Sex)
    assert categories.FAMILY_SITUATIONS == tuple(item.value for item in FamilySituation)
    assert categories.EDUCATION_LEVELS == tuple(item.value for item in EducationLevel)


def test_as_dict_is_json_ready():
    result = IndicatorResult(
        code="x",
        label="Libellé",
        value=12.5,
        numerator=1,
        denominator=8,
        unit="%",
        breakdown={"2024-03": {"value": 12.5}},
        details={"as_of": dt.date(2024, 12, 31), "window": ("a", "b")},
    )
    payload = result.as_dict()
    assert payload["details"] == {"as_of": "2024-12-31", "window": ["a", "b"]}
    assert payload["suppressed"] is False
    assert payload["target"] is None
    assert json.loads(json.dumps(payload)) == payload


def test_results_are_frozen_and_units_checked():
    result = Definition("x", "X", "%", "higher").result(None, 0, 0)
    with pytest.raises(AttributeError):
        result.value = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="unit"):
        Definition("x", "X", "heures", "higher")
    with pytest.raises(ValueError, match="direction"):
        Definition("x", "X", "%", "up")


def test_params_per_territory():
    params = Params.from_mapping({"orientation_days": 30, "legal_orientation_days": 45})
    assert (params.orientation_days, params.legal_orientation_days) == (30, 45)
    assert params.orientation_months == 1
    with pytest.raises(ValueError, match="Unknown indicator parameter"):
        Params.from_mapping({"orientation_day": 30})
    with pytest.raises(ValueError, match="positive integer"):
        Params(orientation_days=0)
