"""Value states and polarity (pure Python)."""

from enum import StrEnum


class State(StrEnum):
    """State of one published value. Suppressed, unstable and missing are shown distinctly."""

    OK = "ok"
    SUPPRESSED = "suppressed"  # hidden for statistical confidentiality
    UNSTABLE = "unstable"  # small denominator or wide interval: to read with caution
    MISSING = "missing"  # no data


STATE_LABELS = {
    State.OK: "Valeur disponible",
    State.SUPPRESSED: "Secret statistique",
    State.UNSTABLE: "Valeur fragile",
    State.MISSING: "Donnée manquante",
}


class Polarity(StrEnum):
    """Direction of an indicator: is a higher value better (favourable) or worse (adverse)?"""

    FAVOURABLE = "favourable"
    ADVERSE = "adverse"
    NEUTRAL = "neutral"


POLARITY_LABELS = {
    Polarity.FAVOURABLE: "Favorable (plus élevé = mieux)",
    Polarity.ADVERSE: "Défavorable (plus élevé = moins bien)",
    Polarity.NEUTRAL: "Neutre (contexte)",
}
