"""Accounts and roles managed on the site by the regional administrators: invite a person (an e-mail
with a link to choose their password), give and withdraw roles (regional administrator,
départemental referent with their département, coordinator or partner with their contract, observatory
analyst), deactivate an account (never deleted: the history keeps naming its author). Every change is
written in the administration's log (who, when, what)."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from equisante.contracts import permissions
from equisante.contracts.models import RoleAssignment

ANALYSTS = "Analystes de l'observatoire"


def analyst_group() -> Group:
    """The group of the observatory analysts (import indicators and territories from the site)."""
    group, _created = Group.objects.get_or_create(name=ANALYSTS)
    permission = Permission.objects.filter(content_type__app_label="jobs", codename="import_data").first()
    if permission is not None and not group.permissions.filter(pk=permission.pk).exists():
        group.permissions.add(permission)
    return group


def is_analyst(user) -> bool:
    return user.groups.filter(name=ANALYSTS).exists()


def log(actor, target, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(user_id=actor.pk, queryset=[target], action_flag=flag, change_message=message,
                                 single_object=True)


def invitation_link(request, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("accounts:reset_confirm", args=[uid, token]))


def invite(request, *, username: str, email: str, first_name: str = "", last_name: str = ""):
    """Create an account without a password and e-mail its owner a link to choose one."""
    with transaction.atomic():
        user = get_user_model().objects.create(username=username, email=email, first_name=first_name,
                                               last_name=last_name, is_active=True)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        log(request.user, user, ADDITION, _("compte créé par invitation (%(email)s)") % {"email": email})
    send_mail(
        _("Votre compte equisante"),
        _("Bonjour,\n\nUn compte equisante a été ouvert pour vous (identifiant : %(username)s).\n"
          "Choisissez votre mot de passe en suivant ce lien (valable quelques jours) :\n%(link)s\n") % {
            "username": username, "link": invitation_link(request, user)},
        None, [email])
    return user


def set_active(actor, user, active: bool) -> None:
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    log(actor, user, CHANGE, _("compte réactivé") if active else _("compte désactivé"))


def set_analyst(actor, user, analyst: bool) -> None:
    group = analyst_group()
    if analyst == is_analyst(user):
        return
    (user.groups.add if analyst else user.groups.remove)(group)
    log(actor, user, CHANGE, _("rôle « analyste de l'observatoire » %(what)s") % {
        "what": _("donné") if analyst else _("retiré")})


def add_role(actor, user, role: str, departement=None, contract=None) -> RoleAssignment:
    assignment = RoleAssignment(user=user, role=role, departement=departement, contract=contract)
    assignment.full_clean()
    assignment.save()
    permissions.forget_roles(user)
    log(actor, user, CHANGE, _("rôle donné : %(role)s") % {"role": assignment})
    return assignment


def remove_role(actor, assignment: RoleAssignment) -> None:
    user = assignment.user
    label = str(assignment)
    assignment.delete()
    permissions.forget_roles(user)
    log(actor, user, CHANGE, _("rôle retiré : %(role)s") % {"role": label})
