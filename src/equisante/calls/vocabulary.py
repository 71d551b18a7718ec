"""Fixed lists of the calls area: kinds, states, decisions, coverage; keys stored, French labels shown."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from equisante.calls.eligibility import PROMOTER_KINDS

CALL_KINDS = [("aap", _("Appel à projets (AAP)")), ("ami", _("Appel à manifestation d'intérêt (AMI)"))]

DRAFTED, OPENED, CLOSED, DECIDED, ARCHIVED = "brouillon", "ouvert", "clos", "decide", "archive"
CALL_STATES = [
    (DRAFTED, _("En préparation")),
    (OPENED, _("Ouvert aux candidatures")),
    (CLOSED, _("Clos, en instruction")),
    (DECIDED, _("Décidé")),
    (ARCHIVED, _("Archivé")),
]
#: Allowed transitions (state → next states).
TRANSITIONS = {
    DRAFTED: [OPENED],
    OPENED: [CLOSED],
    CLOSED: [OPENED, DECIDED],
    DECIDED: [ARCHIVED],
    ARCHIVED: [],
}
#: The verb of each transition's button.
TRANSITION_VERBS = {OPENED: _("Ouvrir"), CLOSED: _("Clore"), DECIDED: _("Marquer décidé"),
                    ARCHIVED: _("Archiver")}

RETAINED, RETAINED_WITH_CONDITIONS, REFUSED = "retenu", "retenu-sous-conditions", "refuse"
DECISIONS = [
    (RETAINED, _("Retenu")),
    (RETAINED_WITH_CONDITIONS, _("Retenu sous conditions")),
    (REFUSED, _("Refusé")),
]

PROMOTER_KIND_CHOICES = list(PROMOTER_KINDS.items())

COVER_CHOICES = [("departement", _("Département")), ("promoter_kind", _("Type de porteur"))]
RESERVED_CHOICES = [("prioritaire", _("Territoires prioritaires")), ("contrat", _("Communes sous contrat local de santé"))]

#: The history's actions (stored key → what the history page shows).
EVENT_ACTIONS = {
    "creation": _("Création de l'appel"), "modification": _("Modification de l'appel"), "etat": _("Changement d'état"),
    "depot": _("Dépôt de candidature"), "import": _("Import de candidatures"), "affectation": _("Affectation d'un instructeur"),
    "conflit": _("Conflit d'intérêts déclaré"), "notation": _("Notation"), "selection": _("Proposition calculée"),
    "choix-comite": _("Choix du comité"), "decision": _("Décision"), "financement": _("Fiche-action de contrat"),
    "registre": _("Registre des subventions"),
}
