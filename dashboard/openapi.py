"""The OpenAPI 3.1 document of /api/v1: dashboard/openapi.yaml, with the enumerations
filled from the code (indicator codes, breakdowns, statuses, sources) so they cannot drift."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from dashboard.imports import CONNECTORS
from dashboard.models import RoadmapProgress
from metrics.breakdown import Dimension
from metrics.registry import REGISTRY
from metrics.roadmap_status import RoadmapStatus
from metrics.trajectory import Status

DOCUMENT = Path(__file__).with_name("openapi.yaml")
NULL = None


def _enums() -> list[tuple[tuple[str, ...], list[Any]]]:
    """Where each enumeration goes in the document (a parameter by its name), and its values."""
    dimensions = [item.value for item in Dimension]
    progress = [item.value for item in RoadmapProgress]
    schemas = ("components", "schemas")
    return [
        (("components", "parameters", "by", "schema"), dimensions),
        (("paths", "/exports/national.csv", "get", "parameters", "by", "schema"), dimensions),
        (
            ("paths", "/roadmap", "get", "parameters", "status", "schema"),
            [status.value for status in RoadmapStatus],
        ),
        (
            (
                "paths",
                "/imports",
                "post",
                "requestBody",
                "content",
                "multipart/form-data",
                "schema",
                "properties",
                "source",
            ),
            list(CONNECTORS),
        ),  # fmt: skip
        ((*schemas, "IndicatorResult", "properties", "code"), list(REGISTRY)),
        ((*schemas, "IndicatorResult", "properties", "status"), [s.value for s in Status] + [NULL]),
        ((*schemas, "RoadmapAction", "properties", "status"), [s.value for s in RoadmapStatus]),
        ((*schemas, "RoadmapAction", "properties", "progress"), [*progress, NULL]),
        ((*schemas, "RoadmapActionPatch", "properties", "progress"), progress),
    ]


@functools.cache
def _document() -> dict[str, Any]:
    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    for path, values in _enums():
        node: Any = document
        for key in path:
            # In a list of parameters, a key names the parameter.
            node = (
                next(i for i in node if i.get("name") == key)
                if isinstance(node, list)
                else node[key]
            )
        if "enum" not in node:
            raise KeyError(f"No enum to fill at {'/'.join(map(str, path))} of {DOCUMENT.name}.")
        node["enum"] = values
    return document


def openapi_document() -> dict[str, Any]:
    """A fresh copy of the document (callers may change it)."""
    return copy.deepcopy(_document())


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, METHOD, operation) for every operation, in document order."""
    methods = ("get", "post", "put", "patch", "delete")
    return [
        (path, method.upper(), item[method])
        for path, item in document["paths"].items()
        for method in methods
        if method in item
    ]
