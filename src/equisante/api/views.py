"""Pages of the API area: the interactive documentation (``/api/docs``) and the account page where
a person creates and revokes personal API tokens (``/compte/``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equisante.api.models import ApiToken


def docs(request):
    """``/api/docs``: Swagger UI served from the installed package, configured by a static script."""
    return render(request, "api/docs.html", {"openapi_url": reverse("api:openapi-json")})


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """``/compte/``: the person's roles and API tokens; create a token (shown once) or revoke one."""
    created = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "create":
            name = request.POST.get("name", "").strip()
            if not name:
                messages.error(request, _("Donnez un nom au jeton (par exemple « tableau de bord R »)."))
            else:
                _token, created = ApiToken.issue(request.user, name)
        elif action == "revoke":
            token = get_object_or_404(ApiToken, pk=request.POST.get("token"), user=request.user)
            token.revoke()
            messages.success(request, _("Le jeton « %(name)s » est révoqué : il ne donne plus accès à l'API.")
                             % {"name": token.name})
            return redirect("api_tokens")
    from equisante.contracts.permissions import role_labels

    return render(request, "api/account.html", {
        "tokens": ApiToken.objects.filter(user=request.user),
        "created": created,
        "roles": role_labels(request.user),
        "breadcrumb_data": {"current": _("Mon compte")},
    })
