"""Help in French for every ``equisante`` command.

click writes its own labels in English (« Usage: », « [required] », « [default: …] », « Show this
message and exit. »). Every command module declares its commands and options with :func:`command`,
:func:`group` and :func:`option` from here, so that the whole command line speaks French.
"""

from __future__ import annotations

import click


class FrenchOption(click.Option):
    """An option whose help ends with « [défaut : …] » and « [obligatoire] »."""

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


class FrenchCommand(click.Command):
    """A command whose usage line and help option are written in French."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Utilisation : ")

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option


class FrenchGroup(FrenchCommand, click.Group):
    """A group with French usage, help option and « Commandes » heading; its subcommands and
    subgroups are French too."""

    command_class = FrenchCommand
    group_class = type  # subgroups made with ``@group.group()`` are of this same class

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - max(len(n) for n in
                                                                                       self.list_commands(ctx)))))
        if rows:
            with formatter.section("Commandes"):
                formatter.write_dl(rows)


def option(*names, **attrs):
    """``click.option`` with the French help suffix."""
    return click.option(*names, cls=FrenchOption, **attrs)


def command(*args, **attrs):
    """``click.command`` with a French usage line and help option."""
    return click.command(*args, cls=FrenchCommand, **attrs)


def group(*args, **attrs):
    """``click.group`` whose help, subcommands and subgroups are written in French."""
    return click.group(*args, cls=FrenchGroup, **attrs)
