"""Every ``equisante`` command, at every depth, writes its help in French."""

from __future__ import annotations

import click
from click.testing import CliRunner

from equisante.cli import main


def _paths(command: click.Command, path: tuple[str, ...] = ()):
    yield path
    if isinstance(command, click.Group):
        for name in command.list_commands(None):
            yield from _paths(command.get_command(None, name), path + (name,))


def test_every_command_help_is_in_french():
    runner = CliRunner()
    paths = list(_paths(main))
    assert ("import", "actions") in paths and ("portrait",) in paths  # the walk reaches nested commands
    for path in paths:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        text = result.output
        assert text.startswith("Utilisation : "), path
        assert "Afficher cette aide et quitter." in text, path
        for english in ("Show this message", "[required]", "[default:", "Usage:", "Commands:"):
            assert english not in text, (path, english)
