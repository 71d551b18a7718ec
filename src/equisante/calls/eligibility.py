"""Eligibility rules of a call (pure): territories, kinds of promoter, bounds of the amount requested.

:func:`check_eligibility` returns the list of French reasons why an application is not eligible (empty
when it is). The application layer shows them beside the application; it never refuses an application
silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Kinds of promoter (key stored in the database and in files → French label).
PROMOTER_KINDS = {
    "association": "Association",
    "collectivite": "Collectivité territoriale",
    "etablissement-sante": "Établissement de santé",
    "etablissement-medico-social": "Établissement médico-social",
    "centre-sante": "Centre ou maison de santé",
    "etablissement-public": "Établissement public (hors santé)",
    "autre": "Autre",
}


@dataclass(frozen=True)
class Rules:
    """What an eligible application must satisfy. Empty sets mean "no restriction"."""

    territories: frozenset[str] = field(default_factory=frozenset)
    promoter_kinds: frozenset[str] = field(default_factory=frozenset)
    min_amount: float | None = None
    max_amount: float | None = None


def check_eligibility(rules: Rules, *, territories, promoter_kind: str, amount: float) -> list[str]:
    """Reasons (French sentences) why an application breaks ``rules``; empty when it is eligible.

    ``territories``: the codes of the application's territories together with the codes of the areas
    that contain them (a commune is eligible when its département is listed).
    """
    from equisante.calls.selection import euros  # (SciPy is loaded only when a check runs)

    reasons = []
    codes = set(territories)
    if rules.territories and not codes & set(rules.territories):
        reasons.append("Aucun de ses territoires n'est dans le périmètre de l'appel ("
                       + ", ".join(sorted(rules.territories)) + ").")
    if rules.promoter_kinds and promoter_kind not in rules.promoter_kinds:
        accepted = ", ".join(PROMOTER_KINDS.get(k, k) for k in sorted(rules.promoter_kinds))
        reasons.append(f"Le type de porteur « {PROMOTER_KINDS.get(promoter_kind, promoter_kind)} » n'est pas "
                       f"éligible ({accepted}).")
    if rules.min_amount is not None and amount < rules.min_amount:
        reasons.append(f"Le montant demandé ({euros(amount)} €) est inférieur au plancher de l'appel "
                       f"({euros(rules.min_amount)} €).")
    if rules.max_amount is not None and amount > rules.max_amount:
        reasons.append(f"Le montant demandé ({euros(amount)} €) dépasse le plafond de l'appel "
                       f"({euros(rules.max_amount)} €).")
    return reasons
