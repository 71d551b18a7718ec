"""Catalogue entries of the action-sheet exchange format (codes prefixed ``actionsheet_``).

The location of a problem (file, line, column) is carried by :class:`equisante.errors.Location`;
the messages only say *why* and, when possible, how to fix it. The generic entries of
:mod:`equisante.errors` (``file_not_found``, ``format_unknown``, ``input_rejected``) are reused.
"""

from equisante.errors import EquisanteError, declare


class ActionSheetError(EquisanteError, ValueError):
    """A misuse of the exchange-format functions (e.g. an unknown output format)."""


# --- The file ------------------------------------------------------------------------------------
declare("actionsheet_encoding_invalid", "Encodage non UTF-8",
        "Le fichier n'est pas en UTF-8 (octet {byte} à la position {position}) ; l'enregistrer au format "
        "« CSV UTF-8 » depuis le tableur.")
declare("actionsheet_file_empty", "Fichier vide",
        "Le fichier ne contient aucune fiche-action (au plus une ligne d'en-tête).")
declare("actionsheet_spreadsheet_unreadable", "Classeur illisible",
        "Le classeur ne peut pas être lu ({reason}) ; l'enregistrer de nouveau au format XLSX ou l'exporter "
        "en CSV UTF-8.")
declare("actionsheet_csv_malformed", "CSV mal formé",
        "Le fichier CSV ne peut pas être découpé en cellules ({reason}).")

# --- Columns -------------------------------------------------------------------------------------
declare("actionsheet_columns_missing", "Colonnes obligatoires absentes",
        "À ajouter à l'en-tête : {missing}. Colonnes obligatoires : {expected}. Colonnes trouvées : {found}.")
declare("actionsheet_column_unknown", "Colonne inconnue",
        "La colonne « {column} » n'appartient pas au format des fiches-action{hint} ; colonnes acceptées : "
        "{accepted}.")
declare("actionsheet_column_duplicate", "Colonne en double",
        "La colonne « {column} » apparaît {count} fois dans l'en-tête.")
declare("actionsheet_row_too_long", "Cellules en trop",
        "La ligne compte {found} cellules alors que l'en-tête n'a que {expected} colonnes (un « ; » dans un "
        "texte ? mettre le texte entre guillemets).")

# --- Cells ---------------------------------------------------------------------------------------
declare("actionsheet_cell_required", "Cellule obligatoire vide",
        "La cellule est vide alors que la colonne « {column} » est obligatoire sur chaque ligne.")
declare("actionsheet_contract_unknown", "Contrat inconnu",
        "Le contrat « {contract} » n'existe pas{hint}.")
declare("actionsheet_duplicate", "Fiche-action en double",
        "Le contrat « {contract} » a déjà une fiche-action « {code} » à la ligne {first_line}.")
declare("actionsheet_determinant_unknown", "Déterminant inconnu",
        "« {text} » n'est pas un identifiant de déterminant de la grille {version} (D1 à D6 et leurs "
        "sous-nœuds, séparés par « ; »){hint}.")
declare("actionsheet_strategy_unknown", "Stratégie inconnue",
        "« {text} » n'est pas un identifiant de stratégie de la grille {version} (S1 à S5 et leurs "
        "sous-nœuds, séparés par « ; »){hint}.")
declare("actionsheet_theme_unknown", "Thématique inconnue",
        "« {text} » n'est pas une des 16 thématiques de la Figure 1{hint} ; thématiques acceptées : {accepted}.")
declare("actionsheet_approach_unknown", "Type d'approche inconnu",
        "« {text} » n'est pas un type d'approche ; valeurs acceptées : {accepted} (ou cellule vide).")
declare("actionsheet_sector_unknown", "Secteur inconnu",
        "« {text} » n'est pas un secteur de partenaire connu{hint} ; secteurs acceptés : {accepted}.")
declare("actionsheet_boolean_invalid", "Valeur oui/non invalide",
        "« {text} » n'est pas une réponse oui/non ; écrire « oui », « non » ou laisser vide (non renseigné).")
declare("actionsheet_format_unknown", "Format d'écriture inconnu",
        "Format « {format} » inconnu pour les fiches-action ; formats acceptés : {accepted}.")
