"""Catalogue entries of the calls area (codes prefixed ``call_``), in French.

Pure module (no Django): the selection, the reader of application files and the application layer
all raise these codes.
"""

from equisante.errors import EquisanteError, declare


class CallError(EquisanteError, ValueError):
    """An error of the calls area (selection, eligibility, application files)."""


# --- selection (selection.py) ---------------------------------------------------------------------
declare("call_column_missing", "Colonne absente",
        "La table des candidatures n'a pas de colonne « {column} » ; colonnes présentes : {columns}.")
declare("call_value_invalid", "Valeur invalide",
        "La candidature « {row} » a dans la colonne « {column} » la valeur « {value} » : {expected}.")
declare("call_budget_invalid", "Enveloppe invalide",
        "L'enveloppe doit être un montant positif ou nul ; reçu « {budget} ».")
declare("call_coverage_too_few", "Couverture impossible : candidatures insuffisantes",
        "La couverture demande au moins {retained} pour « {group} » (colonne « {column} ») mais {deposited}.")
declare("call_coverage_over_budget", "Couverture impossible dans l'enveloppe",
        "Retenir au moins {retained} par valeur de « {column} » coûte au minimum {needed} € "
        "(dont {group_cost} € pour « {group} », le groupe le plus coûteux) ; l'enveloppe n'est que de {budget} €.")
declare("call_share_unreachable", "Part réservée impossible à atteindre",
        "La part réservée de l'enveloppe ({share} % pour « {column} ») ne peut pas être atteinte avec les "
        "candidatures déposées en respectant l'enveloppe de {budget} € et la couverture demandée.")
declare("call_solver_failed", "Sélection non résolue",
        "Le solveur n'a pas trouvé la sélection optimale : {message}.")
# --- application files (reading.py) ---------------------------------------------------------------
declare("call_file_columns_missing", "Colonnes obligatoires absentes",
        "Colonnes obligatoires absentes : {missing} ; colonnes attendues : {expected}.")
declare("call_file_column_unknown", "Colonne inconnue",
        "La colonne « {column} » n'est pas une colonne du format des candidatures ; colonnes acceptées : "
        "{expected}.")
declare("call_file_cell_required", "Cellule obligatoire vide",
        "La colonne « {column} » doit être renseignée.")
declare("call_file_amount_invalid", "Montant invalide",
        "« {value} » n'est pas un montant en euros positif (exemples : 12000, 12 000, 12000,50).")
declare("call_file_duplicate", "Référence en double",
        "La référence « {reference} » apparaît déjà ligne {first}.")
declare("call_file_unreadable", "Fichier illisible",
        "Le fichier n'a pas pu être lu comme un tableau {format} : {reason}.")
declare("call_file_empty", "Fichier vide", "Le fichier ne contient aucune candidature.")
declare("call_file_promoter_kind_unknown", "Type de porteur inconnu",
        "« {value} » n'est pas un type de porteur ; types acceptés : {accepted}.")
declare("call_file_territory_unknown", "Territoire inconnu",
        "Le code « {code} » n'est pas un territoire connu.")
declare("call_file_requested_over_total", "Montant demandé supérieur au coût total",
        "Le montant demandé ({requested} €) dépasse le coût total du projet ({total} €).")
# --- the application layer (Django app) -----------------------------------------------------------
declare("call_unknown", "Appel inconnu",
        "L'appel « {code} » n'existe pas ; appels existants : {known}.")
declare("call_transition_invalid", "Changement d'état impossible",
        "L'appel « {call} » est « {current} » : il ne peut pas passer à « {target} » ({reason}).")
declare("call_not_open", "Appel fermé aux candidatures",
        "L'appel « {call} » est « {state} » : il n'accepte pas de candidatures.")
declare("call_conflict_of_interest", "Conflit d'intérêts déclaré",
        "{reviewer} a déclaré un conflit d'intérêts sur la candidature « {application} » : il ou elle ne peut "
        "ni la noter ni voir les notes des autres instructeurs.")
declare("call_override_reason_missing", "Motif obligatoire",
        "Modifier la proposition pour « {application} » demande un motif écrit.")
declare("call_output_invalid", "Sortie impossible",
        "Le format {format} ne peut pas être écrit sur la sortie standard : indiquer un fichier avec -o.")
