"""The command line speaks French everywhere: click's usage errors, its help, the product's errors;
and every command shares one vocabulary of options (``equisante.cli.options``)."""

from __future__ import annotations

import re

import click
import click.exceptions
import pytest
from click.testing import CliRunner

from equisante.cli import main
from equisante.cli.french import FrenchCommand

#: English phrases of click that must never reach a user.
ENGLISH = ("Usage:", "Error:", "Try '", "for help", "No such option", "No such command", "Missing argument",
           "Missing option", "Invalid value", "is not one of", "is not a valid", "Did you mean", "does not exist",
           "Got unexpected extra", "requires an argument", "Show this message", "[default:", "[required]",
           "Options:", "Commands:", "Aborted!")
#: English metavars of click's types.
ENGLISH_METAVARS = re.compile(r"\b(TEXT|INTEGER|FLOAT|FILE|PATH|DIRECTORY|BOOLEAN|COMMAND|ARGS)\b")


def _paths(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name in command.list_commands(None):
            yield from _paths(command.get_command(None, name), path + (name,))


PATHS = [(path, command) for path, command in _paths(main)]
LEAVES = [(path, command) for path, command in PATHS if not isinstance(command, click.Group)]


def _english(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text]


def invoke(*args):
    return CliRunner().invoke(main, list(args), prog_name="equisante")


def test_every_command_is_french():
    assert len(LEAVES) > 40
    for path, command in PATHS:
        assert isinstance(command, FrenchCommand), path


@pytest.mark.parametrize("path", [p for p, _ in LEAVES], ids=lambda p: " ".join(p))
def test_unknown_option_is_refused_in_french(path):
    result = invoke(*path, "--option-inexistante")
    assert result.exit_code == 2, result.output
    text = result.stderr
    assert "Erreur : Option inconnue « --option-inexistante »." in text
    assert f"Essayer « equisante {' '.join(path)} --help » pour l'aide." in text
    assert text.startswith("Utilisation : ")
    assert _english(text) == []


def test_help_has_no_english_metavar_or_heading():
    runner = CliRunner()
    for path, _ in PATHS:
        text = runner.invoke(main, [*path, "--help"]).output
        assert _english(text) == [], path
        assert ENGLISH_METAVARS.search(text) is None, (path, ENGLISH_METAVARS.search(text))
        assert "Options :" in text


@pytest.mark.parametrize("args, expected", [
    (["nope"], "Erreur : Commande inconnue « nope »."),
    (["exprot"], "Vouliez-vous dire « export » ?"),
    (["export", "values", "--formt", "csv"], "Vouliez-vous dire « --format » ?"),
    (["export"], "Erreur : Argument manquant « {territories|indicators|values|actions} »."),
    (["export", "voitures"], "« voitures » n'est pas une valeur possible ; valeurs possibles : territories, "
                             "indicators, values, actions."),
    (["export", "values", "--format", "pdf"], "Valeur invalide pour « --format » : « pdf » n'est pas une valeur "
                                              "possible ; valeurs possibles : csv, xlsx, ods."),
    (["export", "values", "--vintage", "deux-mille"], "« deux-mille » n'est pas un entier valide."),
    (["export", "values", "--level", "canton"], "« canton » n'est pas un niveau territorial ; niveaux : region"),
    (["export", "values", "--level"], "L'option « --level » demande une valeur."),
    (["export", "values", "en-trop"], "Erreur : Argument en trop (en-trop)"),
    (["stats", "rate", "x.csv", "--x", "a", "--n", "b", "--multiplier", "beaucoup"],
     "Valeur invalide pour « --multiplier » : « beaucoup » n'est pas un nombre valide."),
    (["stats", "rate", "x.csv", "--x", "a"], "Erreur : Option obligatoire manquante « -o » / « --output »."),
    (["grid", "suggest", "texte", "--threshold", "2"], "2.0 n'est pas dans l'intervalle"),
    (["import", "followup", "absent.csv", "--table", "avancement"], "Fichier « absent.csv » introuvable."),
    (["stats"], "Commandes :"),
])
def test_usage_errors_are_french(args, expected):
    result = invoke(*args)
    assert result.exit_code == 2, result.output  # a group without its command shows its help, exit code 2
    assert expected in result.output, result.output
    assert _english(result.output) == [], result.output


def test_product_errors_have_one_style(tmp_path):
    """A refusal of the product: « Erreur : <titre> — <message> [code] » on stderr, exit code 1."""
    result = invoke("stats", "rate", str(tmp_path / "absent.csv"), "--x", "a", "--n", "b", "-o",
                    str(tmp_path / "out.csv"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : ") and "Fichier introuvable" in result.stderr
    result = invoke("records", "count", "a.csv", "--by", "x", "-o", str(tmp_path / "out.txt"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : Format de sortie inconnu — ")
    assert result.stderr.rstrip().endswith("[records_output_format]")


def test_click_is_english_again_outside_the_command_line():
    """The French catalogue is active only while a command runs."""
    invoke("nope")
    assert click.exceptions._("Missing argument") == "Missing argument"
    assert click.exceptions.NoSuchOption("--x").format_message() == "No such option '--x'."


def test_one_vocabulary_of_options():
    """``--level``, ``--output``, ``--format``, ``--vintage``, ``--period`` read the same everywhere."""
    seen: dict[str, set] = {}
    for path, command in LEAVES:
        for param in command.params:
            if isinstance(param, click.Option) and param.opts[-1] in ("--level", "--output", "--vintage",
                                                                       "--period", "--threshold"):
                metavar = param.make_metavar(click.Context(command))
                seen.setdefault(param.opts[-1], set()).add(metavar)
    assert seen["--level"] == {"NIVEAU"}, seen
    assert seen["--output"] == {"FICHIER"}, seen
    assert seen["--vintage"] == {"ANNÉE"}, seen
    assert seen["--period"] == {"PÉRIODE"}, seen
