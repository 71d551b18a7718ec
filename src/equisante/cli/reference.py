"""The command-line reference (``docs/cli.md``): the ``--help`` of every command, generated.

Regenerate after changing a command: ``.venv/bin/python -m equisante.cli.reference > docs/cli.md``;
``tests/cli/test_reference.py`` fails while the document and the command line differ.
"""

from __future__ import annotations

import click
from click.testing import CliRunner

INTRODUCTION = """# Ligne de commande : référence

Ce document est produit par `python -m equisante.cli.reference > docs/cli.md` à partir de l'aide de
chaque commande (`equisante … --help`) ; un test vérifie qu'il est à jour.

Vocabulaire commun à toutes les commandes (`equisante.cli.options`) : `--level NIVEAU` (region,
departement, epci, commune, iris, qpv, zone, ou leur nom français), `--vintage ANNÉE`,
`--period PÉRIODE`, `--indicator CODE`, `--contract CODE`, `--index CODE`, `--threshold NOMBRE`,
`--format csv|xlsx|ods` (par défaut d'après l'extension du fichier) et `-o, --output FICHIER`
(« - » : la sortie standard, en CSV). Les tableaux sont écrits par `equisante.exports` : en-têtes et
valeurs en français (CSV « ; » à virgule décimale, XLSX et ODS avec une feuille « À propos ») ;
`equisante export` écrit les formats d'échange, réimportables tels quels.

Erreurs : une erreur d'utilisation (option inconnue, valeur invalide) est signalée en français avec
la ligne d'utilisation, code de sortie 2 ; un refus du produit s'écrit « Erreur : titre — message
[code] » sur la sortie d'erreur (codes : [errors.md](errors.md)), code de sortie 1.
"""


def _paths(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name in command.list_commands(None):
            yield from _paths(command.get_command(None, name), path + (name,))


def markdown() -> str:
    """The whole reference, one section per command (groups first, then their commands)."""
    from equisante.cli import main

    runner = CliRunner()
    parts = [INTRODUCTION]
    for path, _command in _paths(main):
        title = " ".join(("equisante", *path))
        text = runner.invoke(main, [*path, "--help"], prog_name="equisante", terminal_width=100).output
        parts.append(f"## `{title}`\n\n```\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    print(markdown(), end="")
