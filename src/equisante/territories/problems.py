"""Catalogue entries of the territory readers and importers (French titles and messages).

Every code starts with ``territory_``. The generic entries of :mod:`equisante.errors`
(``file_not_found``, ``encoding_invalid``, ``format_unknown``, ``input_rejected``) are reused as they
are. A problem's position (file, line, feature, column) travels in its
:class:`~equisante.errors.Location`, so the messages below say *what* and *why*; ``{territory}``
names the territory concerned (« 75056 Paris », or « sans code »).
"""

from equisante.errors import declare

# --- Options of the import ------------------------------------------------------------------------
declare("territory_level_unknown", "Niveau inconnu",
        "Le niveau « {level} » est inconnu ; niveaux acceptés : {accepted}.")
declare("territory_vintage_invalid", "Millésime invalide",
        "Le millésime « {vintage} » n'est pas une année plausible du Code officiel géographique "
        "(entre {minimum} et {maximum}).")
declare("territory_parent_level_missing", "Niveau parent inconnu",
        "Le niveau « {level} » n'a pas de niveau parent par défaut : préciser le niveau du parent "
        "(option --parent-level).")
declare("territory_parent_level_mixed", "Parents de plusieurs niveaux",
        "Les parents du fichier sont de plusieurs niveaux ({levels}) ; un import relie les territoires à "
        "un seul niveau parent : préciser --parent-level ou séparer le fichier.")
declare("territory_parent_from_code_unsupported", "Parent non déductible du code",
        "Le code d'un territoire de niveau « {level} » ne contient pas celui de son parent ; "
        "déduction possible seulement pour : {supported}. Indiquer plutôt la propriété ou colonne "
        "du parent (option --parent-field).")
declare("territory_population_year_invalid", "Année de population invalide",
        "L'année de population « {year} » n'est pas plausible (entre {minimum} et {maximum}).")
declare("territory_population_year_missing", "Année de population absente",
        "Les populations de « {field} » n'ont pas d'année : préciser l'option --population-year.")

# --- The file itself ------------------------------------------------------------------------------
declare("territory_gzip_corrupt", "Archive gzip corrompue",
        "Le fichier commence comme une archive gzip mais ne peut pas être décompressé ({reason}) ; "
        "le télécharger de nouveau.")
declare("territory_json_invalid", "JSON invalide",
        "Le fichier n'est pas un document JSON valide : {reason} (ligne {line}, colonne {column}).")
declare("territory_not_feature_collection", "Pas une FeatureCollection",
        "Le document est {found} ; attendu : un objet GeoJSON de type « FeatureCollection » avec une "
        "liste « features ».")
declare("territory_feature_invalid", "Objet GeoJSON mal formé",
        "L'objet n'est pas une « Feature » GeoJSON valide : {reason}.")
declare("territory_file_empty", "Fichier vide",
        "Le fichier ne contient aucun territoire.")
declare("territory_csv_malformed", "CSV mal formé",
        "Le fichier CSV ne peut pas être découpé en cellules ({reason}).")
declare("territory_columns_missing", "Colonnes obligatoires absentes",
        "À ajouter à l'en-tête : {missing}. Colonnes attendues ({what}) : {expected}. "
        "Colonnes trouvées : {found}.")
declare("territory_row_too_long", "Cellules en trop",
        "La ligne compte {found} cellules alors que l'en-tête n'a que {expected} colonnes "
        "(séparateur détecté : {separator}).")
declare("territory_field_absent", "Propriété introuvable",
        "La propriété ou colonne « {field} » ({role}) n'apparaît dans aucun territoire du fichier ; "
        "propriétés présentes : {found}.")

# --- Codes and names ------------------------------------------------------------------------------
declare("territory_code_missing", "Code absent",
        "Le code du territoire (propriété ou colonne « {field} ») est absent ou vide{hint}.")
declare("territory_code_invalid", "Code invalide",
        "La valeur {value} de « {field} » n'est pas un code utilisable : {reason}.")
declare("territory_code_format", "Code mal formé",
        "Le code « {code} » ne suit pas le format des codes de niveau « {level} » ({expected}) ; "
        "un zéro initial perdu dans un tableur ?")
declare("territory_code_duplicate", "Code en double",
        "Le code « {code} » apparaît deux fois : {first} et {second} ; un code ne désigne qu'un "
        "territoire par niveau et par millésime.")
declare("territory_name_missing", "Nom absent",
        "Le nom du territoire {territory} (propriété ou colonne « {field} ») est absent ou vide.")
declare("territory_name_invalid", "Nom invalide",
        "Le nom du territoire {territory} n'est pas utilisable : {reason}.")
declare("territory_zone_type_invalid", "Type de zone invalide",
        "Le type de zone {value} n'est pas utilisable : {reason}.")
declare("territory_population_invalid", "Population invalide",
        "La population de {territory} vaut {value} ; attendu : un nombre entier de personnes, "
        "positif ou nul.")

# --- Geometries -----------------------------------------------------------------------------------
declare("territory_geometry_missing", "Géométrie absente",
        "Le territoire {territory} n'a pas de géométrie (« geometry » absente ou nulle).")
declare("territory_geometry_type_unsupported", "Type de géométrie non pris en charge",
        "La géométrie de {territory} est de type « {found} » ; types acceptés : Polygon, MultiPolygon.")
declare("territory_geometry_malformed", "Géométrie illisible",
        "La géométrie de {territory} ne peut pas être lue : {reason}.")
declare("territory_geometry_empty", "Géométrie vide",
        "La géométrie de {territory} ne contient aucun point.")
declare("territory_coordinates_out_of_range", "Coordonnées hors de WGS84",
        "Les coordonnées de {territory} sortent des bornes de WGS84 (longitude −180 à 180, "
        "latitude −90 à 90) : emprise {bbox}. Le fichier est-il projeté (Lambert 93, EPSG:2154) ? "
        "Le convertir en WGS84 (EPSG:4326), par exemple avec QGIS ou ogr2ogr.")
declare("territory_geometry_invalid", "Géométrie invalide",
        "La géométrie de {territory} n'est pas valide : {reason}. La corriger, ou relancer avec "
        "l'option --repair pour la réparer automatiquement.")
declare("territory_geometry_unrepairable", "Géométrie irréparable",
        "La géométrie de {territory} n'est pas valide ({reason}) et sa réparation ne laisse aucune "
        "surface.")

# --- Links to other territories -------------------------------------------------------------------
declare("territory_parent_missing", "Parent introuvable",
        "Le parent « {parent} » de {territory} n'existe ni dans le fichier ni dans la base au niveau "
        "« {parent_level} » (millésime {vintage}) ; importer d'abord les territoires de ce niveau.")
declare("territory_member_unknown", "Membre introuvable",
        "Le territoire membre « {code} » n'existe pas dans la base au niveau « {level} »{vintage}.")
declare("territory_group_unknown", "Groupe introuvable",
        "Le territoire regroupant « {code} » n'existe pas dans la base au niveau « {level} »{vintage}.")
declare("territory_share_invalid", "Part invalide",
        "La part « {value} » doit être un nombre strictement positif et au plus égal à 1 "
        "(0.25 ou 0,25 pour un quart ; cellule vide pour 1).")
declare("territory_membership_duplicate", "Appartenance en double",
        "« {member} » apparaît deux fois dans « {group} » : {first} et {second}.")
