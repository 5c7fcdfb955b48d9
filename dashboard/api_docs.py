"""GET /api/v1/openapi.json and GET /api/v1/docs: the API described, for machines and people.

The docs page is plain HTML rendered on the server from the OpenAPI
document (no script, nothing loaded from elsewhere).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, render_template

from dashboard.api_common import bp, query_params
from dashboard.openapi import openapi_document, operations


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` ("#/components/...")."""
    while "$ref" in node:
        target: Any = document
        for key in node["$ref"].removeprefix("#/").split("/"):
            target = target[key]
        node = target
    return node


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "objet")
    text = " ou ".join(kind) if isinstance(kind, list) else str(kind)
    if schema.get("format"):
        text += f" ({schema['format']})"
    if schema.get("enum"):
        text += " : " + ", ".join("null" if v is None else str(v) for v in schema["enum"])
    return text


def _parameters(document: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for raw in operation.get("parameters", []):
        parameter = _resolve(document, raw)
        found.append(
            {
                "name": parameter["name"],
                "where": parameter["in"],
                "required": parameter.get("required", False),
                "type": _type(parameter.get("schema", {})),
                "description": parameter.get("description", ""),
            }
        )
    body = operation.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        schema = _resolve(document, content.get("schema", {}))
        required = set(schema.get("required", []))
        for name, field in schema.get("properties", {}).items():
            found.append(
                {
                    "name": name,
                    "where": f"corps ({media})",
                    "required": name in required,
                    "type": _type(field),
                    "description": field.get("description", ""),
                }
            )
    return found


def docs_sections(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per operation, ready for the template."""
    return [
        {
            "method": method,
            "path": document["servers"][0]["url"] + path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "public": operation.get("security") == [],
            "parameters": _parameters(document, operation),
            "responses": [
                (status, _resolve(document, response).get("description", ""))
                for status, response in operation["responses"].items()
            ],
        }
        for path, method, operation in operations(document)
    ]


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI 3.1 document of the API."""
    query_params(())
    return jsonify(openapi_document())


@bp.get("/docs")
def docs() -> str:
    """The API documentation as a page, rendered from the OpenAPI document."""
    query_params(())
    document = openapi_document()
    return render_template("api_docs.html", info=document["info"], sections=docs_sections(document))
