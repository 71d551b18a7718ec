"""What each method needs, and the standard index definitions (pure data and checks, no database).

A definition maps each *input role* of a method to an indicator code of the catalogue:

- IDH-2: ``life_expectancy`` (years), ``diploma_share`` (%), ``income`` (€ per consumption unit);
- FDep: ``income``, ``bac_share``, ``blue_collar_share``, ``unemployment``;
- EDI: the ten keywords of :data:`equisante.indices.EDI_WEIGHTS`;
- composite: a list of ``{"indicator", "direction" (favourable | adverse), "weight"}``.

:func:`standard_definitions` builds the three published indices for a given set of indicator codes
(the demonstration region's by default); :func:`check_definition` validates a definition before it
is stored, with French messages that say which input or parameter is wrong.
"""

from __future__ import annotations

import equisante.prioritisation.problems  # noqa: F401  (declares the error codes raised here)

from collections.abc import Mapping

from equisante.errors import EquisanteError
from equisante.indices import EDI_WEIGHTS, CompositeSpec
from equisante.indices.errors import IndicesInputError

#: Input roles of each method, in the order of the core functions' arguments.
ROLES: dict[str, tuple[str, ...]] = {
    "idh2": ("life_expectancy", "diploma_share", "income"),
    "fdep": ("income", "bac_share", "blue_collar_share", "unemployment"),
    "edi": tuple(EDI_WEIGHTS),
}
#: Role names in French, for pages and messages.
ROLE_LABELS = {
    "life_expectancy": "espérance de vie à la naissance",
    "diploma_share": "part des diplômés (15 ans ou plus non scolarisés)",
    "income": "revenu médian par unité de consommation",
    "bac_share": "part des bacheliers (15 ans ou plus non scolarisés)",
    "blue_collar_share": "part des ouvriers parmi les actifs",
    "unemployment": "taux de chômage",
    "overcrowding": "logements suroccupés",
    "no_heating": "logements sans chauffage central ni électrique",
    "non_owner": "ménages non propriétaires",
    "foreign": "nationalité étrangère",
    "no_car": "ménages sans voiture",
    "unskilled_workers": "ouvriers non qualifiés ou agricoles",
    "large_households": "ménages de plus de 6 personnes",
    "low_education": "faible niveau d'études",
    "single_parent": "familles monoparentales",
}
#: Parameters accepted by each method (passed to the core function as keyword arguments).
PARAMETERS: dict[str, tuple[str, ...]] = {
    "idh2": ("bounds", "log_income", "clip"),
    "fdep": ("weights",),
    "edi": ("standardise", "reference", "reference_territory", "weights"),
    "composite": ("normalisation",),
}
METHODS = ("idh2", "fdep", "edi", "composite")
#: Direction of each published method (composites are oriented so that higher = better).
HIGHER_IS_WORSE = {"idh2": False, "fdep": True, "edi": True, "composite": False}

#: Indicator codes of the demonstration region (``equisante.demo.generator.catalogue``).
DEMO_CODES = {
    "life_expectancy": "demo-esperance-vie",
    "diploma_share": "demo-part-diplomes",
    "income": "demo-revenu-median-uc",
    "bac_share": "demo-part-bacheliers",
    "blue_collar_share": "demo-part-ouvriers",
    "unemployment": "demo-taux-chomage",
    "overcrowding": "demo-edi-surpeuplement",
    "no_heating": "demo-edi-sans-chauffage",
    "non_owner": "demo-edi-non-proprietaires",
    "foreign": "demo-edi-etrangers",
    "no_car": "demo-edi-sans-voiture",
    "unskilled_workers": "demo-edi-ouvriers-non-qualifies",
    "large_households": "demo-edi-menages-6-personnes",
    "low_education": "demo-edi-faible-niveau-etudes",
    "single_parent": "demo-edi-familles-monoparentales",
}


def standard_definitions(codes: Mapping[str, str] = DEMO_CODES) -> list[dict]:
    """IDH-2, FDep and EDI as definitions (dictionaries with the fields of ``IndexDefinition``),
    their inputs taken from ``codes`` (role → indicator code)."""
    return [
        {
            "code": "idh2",
            "label": "IDH-2",
            "method": "idh2",
            "inputs": {role: codes[role] for role in ROLES["idh2"]},
            "parameters": {"log_income": False},
            "higher_is_worse": False,
            "base_level": "commune",
            "aggregation": "weighted_mean",
            "description": (
                "Indice de développement humain adapté (Île-de-France) : moyenne de trois indices "
                "(santé, éducation, revenu), chacun (valeur − plancher) / (plafond − plancher), plancher et "
                "plafond observés sur les communes. Plus élevé = plus développé. Niveaux supérieurs : "
                "moyenne des communes pondérée par la population."),
            "reference": "STATS_METHODS §8 ; règle « IDH-2 < 0,52 » de l'ARS (rapport d'évaluation des CLS d'Île-de-France, 2014).",
        },
        {
            "code": "fdep",
            "label": "FDep",
            "method": "fdep",
            "inputs": {role: codes[role] for role in ROLES["fdep"]},
            "parameters": {},
            "higher_is_worse": True,
            "base_level": "commune",
            "aggregation": "weighted_mean",
            "description": (
                "Indice de défavorisation (Rey et al. 2009) : première composante principale des quatre "
                "variables standardisées, orientée pour que plus élevé = plus défavorisé. Niveaux "
                "supérieurs : moyenne des communes pondérée par la population."),
            "reference": "Rey G, Jougla E, Fouillet A, Hémon D. BMC Public Health 2009;9:33.",
        },
        {
            "code": "edi",
            "label": "EDI (version française)",
            "method": "edi",
            "inputs": {role: codes[role] for role in ROLES["edi"]},
            "parameters": {"standardise": "centre"},
            "higher_is_worse": True,
            "base_level": "commune",
            "aggregation": "direct",
            "description": (
                "Indice européen de défavorisation, version française : somme pondérée des dix "
                "proportions centrées sur leur moyenne (ici celle des territoires du niveau calculé, faute "
                "de moyennes nationales). Plus élevé = plus défavorisé. Calculé directement à chaque niveau "
                "à partir de ses propres proportions (l'IRIS est le niveau de la publication)."),
            "reference": "Pornet C et al. J Epidemiol Community Health 2012;66:982-989.",
        },
    ]


def _invalid(code: str, why: str) -> EquisanteError:
    return EquisanteError("prioritisation_inputs_invalid", code=code, why=why)


def composite_spec(code: str, inputs, parameters: Mapping) -> CompositeSpec:
    """The core :class:`~equisante.indices.CompositeSpec` of a composite definition; its variables
    are named after the indicator codes."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise _invalid(code, "un indice composite liste ses variables : [{indicator, direction, weight}, …]")
    variables, weights = {}, {}
    for position, entry in enumerate(inputs, start=1):
        if not isinstance(entry, Mapping) or "indicator" not in entry:
            raise _invalid(code, f"variable n° {position} : attendu un dictionnaire avec au moins « indicator »")
        unknown = sorted(set(entry) - {"indicator", "direction", "weight"})
        if unknown:
            raise _invalid(code, f"variable n° {position} : clé inconnue « {unknown[0]} » "
                                 "(clés acceptées : indicator, direction, weight)")
        indicator = str(entry["indicator"])
        if indicator in variables:
            raise _invalid(code, f"l'indicateur « {indicator} » figure deux fois")
        variables[indicator] = entry.get("direction", "favourable")
        weights[indicator] = entry.get("weight", 1.0)
    try:
        return CompositeSpec(variables=variables, weights=weights,
                             normalisation=parameters.get("normalisation", "minmax"), name="index")
    except IndicesInputError as exc:
        raise _invalid(code, exc.message.rstrip(".")) from None


def indicator_codes(method: str, inputs) -> dict[str, str]:
    """Role (or, for composites, the indicator itself) → indicator code."""
    if method == "composite":
        return {str(e["indicator"]): str(e["indicator"]) for e in inputs}
    # in the method's order: PostgreSQL (jsonb) does not keep the keys in the order they were written
    order = {role: i for i, role in enumerate(ROLES.get(method, ()))}
    return {role: str(code) for role, code in sorted(inputs.items(), key=lambda item: order.get(item[0], 99))}


def check_definition(code: str, method: str, inputs, parameters) -> None:
    """Refuse (``EquisanteError``, French message) a definition whose inputs or parameters do not
    fit its method. Indicator codes are checked against the catalogue by the application."""
    if method not in METHODS:
        raise EquisanteError("prioritisation_method_unknown", method=method, accepted=", ".join(METHODS))
    parameters = parameters or {}
    if not isinstance(parameters, Mapping):
        raise EquisanteError("prioritisation_parameters_invalid", code=code, parameter="(ensemble)",
                             why="attendu un dictionnaire nom → valeur")
    unknown = sorted(set(parameters) - set(PARAMETERS[method]))
    if unknown:
        raise EquisanteError("prioritisation_parameters_invalid", code=code, parameter=unknown[0],
                             why=f"inconnu pour la méthode {method} (paramètres acceptés : "
                                 f"{', '.join(PARAMETERS[method])})")
    if method == "composite":
        composite_spec(code, inputs, parameters)
        return
    if not isinstance(inputs, Mapping):
        raise _invalid(code, "attendu un dictionnaire entrée → code d'indicateur")
    expected = ROLES[method]
    missing = [role for role in expected if not inputs.get(role)]
    if missing:
        what = "entrée sans indicateur" if len(missing) < 2 else "entrées sans indicateur"
        raise _invalid(code, f"{what} : {', '.join(missing)} (entrées de {method} : "
                             f"{', '.join(expected)})")
    extra = sorted(set(inputs) - set(expected))
    if extra:
        raise _invalid(code, f"entrée « {extra[0]} » inconnue pour {method} (entrées : {', '.join(expected)})")
    anchor = parameters.get("reference_territory")
    if anchor is not None and (not isinstance(anchor, Mapping) or set(anchor) != {"level", "code"}):
        raise EquisanteError("prioritisation_parameters_invalid", code=code, parameter="reference_territory",
                             why="attendu {level, code} du territoire dont les proportions servent de moyennes "
                                 "de référence (ex. {level: region, code: XR})")
    weights = parameters.get("weights")
    if weights not in (None, "population"):
        raise EquisanteError("prioritisation_parameters_invalid", code=code, parameter="weights",
                             why="seule la valeur « population » (pondération par la population) est acceptée")
