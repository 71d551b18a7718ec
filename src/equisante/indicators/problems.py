"""Catalogue entries of the indicator importers, exports and aggregation (French titles and messages).

Every code starts with ``indicator_`` so that it never collides with another area's entries. The
generic entries of :mod:`equisante.errors` (``file_not_found``, ``encoding_invalid``,
``format_unknown``, ``input_rejected``) are reused as they are. A problem's location (file, line,
column) is carried by :class:`equisante.errors.Location`, so the messages only say *why*.
"""

from equisante.errors import declare

# --- The file itself -----------------------------------------------------------------------------
declare("indicator_file_empty", "Fichier vide",
        "Le fichier « {path} » ne contient aucune ligne de données (au plus un en-tête).")
declare("indicator_spreadsheet_unreadable", "Classeur illisible",
        "Le classeur « {path} » ne peut pas être lu ({reason}) ; l'enregistrer de nouveau au format "
        "XLSX ou ODS, ou l'exporter en CSV.")
declare("indicator_sheet_not_found", "Feuille introuvable",
        "La feuille « {sheet} » n'existe pas dans le classeur ; feuilles présentes : {available}.")
declare("indicator_csv_malformed", "CSV mal formé",
        "Le fichier CSV ne peut pas être découpé en cellules ({reason}).")
declare("indicator_problems_truncated", "Trop de problèmes",
        "Plus de {limit} problèmes : la vérification s'est arrêtée ici ; corriger ceux-ci puis relancer.")

# --- Columns -------------------------------------------------------------------------------------
declare("indicator_columns_missing", "Colonnes obligatoires absentes",
        "À ajouter à l'en-tête : {missing}. Colonnes attendues ({layout}) : {expected}. "
        "Colonnes trouvées : {found}.")
declare("indicator_column_duplicate", "Colonne en double",
        "La colonne « {column} » apparaît {count} fois dans l'en-tête (positions {positions}).")
declare("indicator_wide_column_invalid", "Colonne d'indicateur invalide",
        "La colonne « {column} » ne désigne pas un indicateur : attendu « CODE » ou « CODE__partie » "
        "avec une partie parmi {parts}.")
declare("indicator_row_too_long", "Cellules en trop",
        "La ligne compte {found} cellules alors que l'en-tête n'a que {expected} colonnes "
        "(une virgule décimale dans un CSV séparé par des virgules ? mettre la valeur entre guillemets "
        "ou séparer les colonnes par « ; »).")
declare("indicator_period_missing", "Période absente",
        "Aucune période pour cette ligne : renseigner la colonne « period » ou l'option --period.")
declare("indicator_layout_invalid", "Disposition inconnue",
        "Disposition « {layout} » inconnue ; dispositions acceptées : long, wide.")

# --- Cells ---------------------------------------------------------------------------------------
declare("indicator_cell_required", "Cellule obligatoire vide",
        "La cellule est vide alors que cette colonne est obligatoire sur chaque ligne.")
declare("indicator_value_not_numeric", "Valeur non numérique",
        "La cellule contient « {text} » au lieu d'un nombre (décimales avec un point ou une virgule : "
        "12.5 ou 12,5 ; cellule vide si la donnée manque).")
declare("indicator_count_negative", "Effectif négatif",
        "Le {part} vaut {value} ; un effectif doit être positif ou nul.")
declare("indicator_numerator_above_denominator", "Numérateur supérieur au dénominateur",
        "Le numérateur ({numerator}) dépasse le dénominateur ({denominator}) alors que l'indicateur "
        "« {indicator} » est une proportion (unité « {unit} »).")
declare("indicator_denominator_zero", "Dénominateur nul",
        "Le dénominateur est nul alors que le numérateur vaut {numerator} : le rapport n'existe pas.")
declare("indicator_value_out_of_range", "Valeur hors bornes",
        "La valeur {value} de l'indicateur « {indicator} » (proportion, unité « {unit} ») doit être "
        "comprise entre 0 et {maximum}.")
declare("indicator_limits_inconsistent", "Intervalle de confiance incohérent",
        "Les bornes n'encadrent pas la valeur : borne inférieure {lower}, valeur {value}, borne "
        "supérieure {upper}.")
declare("indicator_value_required", "Valeur absente",
        "L'état « ok » est indiqué mais la ligne ne donne ni valeur ni couple numérateur / dénominateur "
        "permettant de la calculer.")
declare("indicator_state_unknown", "État inconnu",
        "« {text} » n'est pas un état reconnu ; états acceptés : {accepted}.")
declare("indicator_period_invalid", "Période invalide",
        "« {text} » n'est pas une période reconnue (attendu : 2021, 2019-2021, 2021-03 ou 2021-T2, "
        "années de 1900 à 2100).")
declare("indicator_sex_unknown", "Sexe inconnu",
        "« {text} » n'est pas une valeur de sexe reconnue ; valeurs acceptées : F (femmes), "
        "H (hommes), vide (ensemble).")
declare("indicator_age_band_invalid", "Classe d'âge invalide",
        "« {text} » n'est pas une classe d'âge reconnue (attendu : 0-4, 15-64, 90+, ou vide pour tous âges).")
declare("indicator_level_unknown", "Niveau inconnu",
        "« {text} » n'est pas un niveau territorial connu ; niveaux acceptés : {accepted}.")
declare("indicator_vintage_invalid", "Millésime invalide",
        "« {text} » n'est pas un millésime du COG (une année entre 1900 et 2100).")
declare("indicator_duplicate_row", "Ligne en double",
        "Même indicateur, territoire, période, sexe et classe d'âge qu'à la ligne {first_line} ({key}).")

# --- References to the database ------------------------------------------------------------------
declare("indicator_territory_unknown", "Territoire inconnu",
        "Aucun territoire de niveau « {level} » ne porte le code « {code} » ({vintage}) : importer "
        "d'abord les territoires (equisante import territories).")
declare("indicator_unknown", "Indicateur inconnu",
        "L'indicateur « {code} » n'est ni dans le catalogue ni dans le fichier de catalogue importé : "
        "importer d'abord le catalogue (equisante import indicators catalogue.csv --catalogue).")

# --- Catalogue -----------------------------------------------------------------------------------
declare("indicator_code_invalid", "Code d'indicateur invalide",
        "« {text} » : un code d'indicateur ne contient que des lettres sans accent, des chiffres, « - » "
        "et « _ » (jamais « __ »), 64 caractères au plus, et ne reprend pas un nom de colonne réservé "
        "({reserved}).")
declare("indicator_polarity_unknown", "Polarité inconnue",
        "« {text} » n'est pas une polarité reconnue ; valeurs acceptées : favourable (favorable), "
        "adverse (défavorable), neutral (neutre).")
declare("indicator_multiplier_invalid", "Multiplicateur invalide",
        "« {text} » : le multiplicateur doit être un nombre strictement positif (100 pour un "
        "pourcentage, 100000 pour un taux pour 100 000).")
declare("indicator_text_too_long", "Texte trop long",
        "La colonne « {column} » accepte au plus {limit} caractères ({length} trouvés).")
declare("indicator_catalogue_duplicate", "Indicateur en double",
        "Le code « {code} » figure déjà à la ligne {first_line}.")

# --- Aggregation and export ----------------------------------------------------------------------
declare("indicator_not_aggregatable", "Indicateur non agrégeable",
        "L'indicateur « {code} » (unité « {unit} ») n'est ni une proportion, ni un taux, ni un "
        "effectif : ses valeurs ne se cumulent pas d'un niveau à l'autre.")
declare("indicator_levels_not_linked", "Niveaux sans lien",
        "Aucun territoire de niveau « {from_level} » n'est rattaché à un territoire de niveau "
        "« {to_level} » (ni par son parent, ni par une appartenance).")
declare("indicator_output_invalid", "Sortie impossible",
        "Le format {format} ne peut pas être écrit sur la sortie standard : indiquer un fichier avec -o.")
