"""The whole ``equisante`` command line in French: help, usage errors and the product's own errors.

click writes its own texts in English (« Usage: », « Try '… --help' for help. », « Error: No such
option », « Missing argument », « Invalid value », « [default: …] », « Show this message and exit. »,
the metavars « TEXT », « INTEGER », « FILE »…). Every command of the command line is a
:class:`FrenchCommand` (groups are :class:`FrenchGroup`, and their subcommands and subgroups inherit
the class), which:

- writes its help with French headings, metavars and « [défaut : …] » / « [obligatoire] »;
- runs under :func:`click_in_french`, a translation catalogue for every message click builds
  (:data:`MESSAGES`, :data:`PLURALS`), so that usage errors read « Erreur : option inconnue
  « --foo ». » and « Essayer « equisante export --help » pour l'aide. »;
- turns the product's errors (:class:`equisante.errors.EquisanteError`, the catalogue of
  ``docs/errors.md``) into one message style: « Erreur : <titre> — <message> [code] » on stderr,
  exit code 1 (usage errors: exit code 2).
"""

from __future__ import annotations

import contextlib
import copy
import importlib

import click

#: click's messages (its gettext message ids) and their French text. The placeholders are click's;
#: a translation may drop one (``{name}`` of a path type is written by the French type name).
MESSAGES = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Positional arguments": "Arguments",
    "Commands": "Commandes",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayer « {command} {option} » pour l'aide.",
    "Aborted!": "Interrompu.",
    "deprecated": "obsolète",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option obligatoire manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "Paramètre manquant ({param_type})",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "No such option {name!r}.": "Option inconnue « {name} ».",
    "No such command {name!r}.": "Commande inconnue « {name} ».",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier « {filename} » : {message}",
    "unknown error": "erreur inconnue",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » prend {nargs} valeurs.",
    "Invalid start character for option ({option})": "Caractère initial invalide pour une option ({option})",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "Choose from:\n\t{choices}": "Valeurs possibles :\n\t{choices}",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un {number_type} valide.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "« {value} » n'est pas une valeur oui/non valide. Valeurs reconnues : {states}",
    "{value!r} is not a valid UUID.": "« {value} » n'est pas un identifiant UUID valide.",
    "{name} {filename!r} does not exist.": "{name} « {filename} » introuvable.",
    "{name} {filename!r} is a file.": "« {filename} » est un fichier.",
    "{name} {filename!r} is a directory.": "« {filename} » est un dossier.",
    "{name} {filename!r} is not readable.": "{name} « {filename} » illisible.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » non modifiable.",
    "{name} {filename!r} is not executable.": "{name} « {filename} » non exécutable.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "env var: {var}": "variable d'environnement : {var}",
    "default: {default}": "défaut : {default}",
    "(dynamic)": "(calculé)",
    "Do you want to continue?": "Continuer ?",
    "Confirm the action without prompting.": "Confirmer sans poser la question.",
    "Repeat for confirmation": "Répéter pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyer sur une touche pour continuer…",
}

#: click's messages with a singular and a plural form.
PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Argument en trop ({args})", "Arguments en trop ({args})"),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire : {possibilities} ?)"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("L'option « {name} » demande une valeur.", "L'option « {name} » demande {nargs} valeurs."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Demande {nargs} valeurs, 1 seule donnée.", "Demande {nargs} valeurs, {len} données."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("{len_type} valeurs sont demandées, {len_value} donnée.", "{len_type} valeurs sont demandées, "
                                                                   "{len_value} données."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("« {value} » n'est pas accepté : seule valeur possible {choice}.",
         "« {value} » n'est pas une valeur possible ; valeurs possibles : {choices}."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("« {value} » ne suit pas le format {format}.", "« {value} » ne suit aucun des formats {formats}."),
}

#: French names of click's parameter types: metavars in the help (« ENTIER », « FICHIER ») and the
#: words of conversion errors (« n'est pas un entier valide »).
TYPE_NAMES = {
    "text": "texte", "integer": "entier", "float": "nombre", "integer range": "entier",
    "float range": "nombre", "boolean": "oui/non", "datetime": "date", "uuid": "identifiant",
    "filename": "fichier", "file": "fichier", "directory": "dossier", "path": "chemin",
}

_CLICK_MODULES = ("core", "exceptions", "types", "parser", "formatting", "decorators", "termui", "utils",
                  "_termui_impl")


def gettext(message: str) -> str:
    """The French text of one of click's messages (the message itself when it has none)."""
    return MESSAGES.get(message, message)


def _format_possibilities(possibilities) -> str:
    """« Vouliez-vous dire « --format » ? » for a mistyped option or command."""
    names = ", ".join(f"« {p} »" for p in sorted(possibilities))
    return (f"Vouliez-vous dire {names} ?" if len(possibilities) == 1
            else f"(Vouliez-vous dire : {names} ?)")


def ngettext(singular: str, plural: str, n: int) -> str:
    """The French singular or plural of one of click's messages."""
    french = PLURALS.get((singular, plural))
    if french is None:
        return singular if n == 1 else plural
    return french[0] if n == 1 else french[1]


_depth = 0


@contextlib.contextmanager
def click_in_french():
    """click's messages in French while the block runs (the command line's whole run).

    click binds ``gettext`` as ``_`` (and ``ngettext``) in each of its modules; they are replaced by
    :func:`gettext` and :func:`ngettext` for the duration, then put back (re-entrant)."""
    global _depth
    saved = []
    if _depth == 0:
        for name in _CLICK_MODULES:
            try:
                module = importlib.import_module(f"click.{name}")
            except ImportError:  # pragma: no cover - a click without this module
                continue
            for attribute, french in (("_", gettext), ("ngettext", ngettext),
                                      ("_format_possibilities", _format_possibilities)):
                if hasattr(module, attribute):
                    saved.append((module, attribute, getattr(module, attribute)))
                    setattr(module, attribute, french)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        for module, attribute, original in saved:
            setattr(module, attribute, original)


# --- parameters -----------------------------------------------------------------------------------

def _french_hint(names) -> str:
    return " / ".join(f"« {name} »" for name in names)


def french_type(param_type: click.ParamType) -> click.ParamType:
    """A copy of ``param_type`` with its French name (metavar and error words); choices in French."""
    if isinstance(param_type, click.Choice) and not isinstance(param_type, FrenchChoice):
        french = FrenchChoice.__new__(FrenchChoice)
        french.__dict__.update(param_type.__dict__)
        return french
    name = getattr(param_type, "name", None)
    if name in TYPE_NAMES:
        param_type = copy.copy(param_type)
        param_type.name = TYPE_NAMES[name]
    return param_type


class FrenchChoice(click.Choice):
    """A choice whose refusal lists the accepted values in French: « pdf » n'est pas une valeur
    possible ; valeurs possibles : csv, xlsx."""

    def get_invalid_choice_message(self, value, ctx) -> str:
        choices = ", ".join(str(c) for c in self._normalized_mapping(ctx=ctx).values())
        if len(self.choices) == 1:
            return f"« {value} » n'est pas accepté : seule valeur possible {choices}."
        return f"« {value} » n'est pas une valeur possible ; valeurs possibles : {choices}."

    def get_missing_message(self, param, ctx) -> str:
        return "Valeurs possibles : " + ", ".join(str(c) for c in self._normalized_mapping(ctx=ctx).values()) + "."


class FrenchOption(click.Option):
    """An option whose help ends with « [défaut : …] » and « [obligatoire] », and whose errors name
    it in French quotes."""

    def get_help_record(self, ctx: click.Context):
        if self.hidden:
            return None
        extra = self.get_help_extra(ctx)
        items = []
        if "default" in extra:
            items.append(f"défaut : {extra['default']}")
        if "range" in extra:
            items.append(extra["range"])
        if "required" in extra:
            items.append("obligatoire")
        text = self.help or ""
        if items:
            text = f"{text}  [{' ; '.join(items)}]" if text else f"[{' ; '.join(items)}]"
        return self.get_help_spec(ctx), text

    def get_error_hint(self, ctx) -> str:
        return _french_hint(self.opts)


class FrenchArgument(click.Argument):
    """An argument named in French quotes in errors (« Argument manquant « FICHIER ». »)."""

    def get_error_hint(self, ctx) -> str:
        return f"« {self.make_metavar(ctx) if ctx is not None else self.human_readable_name} »"


#: French metavars of arguments declared without one (the usage line shows them).
ARGUMENT_METAVARS = {
    "file": "FICHIER", "path": "FICHIER", "input_path": "FICHIER", "folder": "DOSSIER", "text": "TEXTE",
    "first": "SCÉNARIO_1", "second": "SCÉNARIO_2", "territory": "TERRITOIRE", "rule_code": "RÈGLE",
    "code": "CODE", "what": None,
}


def _frenchify(params) -> None:
    """Give every parameter of a command its French class, type and metavar (in place)."""
    for param in params:
        if type(param) is click.Option:
            param.__class__ = FrenchOption
        elif type(param) is click.Argument:
            param.__class__ = FrenchArgument
        if isinstance(param, click.Argument) and param.metavar is None and ARGUMENT_METAVARS.get(param.name):
            param.metavar = ARGUMENT_METAVARS[param.name]
        param.type = french_type(param.type)


# --- commands -------------------------------------------------------------------------------------

class FrenchHelpFormatter(click.HelpFormatter):
    """Headings written the French way: « Options : », « Commandes : »."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class FrenchContext(click.Context):
    """The context of a French command: its help is written by :class:`FrenchHelpFormatter`."""

    formatter_class = FrenchHelpFormatter


class CommandError(click.ClickException):
    """A refusal of the product written in one style: « Erreur : <titre> — <message> [code] » (or the
    multi-line report of a refused file) on stderr; exit code 1."""

    exit_code = 1

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code

    @classmethod
    def from_error(cls, error) -> CommandError:
        """From an :class:`equisante.errors.EquisanteError` (its report when it has one)."""
        text = error.report() if hasattr(error, "report") else str(error)
        return cls(text, getattr(error, "code", None))

    def show(self, file=None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)


def fail(error) -> None:
    """Stop the command with ``error`` (an :class:`~equisante.errors.EquisanteError` or a French text)
    in the command line's error style."""
    if isinstance(error, str):
        raise CommandError(error)
    raise CommandError.from_error(error) from error


class FrenchCommand(click.Command):
    """A command whose help, usage errors and product errors are written in French."""

    context_class = FrenchContext

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _frenchify(self.params)

    def main(self, *args, **kwargs):
        with click_in_french():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        from equisante.errors import EquisanteError

        try:
            return super().invoke(ctx)
        except EquisanteError as exc:
            raise CommandError.from_error(exc) from exc

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Utilisation : ")

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option

    def get_params(self, ctx: click.Context):
        params = super().get_params(ctx)
        _frenchify(params)  # the help option, added by click at run time
        return params


class FrenchGroup(FrenchCommand, click.Group):
    """A group with French usage, help option and « Commandes » heading; its subcommands and
    subgroups are French too."""

    command_class = FrenchCommand
    group_class = type  # subgroups made with ``@group.group()`` are of this same class

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = [p.replace("COMMAND", "COMMANDE").replace("ARGS", "ARGUMENTS")
                  for p in self.collect_usage_pieces(ctx)]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Utilisation : ")

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        names = self.list_commands(ctx)
        for name in names:
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - max(len(n) for n in names))))
        if rows:
            with formatter.section("Commandes"):
                formatter.write_dl(rows)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if isinstance(cmd, click.Command) and not isinstance(cmd, FrenchCommand):
            raise TypeError(f"la commande {cmd.name!r} doit être déclarée avec equisante.cli.french "
                            "(command, group) pour parler français")
        super().add_command(cmd, name)


def option(*names, **attrs):
    """``click.option`` with the French help suffix."""
    return click.option(*names, cls=FrenchOption, **attrs)


def argument(*names, **attrs):
    """``click.argument`` named in French in errors."""
    return click.argument(*names, cls=FrenchArgument, **attrs)


def command(*args, **attrs):
    """``click.command`` with French help, usage errors and error style."""
    return click.command(*args, cls=FrenchCommand, **attrs)


def group(*args, **attrs):
    """``click.group`` whose help, subcommands and subgroups are written in French."""
    return click.group(*args, cls=FrenchGroup, **attrs)
