"""Catalogue entries of the records area (indicators built from individual records).

Every code starts with ``records_``.
"""

from equisante.errors import declare

declare("records_definition_unreadable", "Définition d'indicateur illisible",
        "La définition {source} ne peut pas être lue : {reason}.")
declare("records_definition_invalid", "Définition d'indicateur invalide",
        "Définition {source}, rubrique « {field} » : {reason}.")
declare("records_no_input", "Aucun fichier d'enregistrements",
        "Aucun fichier d'enregistrements à lire : {reason}.")
declare("records_input_unreadable", "Fichier d'enregistrements illisible",
        "Le fichier d'enregistrements {path} ne peut pas être lu : {reason}.")
declare("records_format_unknown", "Format de fichier d'enregistrements inconnu",
        "Le fichier {path} n'est ni en Parquet (.parquet) ni en CSV (.csv) ; formats acceptés : {accepted}.")
declare("records_column_missing", "Colonne absente des enregistrements",
        "La colonne « {column} » ({role}) est absente des enregistrements ; colonnes présentes : {found}.")
declare("records_engine_unknown", "Moteur de calcul inconnu",
        "Le moteur « {engine} » n'existe pas ; moteurs disponibles : {accepted}.")
declare("records_engine_unavailable", "Moteur de calcul indisponible",
        "Le moteur « {engine} » ne peut pas être utilisé ici : {reason}.")
declare("records_engine_failed", "Échec du calcul",
        "Le moteur « {engine} » a échoué : {reason}.")
declare("records_output_format", "Format de sortie inconnu",
        "Le fichier de sortie {path} doit se terminer par .parquet ou .csv.")
declare("records_history_invalid", "Historique des communes illisible",
        "Historique des codes communes {source}, ligne {line} : {reason}.")
declare("records_codes_unmapped", "Codes de résidence non rattachés",
        "Enregistrements dont le code de résidence est absent du millésime {vintage} du COG et de son "
        "historique : {records} ({codes}) ; ils sont comptés à part (colonne « unmapped_code »), jamais écartés "
        "en silence.")
declare("records_no_territories", "Aucun territoire dans la base",
        "La base ne contient aucune commune du millésime {vintage} : importer les territoires "
        "(equisante import territories) ou charger la démonstration (equisante demo) avant d'importer "
        "des indicateurs calculés depuis des enregistrements.")
