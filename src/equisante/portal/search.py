"""Accent- and case-insensitive search on names, identical on SQLite and PostgreSQL.

Both sides of the comparison are *folded*: lower case, French accents removed, œ/æ spelt out,
hyphens and apostrophes turned into spaces — « saint etienne » finds « Saint-Étienne ».
In the database the folding is one expression: ``TRANSLATE(LOWER(…))`` on PostgreSQL (no
``unaccent`` extension needed), a Python function registered on each SQLite connection (SQLite's
``LOWER`` only knows ASCII). Both use the same character table, so both databases agree.
"""

from __future__ import annotations

import re

from django.db.models import CharField, Func, Value

_ACCENTED = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸ-'’"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy   "
_LIGATURES = (("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae"))
_TABLE = str.maketrans(_ACCENTED, _PLAIN)
SQLITE_FUNCTION = "EQ_FOLD"


def fold(text: str | None) -> str:
    """``text`` folded as the database folds names (see the module docstring)."""
    if text is None:
        return ""
    for ligature, spelt in _LIGATURES:
        text = text.replace(ligature, spelt)
    return text.translate(_TABLE).lower()


def fold_query(text: str) -> str:
    """A search text folded, trimmed and with runs of spaces collapsed."""
    return re.sub(r"\s+", " ", fold(text)).strip()


class Folded(Func):
    """The folded form of a text column, for ``contains`` / ``startswith`` lookups."""

    output_field = CharField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        expression = self.source_expressions[0]
        for ligature, spelt in _LIGATURES:
            expression = Func(expression, Value(ligature), Value(spelt), function="REPLACE", output_field=CharField())
        lowered = Func(expression, function="LOWER", output_field=CharField())
        translated = Func(lowered, Value(_ACCENTED), Value(_PLAIN), function="TRANSLATE", output_field=CharField())
        return translated.as_sql(compiler, connection, **extra)

    def as_sql(self, compiler, connection, **extra):  # other databases: case only
        return super().as_sql(compiler, connection, function="LOWER", **extra)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give every SQLite connection the folding function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)
