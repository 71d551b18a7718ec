"""Fixed lists of the contracts area: statuses, committee kinds, roles; generations and partner
sectors come from the pure action-sheet model so that the database and the exchange format agree.

Keys are stored in the database and in files; labels are French and shown on pages.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from equisante.actionsheets.model import GENERATIONS, SECTORS

#: Partner sectors (id → label): the sector of an actor of the directory and the coded partner
#: sectors of an action sheet.
SECTOR_CHOICES = [(key, label) for key, label in SECTORS.items()]

#: Contract generations (préfiguration, 1re, 2e, 3e).
GENERATION_CHOICES = [(key, label) for key, label in GENERATIONS.items()]

#: Where a contract stands in its life cycle (DOMAIN §2.5 A).
CONTRACT_STATUSES = [
    ("preparation", _("En préparation (diagnostic, négociation)")),
    ("signe", _("Signé")),
    ("mise-en-oeuvre", _("En mise en œuvre")),
    ("evaluation", _("En évaluation")),
    ("renouvellement", _("En renouvellement")),
    ("termine", _("Terminé")),
]

#: Where an action sheet stands.
SHEET_STATUSES = [
    ("projet", _("En projet")),
    ("prevue", _("Prévue")),
    ("en-cours", _("En cours")),
    ("realisee", _("Réalisée")),
    ("reportee", _("Reportée")),
    ("abandonnee", _("Abandonnée")),
]

#: Governance bodies of a contract (DOMAIN §2.5 A.7).
COMMITTEE_KINDS = [
    ("pilotage", _("Comité de pilotage")),
    ("technique", _("Comité technique")),
    ("groupe-de-travail", _("Groupe de travail thématique")),
    ("equipe-projet", _("Équipe projet")),
]

#: Roles a person may hold (one assignment per role and scope).
REGIONAL_ADMIN = "admin-regional"
DEPARTMENTAL_REFERENT = "referent-departemental"
COORDINATOR = "coordinateur"
PARTNER = "partenaire"
ROLES = [
    (REGIONAL_ADMIN, _("Administrateur régional")),
    (DEPARTMENTAL_REFERENT, _("Référent départemental")),
    (COORDINATOR, _("Coordinateur du contrat")),
    (PARTNER, _("Partenaire du contrat")),
]

#: Where a coding came from.
CODING_SOURCES = [
    ("", _("non codée")),
    ("saisie", _("saisie sur la page de codage")),
    ("import", _("import d'un fichier")),
    ("demo", _("démonstration")),
]

#: Decisions on a suggestion shown to a person.
DECISIONS = [
    ("en-attente", _("en attente")),
    ("acceptee", _("acceptée")),
    ("rejetee", _("rejetée")),
]

#: Families of the coding (field of the action sheet → French name).
CODING_FAMILIES = {
    "determinants": _("Déterminants"),
    "strategies": _("Stratégies"),
    "approach": _("Type d'approche"),
    "themes": _("Thématiques de santé"),
}

#: The family of local schemes (« dispositifs territoriaux de santé ») a contract belongs to; the
#: fields each kind needs are listed in :data:`SCHEME_FIELDS`.
SCHEME_CLS = "cls"
SCHEME_KINDS = [
    (SCHEME_CLS, _("Contrat local de santé")),
    ("asv", _("Atelier santé ville")),
    ("clsm", _("Contrat local de santé mentale")),
    ("volet-sante-cv", _("Volet santé d'un contrat de ville")),
    ("convention", _("Convention de partenariat")),
]
#: Fields of :class:`~equisante.contracts.models.Contract` proper to each kind (shown on its page).
SCHEME_FIELDS = {
    "cls": (),
    "asv": ("local_plan_title", "local_plan_adopted_on"),
    "clsm": ("psychiatry_sector",),
    "volet-sante-cv": ("city_contract",),
    "convention": ("agreement_subject",),
}
