"""Post a Dash callback the way the browser does, from the app's own dependency list.

`call(client, "imports-report", values, changed)` finds the callback whose
first output is `imports-report`, fills its inputs and states from `values`
("id.prop" -> value, or for a pattern-matching id "type.prop" -> a list of
(id dict, value)), marks `changed` as the triggering props and posts it.
"""

from __future__ import annotations

import json

from flask.testing import FlaskClient


def _outputs(output: str) -> list[dict[str, str]]:
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    result = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        result.append({"id": component, "property": prop})
    return result


def prop_id(component: str | dict, prop: str) -> str:
    if isinstance(component, dict):
        component = json.dumps(component, sort_keys=True, separators=(",", ":"))
    return f"{component}.{prop}"


def find_callback(client: FlaskClient, first_output: str) -> dict:
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200, response.status_code
    for dependency in response.get_json():
        if _outputs(dependency["output"])[0]["id"] == first_output:
            return dependency
    raise AssertionError(f"no callback writes {first_output}")


def _entry(spec: dict, values: dict) -> dict | list:
    component, prop = spec["id"], spec["property"]
    if component.startswith("{"):
        pattern = json.loads(component)
        pairs = values.get(f"{pattern['type']}.{prop}", [])
        return [{"id": key, "property": prop, "value": value} for key, value in pairs]
    return {"id": component, "property": prop, "value": values.get(f"{component}.{prop}")}


def payload(dependency: dict, values: dict, changed: list[str]) -> dict:
    outputs = _outputs(dependency["output"])
    multi = dependency["output"].startswith("..")
    return {
        "output": dependency["output"],
        # One output is sent bare, several as a list (as dash-renderer does).
        "outputs": outputs if multi else outputs[0],
        "inputs": [_entry(spec, values) for spec in dependency["inputs"]],
        "state": [_entry(spec, values) for spec in dependency["state"]],
        "changedPropIds": changed,
    }


def call(client: FlaskClient, first_output: str, values: dict, changed: list[str]):
    """The raw response of the callback (status and JSON are the caller's to check)."""
    body = payload(find_callback(client, first_output), values, changed)
    return client.post("/_dash-update-component", json=body)


def response_of(response) -> dict:
    """{component id: {prop: value}} of a 200 answer."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def text_of(component: object) -> str:
    """Every string inside a serialised component tree, joined by spaces."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component).strip()
    if isinstance(component, list):
        return " ".join(filter(None, (text_of(item) for item in component)))
    if isinstance(component, dict):
        return text_of(component.get("props", {}).get("children"))
    return ""
