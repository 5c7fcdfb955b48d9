"""Dash's wire format as the load test's browser needs it: callbacks, ids, error answers.

`callbacks_of` reads `/_dash-dependencies` into named `Callback`s (named after
their first output); `dash_error` tells whether a callback answer is an error
(not Dash's JSON, or rendering the app's "page-error" alert) and `alert_text`
gives that alert's text.
"""

from __future__ import annotations

import json

import requests


def stringify_id(component: str | dict) -> str:
    if isinstance(component, dict):
        return json.dumps(component, sort_keys=True, separators=(",", ":"))
    return component


def _split_outputs(output: str) -> list[tuple[str, str]]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [tuple(part.rsplit(".", 1)) for part in parts]


def is_component(node: object) -> bool:
    return isinstance(node, dict) and "props" in node and "type" in node


class Callback:
    """One server callback of `/_dash-dependencies`, with a readable name."""

    def __init__(self, spec: dict, name: str):
        self.spec = spec
        self.name = name
        self.outputs = _split_outputs(spec["output"])
        self.inputs = [(item["id"], item["property"]) for item in spec["inputs"]]
        self.state = [(item["id"], item["property"]) for item in spec["state"]]
        self.initial = not spec.get("prevent_initial_call")

    def output_keys(self) -> set[str]:
        return {f"{component}.{prop.split('@')[0]}" for component, prop in self.outputs}


def callbacks_of(dependencies: list[dict]) -> list[Callback]:
    """The server-side callbacks, named after their first output (and first input when
    several write the same output: "cb frame-url.search <- comop-tabs")."""
    specs = [spec for spec in dependencies if not spec.get("clientside_function")]
    bases = []
    for spec in specs:
        component, prop = _split_outputs(spec["output"])[0]
        bases.append(f"cb {component}.{prop.split('@')[0]}")
    return [
        Callback(spec, base if bases.count(base) == 1 else f"{base} <- {spec['inputs'][0]['id']}")
        for spec, base in zip(specs, bases, strict=True)
    ]


def holds_components(value: object) -> bool:
    if is_component(value):
        return True
    return isinstance(value, list) and any(holds_components(item) for item in value)


def dash_error(response: requests.Response) -> str | None:
    if response.status_code == 204:
        return None
    try:
        body = response.json()
    except ValueError:
        return "answer is not JSON"
    if not isinstance(body, dict) or "response" not in body:
        return "answer without a response"
    if '"page-error"' in response.text:
        return "page-error rendered: " + alert_text(body["response"])[:200]
    return None


def alert_text(node: object) -> str:
    """The text of the first "page-error" alert in an answer."""
    if isinstance(node, list):
        return next((text for item in node if (text := alert_text(item))), "")
    if not isinstance(node, dict):
        return ""
    props = node.get("props")
    if isinstance(props, dict) and props.get("className") == "page-error":
        children = props.get("children")
        return children if isinstance(children, str) else json.dumps(children, ensure_ascii=False)
    return next((text for value in node.values() if (text := alert_text(value))), "")
