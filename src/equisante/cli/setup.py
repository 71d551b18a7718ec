"""``equisante init`` and ``equisante serve``."""

from __future__ import annotations

import click

from equisante.cli import setup_django
from equisante.cli.french import command, option


def initialise_database(verbosity: int = 0) -> None:
    """Create or upgrade the database schema (Django migrations)."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


@command()
@option("--admin-password", envvar="EQUISANTE_ADMIN_PASSWORD", help="Créer ou mettre à jour le compte « admin » avec ce mot de passe.")
def init(admin_password: str | None) -> None:
    """Créer ou mettre à jour la base de données."""
    initialise_database()
    if admin_password:
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
        user.is_staff = user.is_superuser = True
        user.set_password(admin_password)
        user.save()
        click.echo("Compte « admin » prêt.")
    click.echo("Base de données prête.")


@command()
@option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@option("--port", default=8000, show_default=True, type=int, help="Port d'écoute.")
def serve(host: str, port: int) -> None:
    """Servir l'application web (http://HOST:PORT)."""
    initialise_database()
    from django.core.management import call_command

    click.echo(f"equisante est servi sur http://{host}:{port}/ (Ctrl+C pour arrêter)")
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
