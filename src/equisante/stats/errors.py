"""Catalogue entries of the statistics core."""

from equisante.errors import EquisanteError, declare


class StatsInputError(EquisanteError, ValueError):
    """Input refused by a statistical function (catalogued code, French message)."""


declare("confidence_invalid", "Niveau de confiance invalide",
        "Le niveau de confiance {value!r} doit être compris entre 0,9 et 1 (ex. 0.95 ou 0.998).")
declare("column_missing", "Colonne absente", "La colonne « {column} » est absente des données.")
