"""Login, roles, territory scope and the one guard in front of every route.

The guard is a `before_request` on the Flask server, registered before Dash
adds its own routes, so it also covers `/_dash-layout`, `/_dash-dependencies`,
`/_dash-update-component` and any route or page registered later. Scope is
always derived from the logged-in user on the server, never from a value the
browser sends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Request, Response, redirect, render_template, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf, validate_csrf
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest
from wtforms.validators import ValidationError

from dashboard import audit, tokens
from dashboard.errors import error_response, wants_json
from dashboard.login_limits import THROTTLED_ACTION, LoginLimits, Refusal, check_attempt
from dashboard.models import Role, Territory, User, utcnow
from dashboard.passwords import verify_password
from dashboard.state import get_state, open_session

ROLE_LABELS: dict[Role, str] = {
    Role.NATIONAL: "Niveau national",
    Role.COPIL: "COPIL",
    Role.COMOP: "COMOP",
    Role.PROJET: "Équipe projet",
    Role.ADMIN: "Administration",
}
# Roles that only ever see aggregates above the disclosure threshold.
AGGREGATE_ONLY_ROLES = frozenset({Role.NATIONAL, Role.COPIL})

LOGIN_PATH = "/login"
PUBLIC_PATHS = frozenset({LOGIN_PATH, "/api/v1/health"})
PUBLIC_PREFIXES = ("/assets/",)
LAST_SEEN_KEY = "last_seen"

BAD_CREDENTIALS = "Identifiant ou mot de passe incorrect."
SESSION_EXPIRED = "Votre session a expiré : reconnectez-vous."
TOKEN_REFUSED = "Jeton d'accès invalide, expiré ou révoqué."
API_PREFIX = "/api/"
# How the audit log names a login that matches no account (see audit_login_name).
UNKNOWN_LOGIN_PREFIX = "inconnu:"

bp = Blueprint("auth", __name__)


@dataclass(frozen=True)
class SessionUser(UserMixin):
    """The logged-in user as the pages see it (a plain snapshot, not an ORM row)."""

    user_id: int
    login: str
    role: Role
    territory_id: int
    territory_code: str
    territory_name: str
    session_epoch: int
    # Set when the request came with an API token (Authorization: Bearer) instead of a cookie.
    token_id: int | None = None

    def get_id(self) -> str:
        # The epoch makes every cookie issued before a logout, a deactivation
        # or a role change useless.
        return f"{self.user_id}:{self.session_epoch}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def aggregates_only(self) -> bool:
        return self.role in AGGREGATE_ONLY_ROLES


def _snapshot(user: User, territory: Territory) -> SessionUser:
    return SessionUser(
        user_id=user.id,
        login=user.login,
        role=user.role,
        territory_id=territory.id,
        territory_code=territory.code,
        territory_name=territory.name,
        session_epoch=user.session_epoch,
    )


def load_session_user(session_id: str) -> SessionUser | None:
    """flask-login's user loader: refuses inactive users and stale epochs."""
    user_id, _, epoch = session_id.partition(":")
    if not (user_id.isdigit() and epoch.isdigit()):
        return None
    with open_session() as db:
        row = db.execute(
            select(User, Territory)
            .join(Territory, User.territory_id == Territory.id)
            .where(User.id == int(user_id))
        ).first()
    if row is None:
        return None
    user, territory = row
    if not user.active or user.session_epoch != int(epoch):
        return None
    return _snapshot(user, territory)


def _bearer_token(req: Request) -> str | None:
    scheme, _, value = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def load_token_user(req: Request) -> SessionUser | None:
    """flask-login's request loader: `Authorization: Bearer <token>`, on the API only.

    The token acts as its user, reloaded now: a deactivated user or a changed
    role counts at once. Nothing is written to the session.
    """
    presented = _bearer_token(req) if req.path.startswith(API_PREFIX) else None
    if presented is None:
        return None
    with open_session() as db:
        found = tokens.authenticate(db, presented, utcnow())
        if found is None:
            return None
        token, user, territory = found
        db.commit()  # last_used_at
        return replace(_snapshot(user, territory), token_id=token.id)


def allowed_territory_ids(db: Session, user: SessionUser) -> list[int]:
    """The territories whose data `user` may read: its own, or all below it for `national`."""
    if user.role is not Role.NATIONAL:
        return [user.territory_id]
    parents = dict(db.execute(select(Territory.id, Territory.parent_id)).all())
    allowed = []
    for territory_id in parents:
        ancestor = parents[territory_id]
        while ancestor is not None and ancestor != user.territory_id:
            ancestor = parents.get(ancestor)
        if ancestor == user.territory_id:
            allowed.append(territory_id)
    return sorted(allowed)


def _refuse(message: str, *, expired: bool) -> Response:
    if wants_json():
        return error_response(401, message, code="session_expiree" if expired else None)
    target = LOGIN_PATH + ("?expired=1" if expired else "")
    if request.method == "GET" and not expired and request.full_path not in ("/?", "/"):
        target = f"{LOGIN_PATH}?next={request.full_path.rstrip('?')}"
    return redirect(target)


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _check_dash_post() -> None:
    """Dash callbacks are JSON posts from our own origin; anything else is forged."""
    if request.method != "POST" or not request.path.startswith("/_dash-"):
        return
    if not request.is_json:
        raise BadRequest("Requête refusée : contenu inattendu.")
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        raise BadRequest("Requête refusée : origine inconnue.")


def guard() -> Response | None:
    """Runs before every request: login required except for the login page and assets."""
    if _is_public(request.path):
        return None
    if not current_user.is_authenticated:
        sent_token = request.path.startswith(API_PREFIX) and _bearer_token(request) is not None
        message = TOKEN_REFUSED if sent_token else "Authentification requise : connectez-vous."
        return _refuse(message, expired=False)
    if current_user.token_id is not None:
        return None  # an API token: no session, no cookie, no idle timeout
    idle_limit = get_state().settings.idle_timeout_minutes * 60
    last_seen = session.get(LAST_SEEN_KEY)
    now = time.time()
    if last_seen is not None and now - float(last_seen) > idle_limit:
        logout_user()
        session.clear()
        return _refuse(SESSION_EXPIRED, expired=True)
    session[LAST_SEEN_KEY] = now
    _check_dash_post()
    return None


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def audit_login_name(typed: str, user: User | None) -> str:
    """The login as the audit log and the login limits keep it.

    A known account by its name; anything else typed in the field (often a
    password typed in the wrong field) only as a keyed fingerprint, so that no
    plaintext secret reaches the audit log and repeated attempts on one
    unknown name still count together.
    """
    if user is not None:
        return user.login
    key = get_state().settings.secret_key.encode()
    digest = hmac.new(key, typed.encode(), hashlib.sha256).hexdigest()
    return UNKNOWN_LOGIN_PREFIX + digest[:16]


def _throttled(db: Session, refusal: Refusal, audited_name: str, typed: str) -> Response:
    """429 on the login page: too many failures for this account or this address."""
    audit.record(
        db,
        THROTTLED_ACTION,
        login=audited_name,
        remote_addr=request.remote_addr,
        details={"scope": refusal.scope, "retry_after": refusal.retry_after_seconds},
    )
    db.commit()
    page = render_template(
        "login.html",
        error=refusal.message,
        notice=None,
        csrf_token=generate_csrf(),
        login=typed,
    )
    return Response(page, status=429, headers={"Retry-After": str(refusal.retry_after_seconds)})


@bp.route(LOGIN_PATH, methods=["GET", "POST"])
def login() -> Response | str:
    notice = SESSION_EXPIRED if request.args.get("expired") else None
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect("/")
        return render_template("login.html", error=None, notice=notice, csrf_token=generate_csrf())
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as error:
        raise BadRequest(
            "Le formulaire a expiré ou n'a pas été envoyé par cette page : rechargez-la."
        ) from error
    login_name = request.form.get("login", "").strip()
    password = request.form.get("password", "")
    with open_session() as db:
        row = db.execute(
            select(User, Territory)
            .join(Territory, User.territory_id == Territory.id)
            .where(User.login == login_name)
        ).first()
        user, territory = row if row else (None, None)
        audited_name = audit_login_name(login_name, user)
        refusal = check_attempt(
            db,
            LoginLimits.from_settings(get_state().settings),
            audited_name,
            request.remote_addr,
            utcnow(),
        )
        if refusal is not None:
            return _throttled(db, refusal, audited_name, login_name)
        valid = verify_password(user.password_hash if user else None, password)
        if not (valid and user is not None and user.active):
            audit.record(
                db,
                "login_failed",
                user_id=user.id if user else None,
                login=audited_name,
                remote_addr=request.remote_addr,
            )
            db.commit()
            page = render_template(
                "login.html",
                error=BAD_CREDENTIALS,
                notice=None,
                csrf_token=generate_csrf(),
                login=login_name,
            )
            return Response(page, status=401)
        user.last_login_at = utcnow()
        audit.record(
            db,
            "login",
            user_id=user.id,
            login=user.login,
            territory_code=territory.code,
            remote_addr=request.remote_addr,
        )
        db.commit()
        snapshot = _snapshot(user, territory)
    session.clear()
    login_user(snapshot)
    session[LAST_SEEN_KEY] = time.time()
    session.permanent = True
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        with open_session() as db:
            user = db.get(User, current_user.user_id)
            if user is not None:
                user.session_epoch += 1
                audit.record(
                    db,
                    "logout",
                    user_id=user.id,
                    login=user.login,
                    territory_code=current_user.territory_code,
                    remote_addr=request.remote_addr,
                )
                db.commit()
    logout_user()
    session.clear()
    return redirect(LOGIN_PATH)


def init_auth(server: Flask) -> None:
    """Install flask-login, the guard and the login routes on `server`.

    Must run before Dash is attached so that the guard is the first
    `before_request` hook.
    """
    manager = LoginManager()
    manager.init_app(server)
    manager.user_loader(load_session_user)
    manager.request_loader(load_token_user)
    server.before_request(guard)
    server.register_blueprint(bp)
    server.permanent_session_lifetime = dt.timedelta(hours=12)
