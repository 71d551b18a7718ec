"""The ``equisante`` command line: every command is a thin wrapper over a documented function.

Shared vocabulary (also used by exports): ``--level``, ``--vintage``, ``--format csv|xlsx``,
``--output/-o``, ``--by``, ``--confidence``.
"""

from __future__ import annotations

import importlib
import os

import click

from equisante import __version__
from equisante.cli.french import group


def setup_django() -> None:
    """Configure Django for commands that touch the database (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equisante.config.settings")
    import django

    django.setup()


@group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="equisante", help="Afficher la version et quitter.")
def main() -> None:
    """equisante : observer, planifier, financer et évaluer la réduction des inégalités
    sociales et territoriales de santé."""


@main.group(name="import")
def import_group() -> None:
    """Importer des territoires, des indicateurs ou des fiches-action (tout ou rien : rien n'est importé en cas d'erreur)."""


#: (module, attribute, group) of every command; a group of None means a top-level command.
COMMANDS = [
    ("equisante.cli.setup", "init", None),
    ("equisante.cli.setup", "serve", None),
    ("equisante.cli.demo", "demo", None),
    ("equisante.cli.territories", "territories", "import"),
    ("equisante.cli.indicators", "indicators", "import"),
    ("equisante.cli.export", "export", None),
    ("equisante.cli.stats", "stats", None),
    ("equisante.cli.grid", "grid", None),
    ("equisante.cli.actions", "actions", "import"),
    ("equisante.cli.followup", "followup", "import"),
    ("equisante.cli.indices", "indices", None),
    ("equisante.cli.portfolio", "portfolio", None),
    ("equisante.cli.portrait", "portrait", None),
    ("equisante.cli.calls", "calls", None),
    ("equisante.cli.allocation", "allocation", None),
    ("equisante.cli.confidentiality", "confidentiality", None),
    ("equisante.cli.records", "records", None),
    ("equisante.cli.jobs", "worker", None),
    ("equisante.cli.backup", "backup", None),
    ("equisante.cli.backup", "restore", None),
]


def _register() -> None:
    groups = {None: main, "import": import_group}
    for module_name, attribute, group in COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        groups[group].add_command(getattr(module, attribute))


_register()
