"""Catalogue entries of the background jobs, imports from the site, history and backups."""

from equisante.errors import declare

declare("history_immutable", "Historique non modifiable",
        "L'historique ne peut être ni modifié ni supprimé ({object}).")
declare("job_failed", "Travail en échec",
        "Le travail « {label} » n'a pas abouti : {reason}")
declare("job_unexpected", "Erreur inattendue pendant un travail",
        "Une erreur inattendue a interrompu le travail ({detail}). L'équipe technique peut la retrouver "
        "dans le journal du serveur.")
declare("job_report_refused", "Rapport non disponible",
        "Ce rapport ne peut pas être préparé : {reason}")
declare("import_format_unknown", "Type d'import inconnu",
        "Type d'import inconnu : « {kind} ». Types possibles : {known}.")
declare("backup_unreadable", "Sauvegarde illisible",
        "Le fichier « {path} » n'est pas une sauvegarde equisante lisible : {reason}")
declare("backup_version", "Sauvegarde d'une autre version",
        "La sauvegarde « {path} » a été faite avec le schéma {found} ; cette installation attend {expected}. "
        "Restaurer avec la version d'equisante qui l'a produite, ou mettre à jour celle-ci.")
declare("backup_checksum", "Sauvegarde altérée",
        "La sauvegarde « {path} » est altérée : son empreinte ne correspond pas à son contenu.")
declare("backup_not_empty", "Base non vide",
        "La base de données contient déjà des données ({detail}). Ajouter --replace pour la remplacer "
        "entièrement par la sauvegarde.")
declare("backup_tool_missing", "Outil de sauvegarde absent",
        "La commande « {tool} » est introuvable : l'installer (paquet postgresql-client) pour sauvegarder "
        "une base PostgreSQL.")
declare("contract_restore_refused", "Restauration impossible",
        "« {object} » ne peut pas être restauré : {reason}.")
