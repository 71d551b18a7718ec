"""Catalogue entries of the follow-up area (codes prefixed ``followup_``), in French."""

from equisante.errors import declare

declare("followup_review_not_draft", "Bilan non modifiable",
        "Le bilan {year} du contrat « {contract} » est {status} : seul un bilan en brouillon se modifie ou se soumet.")
declare("followup_review_not_submitted", "Bilan non soumis",
        "Le bilan {year} du contrat « {contract} » est {status} : seul un bilan soumis aux partenaires se valide.")
declare("followup_review_not_validated", "Bilan non validé",
        "Le bilan {year} du contrat « {contract} » est {status} : seul un bilan validé s'archive.")
declare("followup_not_signatory", "Signataire inconnu",
        "« {actor} » n'est pas signataire du contrat « {contract} » ; signataires : {known}.")
declare("followup_already_approved", "Approbation déjà enregistrée",
        "{actor} a déjà approuvé le bilan {year} du contrat « {contract} » (le {when}).")
declare("followup_year_invalid", "Année invalide",
        "« {value} » n'est pas une année entre 1990 et 2100.")
declare("followup_column_missing", "Colonne manquante",
        "La colonne « {column} » manque ; colonnes attendues : {expected}.")
declare("followup_value_invalid", "Valeur invalide",
        "« {value} » n'est pas {expected}.")
declare("followup_sheet_unknown", "Fiche-action inconnue",
        "Le contrat « {contract} » n'a pas de fiche « {sheet} ».")
declare("followup_file_unreadable", "Fichier illisible",
        "Le fichier « {name} » ne se lit pas comme un tableau CSV ou XLSX : {reason}.")
