"""Error catalogue entries of :mod:`equisante.tables` (the shared reader of imported files)."""

from equisante.errors import declare

declare("import_too_large", "Fichier trop volumineux",
        "Le fichier dépasse la taille maximale acceptée à l'import ({limit} Mo une fois décompressé) : "
        "découpez-le, ou demandez à l'exploitant de relever EQUISANTE_IMPORT_MAX_MB.")
declare("import_too_many_rows", "Trop de lignes",
        "Le fichier compte plus de {limit} lignes, le maximum accepté à l'import : découpez-le, ou "
        "demandez à l'exploitant de relever EQUISANTE_IMPORT_MAX_ROWS.")
declare("import_too_many_columns", "Trop de colonnes",
        "Une ligne compte {count} colonnes, plus que le maximum accepté à l'import ({limit}) : "
        "vérifiez le séparateur, ou demandez à l'exploitant de relever EQUISANTE_IMPORT_MAX_COLUMNS.")
declare("import_binary_file", "Fichier illisible (contenu binaire)",
        "Le fichier ne contient pas de texte lisible (octet {byte} à la position {position}) : ce n'est "
        "ni un CSV, ni un GeoJSON, ni un classeur XLSX ou ODS. Vérifiez qu'il s'agit du bon fichier.")
declare("import_archive_corrupt", "Archive compressée illisible",
        "Le fichier compressé ne peut pas être décompressé ({reason}).")
declare("csv_malformed", "CSV mal formé", "Le fichier CSV est mal formé : {reason}.")
declare("import_workbook_unreadable", "Classeur illisible",
        "Le classeur ne peut pas être lu ({reason}) ; enregistrez-le de nouveau au format XLSX ou ODS, ou "
        "exportez-le en CSV UTF-8.")
