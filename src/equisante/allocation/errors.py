"""Catalogue entries of the allocation area (codes prefixed ``allocation_``), in French (pure)."""

from equisante.errors import EquisanteError, declare

declare("allocation_total_invalid", "Total à répartir invalide",
        "Le total à répartir (« {value} ») doit être un nombre positif ou nul.")
declare("allocation_unit_invalid", "Unité invalide",
        "L'unité de répartition (« {value} ») doit être un nombre strictement positif.")
declare("allocation_total_not_multiple", "Total non multiple de l'unité",
        "Le total à répartir ({total}) n'est pas un multiple entier de l'unité ({unit}) : "
        "impossible de le répartir en unités entières.")
declare("allocation_column_missing", "Colonne absente",
        "La colonne « {column} » ({role}) manque ; colonnes présentes : {available}.")
declare("allocation_value_invalid", "Valeur invalide",
        "Territoire {territory} : {role} « {value} » n'est pas un nombre positif ou nul.")
declare("allocation_floor_above_cap", "Plancher supérieur au plafond",
        "Territoire {territory} : le plancher ({floor}) dépasse le plafond ({cap}).")
declare("allocation_floors_above_total", "Planchers supérieurs au total",
        "La somme des planchers ({floors}) dépasse le total à répartir ({total}) ; planchers les plus élevés : "
        "{territories}.")
declare("allocation_caps_below_total", "Plafonds inférieurs au total",
        "La somme des plafonds atteignables ({caps}) est inférieure au total à répartir ({total}) ; "
        "plafonds les plus bas : {territories}.")
declare("allocation_no_weight", "Aucun besoin à servir",
        "Il reste {rest} à répartir mais aucun territoire libre de ses bornes n'a une population × poids "
        "positive (territoires concernés : {territories}).")
declare("allocation_empty", "Aucun territoire",
        "Aucun territoire à qui répartir {total}.")
declare("allocation_adjustment_invalid", "Ajustement invalide",
        "Ajustement « {reason} » : {why}.")
declare("allocation_gradient_invalid", "Gradient invalide",
        "Le gradient « {value} » n'est pas valable : {why}.")


class AllocationError(EquisanteError):
    """An allocation that cannot be made as asked (impossible constraints, invalid inputs)."""

# --- register of grants (import) ---------------------------------------------------------------------
declare("allocation_grant_file_unreadable", "Fichier de subventions illisible",
        "Le fichier « {name} » ne se lit pas comme un tableau CSV ou XLSX : {reason}.")
declare("allocation_grant_column_missing", "Colonne manquante",
        "La colonne « {column} » manque ; colonnes attendues : {expected}.")
declare("allocation_grant_value_invalid", "Valeur invalide",
        "« {value} » n'est pas {expected}.")
declare("allocation_grant_territory_unknown", "Territoire inconnu",
        "Aucun territoire de niveau « {level} » n'a le code « {code} ».")
declare("allocation_grant_reference_repeated", "Référence répétée",
        "La référence « {reference} » figure déjà {where}.")
