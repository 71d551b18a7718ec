"""Catalogue entries of the portfolio analysis (codes prefixed ``portfolio_``)."""

from equisante.errors import EquisanteError, declare


class PortfolioError(EquisanteError, ValueError):
    """A portfolio that cannot be analysed as given, or an invalid rule or threshold."""


declare("portfolio_duplicate_sheet", "Fiche-action en double",
        "La fiche-action « {code} » du contrat « {contract} » figure {count} fois dans le portefeuille : "
        "chaque fiche ne doit être comptée qu'une fois.")
declare("portfolio_rule_invalid", "Règle de correspondance invalide",
        "La règle « {rule} » cite « {id} », qui n'est pas {expected} de la grille {version}.")
declare("portfolio_threshold_invalid", "Seuil invalide",
        "Le seuil « {name} » vaut {value!r} ; attendu : {expected}.")
