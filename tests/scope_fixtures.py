"""Two territories with distinct data, users of every role of A, and cheap sign-in.

Shared by tests/test_route_sweep.py and tests/test_scope_tampering.py; `add_person` and
`add_orientation` also build tests/test_comop_callbacks.py's territories.

A (35-REDON, "Pays de Redon"), SOLIS extracted on 30/04/2024:
- sites CDAS Nord, CDAS Sud; referent REFA1 (CD, CDAS Nord);
- A-1 enters 01/03/2024, never oriented; A-2 enters 10/03, oriented 12/03 by REFA1;
- one SOLIS batch "redon-solis.csv" with one pending quarantined row;
- one roadmap action "Action de Redon".
B (75-PARIS, "Paris LUTECE"), SOLIS extracted on 31/05/2024: everything B holds carries
the word LUTECE (site, referent code, batch file, quarantined value, roadmap action,
user logins), so a leak of B is found by searching a response for that one word; it
also has 7 people against A's 2, and its own extraction date (31/05/2024).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from dashboard.auth import LAST_SEEN_KEY
from dashboard.models import (
    Beneficiary,
    DataSource,
    ImportBatch,
    ImportStatus,
    Orientation,
    QuarantinedRow,
    Referent,
    RightsPeriod,
    RoadmapAction,
    Role,
    Site,
    User,
)
from tests.api_support import add_user, token_for
from tests.helpers import make_territory

D = dt.date.fromisoformat
A_CODE, B_CODE = "35-REDON", "75-PARIS"
# Anything of B in a response: its code, its marker word, its extraction date.
B_MARKERS = ("75-paris", "lutece", "31/05/2024", "2024-05-31")
A_ROLES = (Role.COMOP, Role.COPIL, Role.PROJET, Role.ADMIN)


@dataclass
class TwoTerritories:
    """Ids of what the tests forge: B's site, referent, batch, row, action, users.

    Logins: a.<role> and lutece.<role> for comop, copil, projet, admin; `nation` (national).
    """

    a_id: int = 0
    b_id: int = 0
    users: dict[str, int] = field(default_factory=dict)  # login -> id
    epochs: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    a_site: int = 0
    b_site: int = 0
    a_referent: int = 0
    b_referent: int = 0
    a_batch: int = 0
    b_batch: int = 0
    a_row: int = 0
    b_row: int = 0
    a_action: int = 0
    b_action: int = 0

    def bearer(self, login: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[login]}"}


def add_person(
    db: Session, territory_id: int, label: str, site: Site, start: str, notified: str | None = None
) -> Beneficiary:
    """A SOLIS entrant: rights opened and duties from `start`, notified on `notified`
    (default `start`); `label` padded to the 64 characters of a pseudonym."""
    person = Beneficiary(territory_id=territory_id, pseudonym=label.ljust(64, "0"), site_id=site.id)
    db.add(person)
    db.flush()
    db.add(
        RightsPeriod(
            beneficiary_id=person.id,
            territory_id=territory_id,
            rights_opened_on=D(start),
            notification_received_on=D(notified or start),
            duties_start_on=D(start),
            source=DataSource.SOLIS,
        )
    )
    return person


def add_orientation(
    db: Session, person: Beneficiary, decided: str, notified: str, referent: Referent
) -> None:
    """A social orientation by the CD, to `referent`, from SOLIS."""
    db.add(
        Orientation(
            beneficiary_id=person.id,
            territory_id=person.territory_id,
            decided_on=D(decided),
            notified_on=D(notified),
            dominante="social",
            organisme="CD",
            referent_id=referent.id,
            source=DataSource.SOLIS,
        )
    )


def _batch(db: Session, territory_id: int, name: str, extracted: str, value: str) -> tuple:
    batch = ImportBatch(
        territory_id=territory_id,
        source=DataSource.SOLIS,
        file_name=name,
        sha256=name.ljust(64, "0"),
        extracted_on=D(extracted),
        status=ImportStatus.LOADED,
        rows_read=3,
        rows_loaded=2,
        rows_quarantined=1,
    )
    db.add(batch)
    db.flush()
    row = QuarantinedRow(
        batch_id=batch.id,
        row_number=3,
        raw_values={"commune": value, "date_ouverture_droits": "pas une date"},
        reasons=["date_ouverture_droits : date illisible"],
    )
    db.add(row)
    db.flush()
    return batch.id, row.id


def _action(db: Session, territory_id: int, text: str, owner: str) -> int:
    action = RoadmapAction(
        territory_id=territory_id,
        axis=f"Axe 1 - {owner}",
        operational_target=f"Objectif {owner}",
        action=text,
        owners=[owner],
        deadline_text="Fin 2024",
        due_on=D("2024-12-31"),
        source=DataSource.ROADMAP,
    )
    db.add(action)
    db.flush()
    return action.id


def _user(db: Session, found: TwoTerritories, login: str, role: Role, code: str) -> None:
    user = add_user(db, login, role, code)
    found.users[login] = user.id
    found.epochs[login] = user.session_epoch or 0
    found.tokens[login] = token_for(db, user)


def make_two_territories(db: Session) -> TwoTerritories:
    """A and B as in the module docstring, with users a.<role> and lutece.<role>."""
    found = TwoTerritories()
    a, b = make_territory(db, A_CODE, "Pays de Redon"), make_territory(db, B_CODE, "Paris LUTECE")
    found.a_id, found.b_id = a.id, b.id
    north, south = (
        Site(territory_id=a.id, name="CDAS Nord"),
        Site(territory_id=a.id, name="CDAS Sud"),
    )
    lutece = Site(territory_id=b.id, name="Agence LUTECE")
    db.add_all([north, south, lutece])
    db.flush()
    ref_a = Referent(territory_id=a.id, code="REFA1", organisme="CD", site_id=north.id)
    ref_b = Referent(territory_id=b.id, code="REFLUTECE", organisme="FT", site_id=lutece.id)
    db.add_all([ref_a, ref_b])
    db.flush()
    found.a_site, found.b_site = north.id, lutece.id
    found.a_referent, found.b_referent = ref_a.id, ref_b.id
    add_person(db, a.id, "A-1", north, "2024-03-01")
    a_2 = add_person(db, a.id, "A-2", south, "2024-03-10")
    add_orientation(db, a_2, "2024-03-12", "2024-03-12", ref_a)
    for number in range(1, 8):
        person = add_person(db, b.id, f"LUTECE-{number}", lutece, "2024-03-02")
        if number <= 3:
            add_orientation(db, person, "2024-03-20", "2024-03-20", ref_b)
    found.a_batch, found.a_row = _batch(db, a.id, "redon-solis.csv", "2024-04-30", "Redon")
    found.b_batch, found.b_row = _batch(db, b.id, "lutece-solis.csv", "2024-05-31", "LUTECE")
    found.a_action = _action(db, a.id, "Action de Redon", "Équipe Redon")
    found.b_action = _action(db, b.id, "Action LUTECE confidentielle", "Équipe LUTECE")
    for role in A_ROLES:
        _user(db, found, f"a.{role.value}", role, A_CODE)
        _user(db, found, f"lutece.{role.value}", role, B_CODE)
    _user(db, found, "nation", Role.NATIONAL, "FR")
    db.commit()
    return found


def sign_in(client: FlaskClient, found: TwoTerritories, login: str) -> FlaskClient:
    """The session cookie flask-login writes at login (the login form itself, with its
    argon2 check, is tested in tests/test_auth.py); the guard still reloads the user."""
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = f"{found.users[login]}:{found.epochs[login]}"
        session["_fresh"] = True
        session[LAST_SEEN_KEY] = time.time()
    return client


def body_text(response) -> str:
    """A response body as text, JSON decoded (so \\u escapes cannot hide a marker)."""
    if not response.get_data():
        return ""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    if response.mimetype.startswith(("text/", "application/javascript")):
        return response.get_data(as_text=True)
    return response.get_data().decode("latin-1")


def b_leaks(text: str) -> list[str]:
    """The markers of B found in `text` (case-insensitive)."""
    lowered = text.lower()
    return [marker for marker in B_MARKERS if marker in lowered]


def user_row(db: Session, login: str) -> User:
    return db.query(User).filter_by(login=login).one()


# --- callbacks, from the app itself ------------------------------------------------------

# A well-formed value for each input property the app's callbacks take (a property not
# listed gets None, as a component that was never set).
WELL_FORMED = {
    "search": "?periode=2024-03",
    "pathname": "/",
    "n_clicks": 1,
    "contents": "data:text/csv;base64,YQ==",
    "filename": "solis.csv",
}


@dataclass(frozen=True)
class CallbackSpec:
    """One entry of app.callback_map, as the browser would address it."""

    output: str
    inputs: tuple[dict, ...]
    state: tuple[dict, ...]
    module: str | None  # where its Python function is defined; None: a clientside callback

    @property
    def server_side(self) -> bool:
        return self.module is not None

    @property
    def page(self) -> str | None:
        """The page module (callbacks/<page>.py) or None for shared callbacks."""
        if self.module and self.module.startswith("callbacks."):
            return self.module.split(".", 1)[1]
        return None


def callback_specs(app) -> list[CallbackSpec]:
    """Every callback of the app; call it after one logged-in request (Dash adds the
    pages router's callbacks at its first served request)."""
    specs = []
    for output, entry in app.callback_map.items():
        function = entry.get("callback")
        original = getattr(function, "__wrapped__", function)
        module = getattr(original, "__module__", None) if function is not None else None
        specs.append(CallbackSpec(output, tuple(entry["inputs"]), tuple(entry["state"]), module))
    return specs


def _outputs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in parts]


def _prop(spec: dict) -> str:
    return f"{spec['id']}.{spec['property']}"


def callback_payload(
    spec: CallbackSpec,
    values: dict[str, object] | None = None,
    patterns: dict[str, list[tuple[dict, object]]] | None = None,
    changed: list[str] | None = None,
) -> dict:
    """The POST body of `spec`: every input and state well-formed unless `values`
    ("id.prop" -> value) says otherwise; pattern-matching (ALL) slots get the
    (id, value) pairs of `patterns` ("type.prop"), else none. The first plain input
    is the trigger unless `changed` says otherwise."""
    values, patterns = values or {}, patterns or {}

    def entry(item: dict) -> dict | list:
        if item["id"].startswith("{"):
            kind = json.loads(item["id"])["type"]
            pairs = patterns.get(f"{kind}.{item['property']}", [])
            return [{"id": key, "property": item["property"], "value": v} for key, v in pairs]
        name = _prop(item)
        default = item["id"] if item["property"] == "id" else WELL_FORMED.get(item["property"])
        return {"id": item["id"], "property": item["property"], "value": values.get(name, default)}

    outputs = _outputs(spec.output)
    plain = [_prop(item) for item in spec.inputs if not item["id"].startswith("{")]
    return {
        "output": spec.output,
        "outputs": outputs if spec.output.startswith("..") else outputs[0],
        "inputs": [entry(item) for item in spec.inputs],
        "state": [entry(item) for item in spec.state],
        "changedPropIds": changed if changed is not None else plain[:1],
    }
