"""French error pages (400, 403, 404, 429, 500) in the site's layout, each with a way back.

Registered as Django's ``handler400/403/404/500`` in ``config/urls.py``; :func:`bad_request` is also
answered by :class:`equisante.portal.security.QueryGuardMiddleware` for hostile query strings. The 500
page falls back to a minimal French page when the layout itself cannot be drawn (database down).
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

PAGES = {
    400: ("Requête incorrecte", "La demande n’a pas pu être comprise : un paramètre de l’adresse est invalide."),
    403: ("Accès refusé", "Vous n’avez pas les droits nécessaires pour afficher cette page. "
                          "Connectez-vous avec un compte autorisé ou revenez à l’accueil."),
    404: ("Page introuvable", "La page demandée n’existe pas ou a été déplacée. "
                              "Vérifiez l’adresse ou revenez à l’accueil."),
    500: ("Erreur du service", "Une erreur inattendue est survenue. L’équipe d’exploitation peut la retrouver "
                               "dans les journaux ; réessayez dans quelques instants."),
}

_MINIMAL = ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{title} — equisante</title>"
            "</head><body><main><h1>{title}</h1><p>{text}</p><p><a href=\"/\">Revenir à l’accueil</a></p>"
            "</main></body></html>")


def _page(request, status: int, reason: str = "") -> HttpResponse:
    title, text = PAGES[status]
    context = {"status": status, "title": title, "text": text, "reason": reason}
    try:
        body = loader.render_to_string("errors/error.html", context, request=request)
    except Exception:  # noqa: BLE001 - the error page must always answer, even without the database
        body = _MINIMAL.format(title=title, text=text)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request, exception=None, reason: str = ""):
    return _page(request, 400, reason)


def permission_denied(request, exception=None):
    return _page(request, 403)


def page_not_found(request, exception=None):
    return _page(request, 404)


def server_error(request):
    try:
        return _page(request, 500)
    except Exception:  # noqa: BLE001
        return HttpResponseServerError(_MINIMAL.format(title=PAGES[500][0], text=PAGES[500][1]))
