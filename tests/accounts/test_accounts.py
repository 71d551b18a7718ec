"""Accounts on the site: regional administrators invite people, give and withdraw roles, deactivate
accounts and see the last login; everyone changes or resets their password; the Django admin is retitled
and kept for the technical team."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from contracts.sample import PASSWORD
from equisante.contracts.models import RoleAssignment

pytestmark = pytest.mark.django_db


def test_only_regional_administrators_manage_accounts(client, registry):
    for name in ("referent01", "coord01", "citizen"):
        client.force_login(registry["users"][name])
        assert client.get("/compte/utilisateurs/").status_code == 403
        assert client.post("/compte/utilisateurs/inviter/", {"username": "x", "email": "x@example.org"}).status_code == 403
    client.logout()
    assert client.get("/compte/utilisateurs/").status_code == 302


def test_invite_then_choose_a_password_then_log_in(client, registry):
    client.force_login(registry["users"]["admin"])
    response = client.post("/compte/utilisateurs/inviter/", {
        "username": "analyste.obs", "email": "analyste@ars.example", "first_name": "Aïcha", "last_name": "Benali"})
    person = get_user_model().objects.get(username="analyste.obs")
    assert response["Location"] == f"/compte/utilisateurs/{person.pk}/"
    assert not person.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["analyste@ars.example"] and message.subject == "Votre compte equisante"
    link = re.search(r"http://testserver(/compte/mot-de-passe-oublie/\S+/)", message.body).group(1)
    # the administrator gives the analyst role and a contract role
    page = client.post(f"/compte/utilisateurs/{person.pk}/", {
        "action": "profil", "first_name": "Aïcha", "last_name": "Benali", "email": "analyste@ars.example",
        "analyst": "on"})
    assert page.status_code == 302
    client.post(f"/compte/utilisateurs/{person.pk}/", {"action": "role", "role": "partenaire",
                                                       "contract": registry["contracts"]["CLS-01-VEY"].pk})
    assert person.has_perm("jobs.import_data")
    assert RoleAssignment.objects.filter(user=person, role="partenaire").count() == 1
    # a role without its scope is refused in French
    page = client.post(f"/compte/utilisateurs/{person.pk}/", {"action": "role", "role": "referent-departemental"})
    assert "Un référent départemental a un département." in page.content.decode()
    listing = client.get("/compte/utilisateurs/").content.decode()
    assert "analyste.obs" in listing and "Analyste de l’observatoire" in listing and "jamais" in listing
    journal = client.get(f"/compte/utilisateurs/{person.pk}/").content.decode()
    assert "compte créé par invitation" in journal and "rôle donné" in journal

    client.logout()
    form = client.get(link, follow=True)
    assert "Choisir un mot de passe" in form.content.decode()
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "Un mot de passe solide 2026",
                                                        "new_password2": "Un mot de passe solide 2026"})
    assert response["Location"] == "/compte/mot-de-passe-oublie/termine/"
    assert client.login(username="analyste.obs", password="Un mot de passe solide 2026")


def test_deactivate_and_withdraw_a_role(client, registry):
    coordinator = registry["users"]["coord01"]
    client.force_login(registry["users"]["admin"])
    role = RoleAssignment.objects.get(user=coordinator)
    client.post(f"/compte/utilisateurs/{coordinator.pk}/roles/{role.pk}/retirer/")
    assert not RoleAssignment.objects.filter(user=coordinator).exists()
    client.post(f"/compte/utilisateurs/{coordinator.pk}/activation/", {"actif": "non"})
    coordinator.refresh_from_db()
    assert not coordinator.is_active
    assert not client.login(username="coord01", password=PASSWORD)
    # an administrator cannot lock themselves out
    admin = registry["users"]["admin"]
    client.force_login(admin)
    client.post(f"/compte/utilisateurs/{admin.pk}/activation/", {"actif": "non"})
    admin.refresh_from_db()
    assert admin.is_active


def test_password_change_and_reset_for_everyone(client, registry):
    citizen = registry["users"]["citizen"]
    citizen.email = "habitant@example.org"
    citizen.save()
    client.force_login(citizen)
    page = client.get("/compte/").content.decode()
    assert "Changer de mot de passe" in page and "Dernière connexion" in page
    response = client.post("/compte/mot-de-passe/", {"old_password": PASSWORD, "new_password1": "Encore plus long 2026 !",
                                                     "new_password2": "Encore plus long 2026 !"})
    assert response["Location"] == "/compte/"
    client.logout()
    assert "Mot de passe oublié ?" in client.get("/connexion/").content.decode()
    response = client.post("/compte/mot-de-passe-oublie/", {"email": "habitant@example.org"})
    assert response["Location"] == "/compte/mot-de-passe-oublie/envoye/"
    [message] = mail.outbox
    assert "citizen" in message.body and "/compte/mot-de-passe-oublie/" in message.body
    # an unknown address says the same thing and sends nothing
    client.post("/compte/mot-de-passe-oublie/", {"email": "inconnu@example.org"})
    assert len(mail.outbox) == 1


def test_email_backend_is_configurable_and_console_by_default(monkeypatch):
    import importlib

    from equisante.config import settings

    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    assert importlib.reload(settings).EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setenv("EMAIL_HOST", "smtp.ars.example")
    reloaded = importlib.reload(settings)
    assert (reloaded.EMAIL_BACKEND, reloaded.EMAIL_HOST) == ("django.core.mail.backends.smtp.EmailBackend",
                                                             "smtp.ars.example")
    monkeypatch.delenv("EMAIL_BACKEND")
    importlib.reload(settings)


def test_the_django_admin_is_retitled_for_the_technical_team(client, registry):
    superuser = get_user_model().objects.create_superuser("technique", password=PASSWORD)
    client.force_login(superuser)
    page = client.get("/admin/").content.decode()
    assert "equisante — administration technique" in page and "Administration de Django" not in page
    assert "dsfrconfig" not in page.lower()
