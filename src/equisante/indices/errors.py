"""Catalogue entries of the indices core (IDH-2, FDep, EDI, composites, prioritisation).

Codes carry the ``indices_`` prefix so that they never collide with the statistics core's entries.
Messages say which column (or argument) and, for row-level problems, the first offending data row
(1-based, with its index label) and how many rows are concerned.
"""

from equisante.errors import EquisanteError, declare


class IndicesInputError(EquisanteError, ValueError):
    """Input refused by an index function (catalogued code, French message)."""


declare("indices_column_missing", "Colonne absente",
        "La colonne « {column} » (argument {argument}) est absente des données.")
declare("indices_column_not_numeric", "Colonne non numérique",
        "La colonne « {column} » (argument {argument}) doit contenir des nombres.")
declare("indices_value_negative", "Valeur négative",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur {value} négative ; "
        "{why} (lignes concernées : {count}).")
declare("indices_value_not_positive", "Valeur nulle ou négative",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur {value} ; "
        "{why} (lignes concernées : {count}).")
declare("indices_proportion_out_of_range", "Proportion hors bornes",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur {value} hors de "
        "[0, {upper}] ; les proportions sont attendues {unit_text} (lignes concernées : {count}).")
declare("indices_value_missing", "Valeur manquante",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur manquante ; {why} "
        "(lignes concernées : {count}).")
declare("indices_weights_zero", "Poids tous nuls",
        "La somme des poids (colonne « {column} ») des territoires retenus est nulle ; au moins un "
        "territoire doit avoir une population strictement positive.")
declare("indices_constant_variable", "Variable constante",
        "La variable « {column} » prend la même valeur ({value}) pour tous les territoires retenus ; "
        "{why}.")
declare("indices_too_few_territories", "Trop peu de territoires",
        "Territoires aux valeurs complètes : {count} ; il en faut au moins {minimum} pour {why}.")
declare("indices_bounds_invalid", "Bornes invalides",
        "Bornes de la dimension « {component} » : {why}.")
declare("indices_argument_invalid", "Argument invalide",
        "L'argument {argument} vaut {value!r} ; valeurs acceptées : {accepted}.")
declare("indices_argument_required", "Argument manquant",
        "L'argument {argument} est obligatoire {why}.")
declare("indices_spec_invalid", "Spécification d'indice composite invalide",
        "Spécification de l'indice composite : {why}.")
declare("indices_rule_invalid", "Règle invalide",
        "Règle « {label} » : {why}.")
declare("indices_rule_not_in_force", "Aucune règle en vigueur",
        "Aucune des règles fournies ({labels}) n'est en vigueur le {date}.")
declare("indices_rules_overlap", "Règles en vigueur simultanément",
        "Plusieurs règles sont en vigueur le {date} ({labels}) ; leurs périodes de validité ne doivent "
        "pas se chevaucher.")
