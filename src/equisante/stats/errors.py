"""Catalogue entries of the statistics core."""

from equisante.errors import EquisanteError, declare


class StatsInputError(EquisanteError, ValueError):
    """Input refused by a statistical function (catalogued code, French message)."""


declare("confidence_invalid", "Niveau de confiance invalide",
        "Le niveau de confiance {value!r} doit être compris entre 0,9 et 1 (ex. 0.95 ou 0.998).")
declare("column_missing", "Colonne absente", "La colonne « {column} » est absente des données.")

# --- PHE methods (confidence, crude, standardisation, life expectancy, quantiles, funnels) ---
declare("column_not_numeric", "Colonne non numérique",
        "La colonne « {column} » (argument {argument}) doit contenir des nombres.")
declare("vector_not_numeric", "Vecteur non numérique",
        "L'argument {argument} doit être une liste de nombres (un nombre par tranche d'âge).")
declare("value_negative", "Valeur négative",
        "L'argument {argument} contient une valeur négative ({value}, position {position}) ; "
        "un nombre d'événements doit être positif ou nul.")
declare("value_not_positive", "Valeur nulle ou négative",
        "L'argument {argument} contient une valeur nulle ou négative ({value}, position {position}) ; "
        "un dénominateur doit être strictement positif.")
declare("value_exceeds_denominator", "Numérateur supérieur au dénominateur",
        "Position {position} : le numérateur ({value}) dépasse le dénominateur ({denominator}) ; "
        "une proportion ne peut pas dépasser 1.")
declare("count_negative", "Effectif négatif",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur {value} négative ; "
        "les effectifs doivent être positifs ou nuls (lignes concernées : {count}).")
declare("denominator_not_positive", "Dénominateur nul ou négatif",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur {value} ; les dénominateurs "
        "doivent être strictement positifs (lignes concernées : {count}).")
declare("denominator_negative", "Dénominateur négatif",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur {value} négative ; les "
        "populations doivent être positives ou nulles (lignes concernées : {count}).")
declare("denominator_missing", "Dénominateur manquant",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur manquante ; la population de "
        "chaque tranche est nécessaire au calcul (lignes concernées : {count}).")
declare("numerator_exceeds_denominator", "Numérateur supérieur au dénominateur",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : le numérateur {value} dépasse le "
        "dénominateur ({denominator_column}) ; une proportion ne peut pas dépasser 1 "
        "(lignes concernées : {count}).")
declare("standard_negative", "Population standard négative",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : poids {value} négatif ; les poids de la "
        "population standard doivent être positifs ou nuls (lignes concernées : {count}).")
declare("standard_missing", "Population standard manquante",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : poids manquant dans la population "
        "standard (lignes concernées : {count}).")
declare("multiplier_invalid", "Multiplicateur invalide",
        "Le multiplicateur {value!r} doit être un nombre strictement positif (ex. 100 ou 100000).")
declare("group_size_mismatch", "Nombre de lignes incorrect",
        "Nombre de lignes du groupe ({group}) : {rows} au lieu de {expected} ({why}).")
declare("age_band_missing", "Tranche d'âge manquante",
        "La colonne « {column} » contient des tranches d'âge manquantes (cellules vides).")
declare("age_band_unreadable", "Tranche d'âge illisible",
        "Colonne « {column} » : la tranche d'âge « {label} » ne commence pas par un âge "
        "(attendu : « 0-4 », « 05-09 », « 90+ », 85…).")
declare("age_band_duplicate", "Tranche d'âge en double",
        "Le groupe ({group}) contient plusieurs lignes pour la tranche d'âge commençant à {age} ans "
        "(colonne « {column} »).")
declare("age_band_count_mismatch", "Tranches d'âge incompatibles avec la population standard",
        "La colonne « {column} » contient {found} tranches d'âge distinctes alors que la population "
        "standard ({argument}) a {expected} poids.")
declare("argument_required", "Argument manquant",
        "L'argument {argument} est obligatoire {why}.")
declare("argument_invalid", "Argument invalide",
        "L'argument {argument} vaut {value!r} ; valeurs acceptées : {accepted}.")
declare("event_frequency_missing", "Fréquence d'événements manquante",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : fréquence d'événements manquante "
        "(lignes concernées : {count}).")
declare("event_frequency_inconsistent", "Données incohérentes entre fréquences d'événements",
        "Le groupe ({group}), tranche d'âge commençant à {age} ans : la colonne « {column} » prend "
        "plusieurs valeurs différentes selon la fréquence d'événements ; elle doit être identique.")
declare("reference_negative", "Référence négative",
        "L'argument {argument} contient une valeur négative ({value}, position {position}) ; les "
        "décès et populations de référence doivent être positifs ou nuls.")
declare("reference_zero_population", "Population de référence nulle",
        "L'argument {argument} contient une population de référence nulle (position {position}) "
        "alors que des événements de référence y sont comptés.")
declare("observed_incomplete", "Totaux observés incomplets",
        "La table des totaux observés n'a pas de ligne (ou a une valeur manquante) pour le groupe "
        "({group}) : colonne « {column} ».")
declare("observed_duplicate", "Totaux observés en double",
        "La table des totaux observés contient plusieurs lignes pour le groupe ({group}).")
declare("start_age_invalid", "Tranches d'âge de l'espérance de vie invalides",
        "La colonne « {column} » doit contenir exactement les 20 tranches 0, 1, 5, 10, …, 85, 90 "
        "(libellés « 0 », « 1-4 », « 5-9 », …, « 90+ » acceptés) ; {why}.")
declare("le_age_unknown", "Âge demandé inconnu",
        "L'âge {value!r} (argument le_age) n'est pas le début d'une des tranches 0, 1, 5, …, 90.")
declare("quantiles_invalid", "Nombre de quantiles invalide",
        "Le nombre de quantiles {value!r} doit être un entier au moins égal à 2.")
declare("invert_invalid", "Sens des quantiles invalide",
        "L'argument invert doit valoir True, False ou le nom d'une colonne booléenne ; reçu {value!r}.")
declare("invert_not_constant", "Sens des quantiles variable dans un groupe",
        "La colonne « {column} » (invert) doit prendre la même valeur pour toutes les lignes d'un "
        "groupe ; le groupe ({group}) en a plusieurs.")
declare("values_missing", "Valeurs manquantes",
        "Colonne « {column} », ligne de données n° {row} (index {label}) : valeur manquante ; {why} "
        "(lignes concernées : {count}).")
declare("funnel_zero_events", "Dénominateur requis pour les zones sans événement",
        "Zones sans aucun événement (colonne « {column} ») : {count} ; le taux ne permet pas d'en "
        "déduire la population ; indiquez la colonne du dénominateur (argument denominator).")
