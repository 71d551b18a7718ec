"""Catalogue entries of the ISTS profiles (codes prefixed ``profile_``), in French: what the profile
pages and ``equisante portfolio report`` refuse, and why."""

from equisante.errors import declare

declare("profile_contract_unknown", "Contrat inconnu",
        "Le contrat « {code} » n'existe pas{where} ; contrats disponibles : {known}.")
declare("profile_departement_unknown", "Département sans contrat",
        "Aucun contrat n'est rattaché au département « {code} » ; départements ayant des contrats : {known}.")
declare("profile_selection_empty", "Sélection vide",
        "Aucun contrat ne correspond à la sélection ({selection}) : rien à analyser.")
declare("profile_output_invalid", "Sortie impossible",
        "Le format {format} ne peut pas être écrit sur la sortie standard : indiquer un fichier avec -o.")
declare("profile_actions_departement", "Option inutilisable avec un fichier",
        "--departement demande la base de données : un fichier de fiches-action ne dit pas à quel département "
        "appartient chaque contrat. Choisir les contrats avec --contract.")
declare("profile_write_failed", "Écriture impossible",
        "Le fichier « {path} » ne peut pas être écrit : {reason}.")
