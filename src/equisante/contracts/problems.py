"""Catalogue entries of the contracts area (codes prefixed ``contract_``), in French.

The exchange format's own problems (columns, unknown node ids, unknown contracts…) are declared by
:mod:`equisante.actionsheets.errors`; these are the checks only the application can make (rights,
concurrent edits, the database).
"""

from equisante.errors import declare

declare("contract_sheet_stale", "Modification concurrente",
        "La fiche « {sheet} » a été modifiée par {who} pendant votre saisie (version {expected} → {current}) : "
        "{changes}. Rien n'a été enregistré ; votre saisie est conservée dans le formulaire : vérifiez-la, "
        "puis enregistrez de nouveau pour remplacer ces modifications.")
declare("contract_import_forbidden", "Contrat non modifiable par ce compte",
        "Le compte « {user} » ne peut pas modifier le contrat « {contract} » : ses fiches-action ne peuvent pas "
        "être importées par ce compte.")
declare("contract_code_invalid", "Code de la grille invalide",
        "« {code} » n'est pas {expected} de la grille {version}.")
declare("contract_sector_unknown", "Secteur inconnu",
        "« {code} » n'est pas un secteur de partenaire ; secteurs acceptés : {accepted}.")
declare("contract_grid_version_unknown", "Version de grille inconnue",
        "La version de grille « {version} » n'existe pas ; versions disponibles : {available}.")
declare("contract_unknown", "Contrat inconnu",
        "Le contrat « {code} » n'existe pas ; contrats existants : {known}.")
declare("contract_user_unknown", "Utilisateur inconnu",
        "Aucun compte ne porte l'identifiant « {username} ».")
declare("contract_output_invalid", "Sortie impossible",
        "Le format {format} ne peut pas être écrit sur la sortie standard : indiquer un fichier avec -o.")
declare("contract_axis_ambiguous", "Axe stratégique ambigu",
        "Le contrat « {contract} » a plusieurs axes intitulés « {axis} » ; renommer l'un d'eux avant l'import.")
declare("contract_upload_missing", "Aucun fichier",
        "Choisir un fichier CSV ou XLSX de fiches-action à importer.")
declare("contract_status_unknown", "État d'avancement inconnu",
        "La fiche « {contract} / {code} » a l'état « {status} », inconnu ; états acceptés : {accepted} "
        "(ou cellule vide).")
declare("contract_sheet_invalid", "Fiche-action invalide",
        "La fiche « {contract} / {code} » ne peut pas être enregistrée : {message}")
# --- editing a contract, its governance, its axes and the actors directory on the site (editing.py) ---
declare("contract_change_stale", "Modification concurrente",
        "« {object} » a été modifié par {who} pendant votre saisie : {changes}. Rien n'a été enregistré ; votre "
        "saisie est conservée dans le formulaire : vérifiez-la, puis enregistrez de nouveau pour remplacer ces "
        "modifications.")
declare("contract_part_gone", "Élément supprimé entre-temps",
        "« {object} » a été supprimé par {who} pendant votre saisie. Rien n'a été enregistré ; votre saisie est "
        "conservée dans le formulaire : l'enregistrer créera un nouvel élément.")
declare("contract_part_in_use", "Suppression impossible",
        "« {object} » ne peut pas être supprimé : {reason}.")
