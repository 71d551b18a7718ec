"""Catalogue entries of the prioritisation area: index definitions, computations from the indicator
store, rules and their exceptions (French titles and messages).

Every code starts with ``prioritisation_``. The errors of the computations themselves (a constant
variable, too few territories, an invalid rule…) come from :mod:`equisante.indices.errors`
(codes ``indices_*``) and are reported as they are.
"""

from equisante.errors import declare

# --- Definitions ----------------------------------------------------------------------------------
declare("prioritisation_index_unknown", "Indice inconnu",
        "Aucun indice n'a le code « {code} » ; indices définis : {known}.")
declare("prioritisation_method_unknown", "Méthode inconnue",
        "Méthode « {method} » inconnue ; méthodes acceptées : {accepted}.")
declare("prioritisation_inputs_invalid", "Indicateurs de l'indice invalides",
        "Indice « {code} » : {why}.")
declare("prioritisation_indicator_unknown", "Indicateur absent du catalogue",
        "L'indice « {index} » utilise l'indicateur « {indicator} » (entrée {role}), absent du catalogue ; "
        "l'importer d'abord ou corriger la définition.")
declare("prioritisation_parameters_invalid", "Paramètres de l'indice invalides",
        "Indice « {code} », paramètre {parameter} : {why}.")
declare("prioritisation_definition_invalid", "Définition d'indice invalide",
        "{why}.")

# --- Computation from the indicator store ---------------------------------------------------------
declare("prioritisation_level_unknown", "Niveau inconnu",
        "Le niveau « {level} » est inconnu ; niveaux acceptés : {accepted}.")
declare("prioritisation_level_unreachable", "Niveau inaccessible",
        "L'indice « {index} » se calcule au niveau {base} puis se moyenne vers les niveaux supérieurs ; "
        "le niveau {level} n'est pas au-dessus de {base}.")
declare("prioritisation_no_values", "Aucune valeur pour un indicateur",
        "L'indicateur « {indicator} » (entrée {role} de l'indice « {index} ») n'a aucune valeur au niveau "
        "{level}{period_text} ; périodes disponibles : {available}.")
declare("prioritisation_no_territories", "Aucun territoire",
        "Aucun territoire de niveau {level} n'a de valeur pour les indicateurs de l'indice « {index} ».")
declare("prioritisation_period_invalid", "Période invalide",
        "La période « {period} » n'est pas une année ni une suite d'années (ex. 2021, 2019-2021).")
declare("prioritisation_result_missing", "Indice non calculé",
        "L'indice « {index} » n'a pas encore été calculé au niveau {level}{period_text} : lancer "
        "« equisante indices compute --index {index} --level {level} ».")

# --- Rules ----------------------------------------------------------------------------------------
declare("prioritisation_rule_unknown", "Règle inconnue",
        "Aucune règle n'a le code « {code} » ; règles définies : {known}.")
declare("prioritisation_rule_invalid", "Règle invalide",
        "Règle « {code} » : {why}.")
declare("prioritisation_rule_exists", "Règle déjà définie",
        "Une règle a déjà le code « {code} » ; choisir un autre code ou modifier celle-ci dans "
        "l'administration.")
declare("prioritisation_territory_unknown", "Territoire inconnu",
        "Aucun territoire de niveau {level} n'a le code « {code} ».")
declare("prioritisation_file_invalid", "Fichier de configuration invalide",
        "{why}.")
