"""Which part of a shared diagnosis an indicator belongs to: a social determinant (housing,
employment, education, income, other living conditions) or health (health status, prevention and
use of care) (pure).

Recommendation 9 of the CLS evaluation (DOMAIN.md §5.1) asks diagnostics to set determinants open to
intersectoral action beside health outcomes, not health indicators alone. The catalogue has no such
field, so the family is read from the indicator's code, label and theme by keywords (accents and
case ignored), health first because health labels are the most specific; a deployment can fix any
indicator's family by code (setting ``EQUISANTE_PORTRAIT_FAMILIES``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    code: str
    label: str
    side: str  # "determinants" or "health"


HOUSING = Family("logement", "Logement", "determinants")
EMPLOYMENT = Family("emploi", "Emploi et travail", "determinants")
EDUCATION = Family("education", "Éducation", "determinants")
INCOME = Family("revenus", "Revenus", "determinants")
OTHER_DETERMINANTS = Family("autres-determinants", "Autres conditions de vie", "determinants")
HEALTH_STATUS = Family("etat-de-sante", "État de santé", "health")
PREVENTION = Family("prevention", "Prévention et recours aux soins", "health")

#: Display order: the four determinants named by the recommendation, other living conditions, then health.
FAMILIES = (HOUSING, EMPLOYMENT, EDUCATION, INCOME, OTHER_DETERMINANTS, HEALTH_STATUS, PREVENTION)
BY_CODE = {family.code: family for family in FAMILIES}
SIDES = {"determinants": "Déterminants sociaux de la santé", "health": "Santé"}

#: (family, keywords) in the order they are tried; keywords are folded (no accents, lower case).
_RULES: tuple[tuple[Family, tuple[str, ...]], ...] = (
    (PREVENTION, ("depistage", "vaccin", "recours", "consultation", "prevention", "couverture vaccinale",
                  "medecin traitant", "acces aux soins", "offre de soins")),
    (HEALTH_STATUS, ("mortalit", "deces", "esperance de vie", "hospitalis", "diabete", "cancer", "morbidit",
                     "affection de longue duree", "ald", "obesite", "surpoids", "sante", "maladie", "suicide",
                     "naissance", "prematur")),
    (HOUSING, ("logement", "hlm", "suroccup", "surpeupl", "chauffage", "proprietaire", "locataire", "habitat",
               "insalubr")),
    (EDUCATION, ("diplom", "bachelier", "baccalaureat", "etudes", "scolaris", "education", "decrochage",
                 "illettrisme")),
    (EMPLOYMENT, ("chomage", "chomeur", "emploi", "ouvrier", "actifs", "activite", "cadre", "precaire", "travail")),
    (INCOME, ("revenu", "pauvrete", "niveau de vie", "minima", "rsa", "allocataire", "salaire", "css", "cmu")),
)


def fold(text: str) -> str:
    """Lower case without accents (« Ménages » → « menages »)."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return text.lower()


def _words(text: str) -> str:
    return " " + " ".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split()) + " "


def family_of(code: str, label: str = "", theme: str = "", *, overrides: Mapping[str, str] | None = None) -> Family:
    """The family of an indicator. ``overrides`` maps indicator codes to family codes
    (:data:`BY_CODE`); unknown family codes are ignored."""
    if overrides and code in overrides and overrides[code] in BY_CODE:
        return BY_CODE[overrides[code]]
    # the label speaks first: a theme such as « Conditions socio-économiques » is too broad to decide
    for source in (label, code.replace("-", " ").replace("_", " "), theme):
        words = _words(source)
        for family, keywords in _RULES:
            # short keywords (ald, rsa, css, edi…) must be whole words; longer ones may start a word
            if any((f" {k} " in words) if len(k) <= 4 else (f" {k}" in words) for k in keywords):
                return family
    return OTHER_DETERMINANTS
