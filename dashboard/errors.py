"""French error answers, never a stack trace: JSON for machines, a short page for people."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

logger = logging.getLogger(__name__)

MESSAGES: dict[int, tuple[str, str]] = {
    400: ("requete_invalide", "La requête est invalide."),
    401: ("non_authentifie", "Authentification requise : connectez-vous."),
    403: ("acces_refuse", "Vous n'avez pas accès à cette ressource."),
    404: ("introuvable", "Cette page ou cette ressource n'existe pas."),
    405: ("methode_non_autorisee", "Cette action n'est pas autorisée ici."),
    413: ("fichier_trop_volumineux", "Le fichier envoyé dépasse la taille autorisée."),
    429: ("trop_de_requetes", "Trop de tentatives : patientez quelques minutes."),
    500: ("erreur_interne", "Une erreur interne est survenue. L'équipe technique a été prévenue."),
}


def wants_json() -> bool:
    """Dash routes, the API and clients asking for JSON get JSON errors."""
    if request.path.startswith(("/_dash-", "/api/")):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.is_json or best == "application/json"


def error_response(
    status: int, message: str | None = None, details: dict | None = None, code: str | None = None
) -> Response:
    default_code, default_message = MESSAGES.get(status, MESSAGES[500])
    code = code or default_code
    # Werkzeug's own English descriptions are replaced; our French ones are kept.
    text = message or default_message
    if wants_json():
        body: dict[str, object] = {"code": code, "message": text}
        if details:
            body["details"] = details
        response = jsonify({"error": body})
    else:
        response = Response(render_template("error.html", status=status, message=text))
    response.status_code = status
    return response


def _handle_http(error: HTTPException) -> Response:
    status = error.code or 500
    # Our own code raises HTTP errors with a French description; werkzeug's
    # default (English) class descriptions are replaced by ours.
    explicit = error.description != type(error).description
    return error_response(status, error.description if explicit else None)


def _handle_unexpected(error: Exception) -> Response:
    logger.exception("Unhandled error on %s", request.path, exc_info=error)
    return error_response(InternalServerError.code)


def register_error_handlers(server: Flask) -> None:
    server.register_error_handler(HTTPException, _handle_http)
    server.register_error_handler(Exception, _handle_unexpected)
