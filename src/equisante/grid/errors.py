"""Catalogue entries of the analysis grid and of the coding suggestions (codes prefixed ``grid_``)."""

from equisante.errors import EquisanteError, declare


class GridError(EquisanteError, ValueError):
    """A grid look-up, a coding or a labelled file refused (catalogued code, French message)."""


declare("grid_version_unknown", "Version de grille inconnue",
        "La version « {version} » de la grille n'existe pas ; versions disponibles : {available}.")
declare("grid_data_invalid", "Données de grille incohérentes",
        "Grille {version} : {why}.")
declare("grid_node_unknown", "Identifiant inconnu",
        "L'identifiant « {id} » n'existe pas dans la grille {version} (ni déterminant, ni stratégie, "
        "ni type d'approche, ni thème).")
declare("grid_label_unknown", "Libellé inconnu",
        "Aucun élément de la grille {version} ne porte le libellé « {text} »{scope}.")
declare("grid_label_ambiguous", "Libellé ambigu",
        "Le libellé « {text} » désigne plusieurs éléments de la grille ({candidates}) ; préciser le type "
        "(kind) ou le nœud parent (within).")
declare("grid_argument_invalid", "Argument invalide",
        "L'argument {argument} vaut {value!r} ; valeurs acceptées : {accepted}.")
declare("grid_text_empty", "Texte vide",
        "Le texte à coder est vide ou ne contient que des espaces.")
declare("grid_text_empty_in_batch", "Texte vide dans une liste",
        "Texte n° {index} sur {count} : le texte à coder est vide ou ne contient que des espaces ; "
        "aucune suggestion n'a été calculée.")
declare("grid_code_invalid", "Codage invalide",
        "Exemple n° {index} : {why}.")
declare("grid_jsonl_invalid", "Ligne JSONL invalide",
        "{why}.")
declare("grid_dataset_too_small", "Trop peu d'exemples",
        "Exemples codés dans « {path} » : {count} ; il en faut au moins {minimum} pour {why}.")
