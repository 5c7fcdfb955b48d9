"""A logged-in browser, reduced to the HTTP it sends: login form, pages, Dash callbacks.

`Browser` keeps a cookie jar and the page's component tree as dash-renderer
does: `open(path)` fetches the page, `/_dash-layout` and
`/_dash-dependencies`, then fires the initial callbacks of every component
in the layout (those not marked `prevent_initial_call`), applies each answer
to the tree, fires the initial callbacks of the components an answer inserts
(the pages router's content) and the callbacks whose inputs an answer changed,
in dependency order. `change(id, prop, value)` is a user's filter change.
Payloads are built from the app's own dependency list, so every callback
is posted with the inputs, states and outputs the browser sends. Clientside
callbacks run in the browser and are skipped.

Every request goes through `Recorder.record(name, ms, error)`; an error is a
non-2xx answer, an answer that is not Dash's JSON, an answer that renders
the app's "page-error" alert, or (with a `check`, bench/load_territories.py)
an answer holding another territory's code or name: a "fuite". While
`forged` names another territory's code (the user typed `?territoire=...`),
an answer with the French out-of-scope refusal (as the "page-error" alert or
as a page's error text) is the expected answer: recorded as a refusal, not
an error.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

import requests
from load_dash import (
    Callback,
    callbacks_of,
    dash_error,
    holds_components,
    is_component,
    stringify_id,
)
from load_territories import OUT_OF_SCOPE, REFUSAL

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MAX_CALLBACKS_PER_ACTION = 80
Record = Callable[[str, float, str | None], None]
Check = Callable[[str, str | None], str | None]


class Browser:
    def __init__(
        self, base_url: str, record: Record, timeout: float = 60.0, check: Check | None = None
    ):
        self.base_url = base_url
        self.record = record
        self.check = check
        self.forged: str | None = None  # another territory's code the user put in the address
        self.refused = 0  # answers with the French out-of-scope refusal while `forged`
        self.timeout = timeout
        self.http = requests.Session()
        self.callbacks: list[Callback] = []
        self.props: dict[str, dict] = {}  # stringified id -> props
        self.owned: dict[tuple[str, str], list[str]] = {}  # (id, prop) -> ids inside it
        self.address: dict[str, str] = {}

    # -- HTTP --------------------------------------------------------------------------
    def _send(self, name: str, method: str, path: str, **kwargs) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = self.http.request(
                method, self.base_url + path, timeout=self.timeout, **kwargs
            )
        except requests.RequestException as error:
            self.record(name, (time.perf_counter() - started) * 1000, type(error).__name__)
            return None
        elapsed = (time.perf_counter() - started) * 1000
        # Production cookies are `Secure`; the target is always 127.0.0.1 over plain HTTP.
        for cookie in self.http.cookies:
            cookie.secure = False
        error = None if 200 <= response.status_code < 400 else f"HTTP {response.status_code}"
        if error is None and kwargs.get("allow_redirects") is False:
            location = response.headers.get("Location", "")
            if response.status_code not in (302, 303) or "/login" in location:
                error = f"login refused ({response.status_code})"
        if error is None and method == "POST" and path == "/_dash-update-component":
            error = dash_error(response)
        leak = self.check(response.text, self.forged) if self.check else None
        expected = error is None or error.startswith("page-error")
        if leak is None and self.forged and expected and OUT_OF_SCOPE in response.text:
            error = f"{REFUSAL}: {self.forged}"
            self.refused += 1
        error = leak or error
        if error is not None and path == "/_dash-update-component":
            # Where it happened: the page and its address (the filters).
            error += f" on {self.address.get('pathname')}{self.value('frame-url', 'search') or ''}"
        elif leak is not None:
            error += f" on {method} {path}"
        self.record(name, elapsed, error)
        return response if error is None or error.startswith(REFUSAL) else None

    def login(self, login: str, password: str) -> bool:
        page = self._send("GET /login", "GET", "/login")
        match = CSRF.search(page.text) if page is not None else None
        if match is None:
            return False
        form = {"login": login, "password": password, "csrf_token": match.group(1)}
        answer = self._send("POST /login", "POST", "/login", data=form, allow_redirects=False)
        return answer is not None

    # -- the page's tree -----------------------------------------------------------------
    def open(self, path: str, search: str = "") -> bool:
        """Load `path` as the browser does and run its initial callbacks."""
        page = self._send(f"GET {path}", "GET", path + search)
        layout = self._send("GET /_dash-layout", "GET", "/_dash-layout")
        dependencies = self._send("GET /_dash-dependencies", "GET", "/_dash-dependencies")
        if page is None or layout is None or dependencies is None:
            return False
        self.callbacks = callbacks_of(dependencies.json())
        self.props, self.owned = {}, {}
        self.address = {
            "pathname": path,
            "search": search,
            "hash": "",
            "href": self.base_url + path + search,
        }
        new = self._insert(("", "layout"), layout.json())
        pending = {cb.name: (cb, set()) for cb in self._initial(new)}
        for name, later in self._listeners(self._mount_locations(new)).items():
            pending.setdefault(name, (later[0], set()))[1].update(later[1])
        return self._run(pending)

    def _mount_locations(self, new: set[str]) -> set[str]:
        """A dcc.Location sets its address props when it mounts: the router hears that."""
        changed = set()
        for key in new:
            props = self.props[key]
            if props["__type"] == "Location":
                for prop, value in self.address.items():
                    if props.get(prop) != value:
                        props[prop] = value
                        changed.add(f"{key}.{prop}")
        return changed

    def value(self, component: str, prop: str) -> object:
        return self.props.get(component, {}).get(prop)

    def change(self, component: str, prop: str, value: object) -> bool:
        """A user's input: set the prop and run every callback that listens to it."""
        props = self.props.get(component)
        if props is None:
            return False
        props[prop] = value
        return self._run(self._listeners({f"{component}.{prop}"}))

    def _insert(self, owner: tuple[str, str], node: object) -> set[str]:
        """Register the components in `node` (the value of `owner`); return their ids."""
        self._forget(owner)
        found: list[str] = []
        self._crawl(node, found)
        self.owned[owner] = found
        return set(found)

    def _crawl(self, node: object, found: list[str]) -> None:
        if isinstance(node, list):
            for item in node:
                self._crawl(item, found)
        elif is_component(node):
            props = node["props"] or {}
            component = props.get("id")
            for prop, value in props.items():
                if component is not None and prop != "id" and holds_components(value):
                    self._insert_under(stringify_id(component), prop, value)
                elif component is None:
                    self._crawl(value, found)
            if component is not None:
                key = stringify_id(component)
                self.props[key] = {**props, "__type": node["type"], "__id": component}
                found.append(key)
                for prop in props:
                    found.extend(self.owned.get((key, prop), []))

    def _insert_under(self, key: str, prop: str, value: object) -> None:
        inner: list[str] = []
        self._crawl(value, inner)
        self.owned[(key, prop)] = inner

    def _forget(self, owner: tuple[str, str]) -> None:
        for key in self.owned.pop(owner, []):
            props = self.props.pop(key, {})
            for prop in props:
                self._forget((key, prop))

    # -- callbacks -----------------------------------------------------------------------
    def _present(self, component: str) -> bool:
        return component.startswith("{") or component in self.props

    def _fireable(self, cb: Callback) -> bool:
        return all(self._present(c) for c, _ in cb.outputs) and all(
            self._present(c) for c, _ in cb.inputs
        )

    def _initial(self, new: set[str]) -> list[Callback]:
        chosen = []
        for cb in self.callbacks:
            if not cb.initial or not self._fireable(cb):
                continue
            touched = [c for c, _ in cb.outputs + cb.inputs]
            if any(c in new or (c.startswith("{") and self._matches(c)) for c in touched):
                chosen.append(cb)
        return chosen

    def _listeners(self, changed: set[str]) -> dict[str, tuple[Callback, set[str]]]:
        chosen = {}
        for cb in self.callbacks:
            hits = {f"{c}.{p}" for c, p in cb.inputs} & changed
            if hits and self._fireable(cb):
                chosen[cb.name] = (cb, hits)
        return chosen

    def _run(self, pending: dict[str, tuple[Callback, set[str]]]) -> bool:
        fired = 0
        while pending and fired < MAX_CALLBACKS_PER_ACTION:
            waiting = set().union(*(cb.output_keys() for cb, _ in pending.values()))
            ready = [
                name
                for name, (cb, _) in pending.items()
                if not ({f"{c}.{p}" for c, p in cb.inputs + cb.state} & waiting - cb.output_keys())
            ] or list(pending)
            for name in ready:
                cb, changed = pending.pop(name)
                fired += 1
                if not self._fireable(cb):
                    continue
                answer = self._post(cb, changed)
                if answer is None:
                    return False
                for later_name, later in self._apply(answer).items():
                    if later_name in pending:
                        pending[later_name][1].update(later[1])
                    else:
                        pending[later_name] = later
        return True

    def _post(self, cb: Callback, changed: set[str]) -> dict | None:
        outputs = [self._resolve_output(c, p) for c, p in cb.outputs]
        body = {
            "output": cb.spec["output"],
            "outputs": outputs if cb.spec["output"].startswith("..") else outputs[0],
            "inputs": [self._entry(c, p) for c, p in cb.inputs],
            "state": [self._entry(c, p) for c, p in cb.state],
            "changedPropIds": sorted(changed),
        }
        response = self._send(cb.name, "POST", "/_dash-update-component", json=body)
        if response is None:
            return None
        return {} if response.status_code == 204 else response.json().get("response", {})

    def _matches(self, pattern: str) -> list[str]:
        wanted = json.loads(pattern)
        fixed = {k: v for k, v in wanted.items() if not isinstance(v, list)}
        return [
            key
            for key, props in self.props.items()
            if isinstance(props["__id"], dict)
            and props["__id"].keys() == wanted.keys()
            and all(props["__id"][k] == v for k, v in fixed.items())
        ]

    def _entry(self, component: str, prop: str) -> dict | list:
        if component.startswith("{"):
            return [
                {
                    "id": self.props[key]["__id"],
                    "property": prop,
                    "value": self.props[key].get(prop),
                }
                for key in self._matches(component)
            ]
        return {"id": component, "property": prop, "value": self.props[component].get(prop)}

    def _resolve_output(self, component: str, prop: str) -> dict | list:
        if component.startswith("{"):
            return [
                {"id": self.props[key]["__id"], "property": prop}
                for key in self._matches(component)
            ]
        return {"id": component, "property": prop}

    def _apply(self, response: dict) -> dict[str, tuple[Callback, set[str]]]:
        changed: set[str] = set()
        new: set[str] = set()
        for key, values in response.items():
            props = self.props.get(key)
            if props is None:
                continue
            for prop, value in values.items():
                if props.get(prop) != value:
                    changed.add(f"{key}.{prop}")
                props[prop] = value
                if holds_components(value):
                    new |= self._insert((key, prop), value)
        later = self._listeners(changed | self._mount_locations(new))
        for cb in self._initial(new):
            later.setdefault(cb.name, (cb, set()))
        return later
