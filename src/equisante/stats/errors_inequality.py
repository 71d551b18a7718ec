"""Catalogue entries of the inequality measures (``gradient``, ``heat``, ``concentration``).

Kept apart from ``stats/errors.py`` so that the two sets of methods evolve without conflicts; the
generic entries (``column_missing``, ``values_missing``, ``argument_invalid``…) come from there.
"""

from equisante.errors import declare
from equisante.stats.errors import StatsInputError

__all__ = ["InequalityWarning", "StatsInputError"]


class InequalityWarning(UserWarning):
    """Input accepted but worth a second look (e.g. a slope index computed on more than 10 quantiles)."""


declare("inequality_quantile_count", "Nombre de quantiles hors limites",
        "Nombre de quantiles du groupe ({group}) : {count} (colonne « {column} ») ; l'indice de pente "
        "(méthode PHE) exige de 5 à 100 quantiles par groupe.")
declare("inequality_subgroup_duplicate", "Sous-groupe en double",
        "Le groupe ({group}) contient plusieurs lignes pour la valeur {value!r} de la colonne "
        "« {column} » ; chaque {what} doit figurer une seule fois.")
declare("inequality_uncertainty_missing", "Incertitude manquante",
        "Indiquez l'erreur type (argument se) ou les deux limites de confiance (arguments lower et "
        "upper) : {why}.")
declare("inequality_value_out_of_range", "Valeur hors du domaine",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur {value} ; {why} "
        "(lignes concernées : {count}).")
declare("inequality_reference_invalid", "Sous-groupe de référence invalide",
        "Nombre de sous-groupes de référence du groupe ({group}) : {count} (colonne « {column} ») ; "
        "il en faut exactement un.")
declare("inequality_too_few_subgroups", "Trop peu de sous-groupes",
        "Nombre de lignes du groupe ({group}) : {count} ; il en faut au moins {minimum} pour {why}.")
declare("inequality_mean_zero", "Moyenne nulle",
        "Le groupe ({group}) a une moyenne pondérée nulle ou négative de la colonne « {column} » : "
        "{why}.")
