"""Account pages: my account and my password; for regional administrators, the people and their roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from equisante.accounts import management
from equisante.accounts.forms import InviteForm, ProfileForm, RoleForm
from equisante.contracts import permissions
from equisante.contracts.models import RoleAssignment


def _admin_only(request) -> None:
    if not permissions.is_regional_admin(request.user):
        raise PermissionDenied(_("Réservé à l’administration régionale."))


def _crumbs(*links, current):
    return {"links": [{"title": t, "url": u} for t, u in links], "current": current}


@login_required
def my_account(request):
    return render(request, "accounts/me.html", {
        "roles": permissions.role_labels(request.user),
        "analyst": management.is_analyst(request.user),
        "is_admin": permissions.is_regional_admin(request.user),
        "breadcrumb_data": _crumbs(current=_("Mon compte")),
    })


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/form.html"
    success_url = reverse_lazy("accounts:me")
    extra_context = {"title": gettext_lazy("Changer de mot de passe"), "submit": gettext_lazy("Changer le mot de passe")}

    def form_valid(self, form):
        messages.success(self.request, _("Mot de passe changé."))
        return super().form_valid(form)


class PasswordReset(auth_views.PasswordResetView):
    template_name = "accounts/form.html"
    email_template_name = "accounts/reset_email.txt"
    subject_template_name = "accounts/reset_subject.txt"
    success_url = reverse_lazy("accounts:reset_sent")
    extra_context = {"title": gettext_lazy("Mot de passe oublié"), "submit": gettext_lazy("Recevoir un lien"),
                     "intro": gettext_lazy("Indiquez l’adresse électronique de votre compte : un lien pour choisir "
                                           "un nouveau mot de passe y sera envoyé.")}


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/message.html"
    extra_context = {"title": gettext_lazy("Lien envoyé"),
                     "message": gettext_lazy("Si un compte actif correspond à cette adresse, un message vient d’y être "
                                             "envoyé avec un lien pour choisir un nouveau mot de passe.")}


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/form.html"
    success_url = reverse_lazy("accounts:reset_done")
    extra_context = {"title": gettext_lazy("Choisir un mot de passe"), "submit": gettext_lazy("Enregistrer"),
                     "invalid": gettext_lazy("Ce lien n’est plus valable (déjà utilisé ou trop ancien) : "
                                             "demandez-en un nouveau.")}


class PasswordResetDone(auth_views.PasswordResetCompleteView):
    template_name = "accounts/message.html"
    extra_context = {"title": gettext_lazy("Mot de passe enregistré"),
                     "message": gettext_lazy("Votre mot de passe est enregistré : vous pouvez vous connecter.")}


@login_required
def user_list(request):
    _admin_only(request)
    users = (get_user_model().objects.order_by("-is_active", "username")
             .prefetch_related(Prefetch("contract_roles", queryset=RoleAssignment.objects.select_related(
                 "departement", "contract")), "groups"))
    return render(request, "accounts/users.html", {
        "users": users,
        "analysts": management.ANALYSTS,
        "breadcrumb_data": _crumbs(current=_("Comptes et rôles")),
    })


@login_required
def user_invite(request):
    _admin_only(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = management.invite(request, **form.cleaned_data)
        messages.success(request, _("Compte « %(u)s » créé ; l’invitation est partie à %(e)s.") % {
            "u": user.username, "e": user.email})
        return redirect("accounts:user", user.pk)
    return render(request, "accounts/form.html", {
        "form": form, "title": _("Inviter une personne"), "submit": _("Créer le compte et envoyer l’invitation"),
        "breadcrumb_data": _crumbs((_("Comptes et rôles"), reverse("accounts:users")), current=_("Inviter")),
    })


@login_required
def user_detail(request, pk: int):
    _admin_only(request)
    person = get_object_or_404(get_user_model(), pk=pk)
    profile = ProfileForm(request.POST if request.POST.get("action") == "profil" else None, initial={
        "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
        "analyst": management.is_analyst(person)})
    role_form = RoleForm(request.POST if request.POST.get("action") == "role" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "profil" and profile.is_valid():
            data = profile.cleaned_data
            changed = [f for f in ("first_name", "last_name", "email") if getattr(person, f) != data[f]]
            for name in changed:
                setattr(person, name, data[name])
            if changed:
                person.save(update_fields=changed)
                management.log(request.user, person, CHANGE, _("fiche modifiée : %(f)s") % {"f": ", ".join(changed)})
            management.set_analyst(request.user, person, data["analyst"])
            messages.success(request, _("Compte enregistré."))
            return redirect("accounts:user", person.pk)
        if action == "role" and role_form.is_valid():
            try:
                management.add_role(request.user, person, **role_form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    role_form.add_error(None, message)
            else:
                messages.success(request, _("Rôle donné."))
                return redirect("accounts:user", person.pk)
    logs = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(get_user_model()),
                                   object_id=str(person.pk)).select_related("user")[:20]
    return render(request, "accounts/user.html", {
        "person": person,
        "profile": profile,
        "role_form": role_form,
        "roles": person.contract_roles.select_related("departement", "contract"),
        "logs": logs,
        "breadcrumb_data": _crumbs((_("Comptes et rôles"), reverse("accounts:users")), current=person.username),
    })


@require_POST
@login_required
def user_active(request, pk: int):
    _admin_only(request)
    person = get_object_or_404(get_user_model(), pk=pk)
    active = request.POST.get("actif") == "oui"
    if person == request.user and not active:
        messages.error(request, _("Vous ne pouvez pas désactiver votre propre compte."))
    else:
        management.set_active(request.user, person, active)
        messages.success(request, _("Compte réactivé.") if active else _("Compte désactivé : la personne ne peut plus "
                                                                        "se connecter ; l’historique garde son nom."))
    return redirect("accounts:user", person.pk)


@require_POST
@login_required
def role_remove(request, pk: int, role_pk: int):
    _admin_only(request)
    assignment = get_object_or_404(RoleAssignment, pk=role_pk, user_id=pk)
    management.remove_role(request.user, assignment)
    messages.success(request, _("Rôle retiré."))
    return redirect("accounts:user", pk)
