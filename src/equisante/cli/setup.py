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
@option("--workers", type=int, default=None,
        help="Nombre de processus (défaut : EQUISANTE_WORKERS, sinon 2 × processeurs + 1).")
@option("--threads", type=int, default=None, help="Fils par processus (défaut : EQUISANTE_THREADS, sinon 2).")
@option("--dev", is_flag=True, envvar="EQUISANTE_DEV_SERVER",
        help="Serveur de développement de Django au lieu du serveur de production (gunicorn).")
def serve(host: str, port: int, workers: int | None, threads: int | None, dev: bool) -> None:
    """Servir l'application web (http://HOST:PORT) avec le serveur de production (gunicorn)."""
    initialise_database()
    from equisante.jobs.worker import start_worker

    start_worker()  # the background jobs' worker runs beside the web server (EQUISANTE_WORKER=off: not)
    if dev:
        from django.core.management import call_command

        click.echo(f"equisante (développement) est servi sur http://{host}:{port}/ (Ctrl+C pour arrêter)")
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
        return
    from equisante.config import server

    settings = server.options(host, port, workers=workers, threads=threads)
    click.echo(f"equisante est servi sur http://{host}:{port}/ par gunicorn ({settings['workers']} processus × "
               f"{settings['threads']} fils ; Ctrl+C pour arrêter)")
    # Close the connection opened by the migrations before the workers are forked.
    from django.db import connections

    connections.close_all()
    server.run(host, port, workers=workers, threads=threads)
