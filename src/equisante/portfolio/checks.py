"""The twelve recommendations of seed 004 (« éléments de préconisation ») and the further checks of
its body, as checks over a contract, its portfolio of action sheets, or one sheet (DOMAIN §5).

Each result says what was checked (``id``, French ``title``, ``level``: ``contract`` /
``portfolio`` / ``action``), how it stands (``status``: ``satisfait``, ``à renforcer``,
``non renseigné``), why (``evidence``, with the figures), by which ``rule`` (thresholds spelt out)
and from which recommendation (``source``). « Non renseigné » means the information needed is
missing — never that the answer is no. Thresholds are not in the seed unless quoted: they are
judgements, gathered in :class:`Thresholds` so that the agency can set its own.

>>> from equisante.actionsheets import ActionSheet
>>> results = run_checks([ActionSheet("C", "F1", title="Ateliers", strategies=("S1.2",),
...                                   approach="universalisme")])
>>> next(r.status for r in results if r.id == "R0a")
'à renforcer'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields

import pandas as pd

from equisante.numbers import french_number, french_percent, plural

from equisante.actionsheets.model import HEALTH_SECTOR, ActionSheet, ContractFacts
from equisante.grid.reference import Grid, load_grid
from equisante.portfolio import publics
from equisante.portfolio.balance import (
    DEFAULT_RISK_RULE, DEFAULT_STRATEGY_RULES, RiskRule, StrategyRule, families_of,
)
from equisante.portfolio.coding import has_any, only_within, unique_sheets
from equisante.portfolio.errors import PortfolioError
from equisante.portfolio.tables import percent

SATISFIED = "satisfait"
TO_STRENGTHEN = "à renforcer"
NOT_FILLED = "non renseigné"
STATUSES = (SATISFIED, TO_STRENGTHEN, NOT_FILLED)

CONTRACT, PORTFOLIO, ACTION = "contract", "portfolio", "action"
LEVELS = {CONTRACT: "Contrat", PORTFOLIO: "Portefeuille de fiches-action", ACTION: "Fiche-action"}


@dataclass(frozen=True)
class Thresholds:
    """The configurable figures of the checks (shares in percent, 0–100). Defaults are judgements
    except ``lever_share`` (80 %, quoted in seed 004)."""

    #: R6a: coordinator post, full-time equivalents at least (a half-time post is criticised).
    coordinator_fte: float = 1.0
    #: R1b: sheets stating how they contribute to reducing ISTS, percent at least (« chaque fiche »).
    ists_contribution_share: float = 100.0
    #: R1c: sheets with quantified objectives, percent at least.
    quantified_share: float = 50.0
    #: R2a: sheets acting on behaviours only (D4.1), percent of coded sheets at most.
    behaviour_only_share: float = 50.0
    #: R0a: sheets at risk of widening inequalities, percent at most.
    risk_share: float = 10.0
    #: R3b: life-course stages covered, at least (of 6).
    life_stages: int = 4
    #: R4a: publics of the wide definition of precarity targeted, at least (of 7).
    precarity_publics: int = 2
    #: B2: steering-committee meetings a year, at least.
    copil_meetings_per_year: int = 1
    #: B16: sheets acting on known levers against ISTS, percent at least (quoted: 80 %).
    lever_share: float = 80.0

    def validate(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            is_share = f.name.endswith("_share")
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value) and value >= 0
            if ok and is_share:
                ok = value <= 100
            if not ok:
                expected = "un pourcentage entre 0 et 100" if is_share else "un nombre positif ou nul"
                raise PortfolioError("portfolio_threshold_invalid", name=f.name, value=value, expected=expected)


@dataclass(frozen=True)
class CheckResult:
    """One check applied to one subject (a contract code, or « contrat/fiche » for a sheet)."""

    id: str
    title: str
    level: str
    status: str
    evidence: str
    rule: str
    source: str
    subject: str
    value: float | None = None
    threshold: float | None = None

    def as_row(self) -> dict:
        return {"id": self.id, "title": self.title, "level": self.level, "subject": self.subject,
                "status": self.status, "value": self.value, "threshold": self.threshold,
                "evidence": self.evidence, "rule": self.rule, "source": self.source}


CHECK_COLUMNS = ("id", "title", "level", "subject", "status", "value", "threshold", "evidence", "rule", "source")


@dataclass
class Context:
    """What a check reads: the sheets of one portfolio, the contract's facts, settings."""

    sheets: list[ActionSheet]
    facts: ContractFacts | None
    thresholds: Thresholds
    grid: Grid
    rules: Sequence[StrategyRule]
    risk_rule: RiskRule
    subject: str


@dataclass(frozen=True)
class Check:
    """A check's identity and its function (returns (status, evidence, value) per subject)."""

    id: str
    title: str
    level: str
    source: str
    rule: Callable[[Thresholds], str]
    run: Callable[[Context], list[tuple[str, str, str, float | None, float | None]]]


CHECKS: list[Check] = []


def _check(id: str, title: str, level: str, source: str, rule: Callable[[Thresholds], str] | str):
    def register(function):
        CHECKS.append(Check(id, title, level, source, rule if callable(rule) else (lambda t, r=rule: r), function))
        return function
    return register


def _one(ctx: Context, status: str, evidence: str, value: float | None = None, threshold: float | None = None):
    return [(ctx.subject, status, evidence, value, threshold)]


def _verb(count: int, singular: str, plural_form: str) -> str:
    """The verb (or phrase) agreeing with a count, the French way: singular below 2."""
    return singular if abs(count) < 2 else plural_form


def _share_status(share: float, minimum: float) -> str:
    return SATISFIED if share >= minimum else TO_STRENGTHEN


def _codes(sheets: Iterable[ActionSheet], limit: int = 8) -> str:
    codes = [s.code for s in sheets]
    shown = ", ".join(codes[:limit])
    return shown + (f" et {plural(len(codes) - limit, 'autre')}" if len(codes) > limit else "")


def _fact(ctx: Context, name: str, yes: str, no: str):
    value = None if ctx.facts is None else getattr(ctx.facts, name)
    if value is None:
        return _one(ctx, NOT_FILLED, "Information non renseignée pour ce contrat.")
    return _one(ctx, SATISFIED if value else TO_STRENGTHEN, yes if value else no)


def _some_sheets(ctx: Context, wanted: Callable[[ActionSheet], bool], none_text: str):
    """A portfolio check met by at least one coded sheet for which ``wanted`` holds (its codes are the
    evidence); not filled when no sheet is coded."""
    if not _coded(ctx):
        return _one(ctx, NOT_FILLED, "Aucune fiche n'est codée sur la grille.")
    found = [s for s in ctx.sheets if wanted(s)]
    if found:
        return _one(ctx, SATISFIED, f"{plural(len(found), 'fiche')} : {_codes(found)}.", len(found))
    return _one(ctx, TO_STRENGTHEN, none_text, 0)


def _coded(ctx: Context) -> list[ActionSheet]:
    return [s for s in ctx.sheets if s.determinants or s.strategies]


# --- Preamble: sheets that could widen inequalities ----------------------------------------------

@_check("R0a", "Part des fiches-action à risque d'accroître les inégalités", PORTFOLIO,
        "Préambule des préconisations (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        lambda t: f"Fiches d'information ou d'éducation seule en approche universelle : au plus {french_number(t.risk_share)} % des fiches.")
def _risk_share(ctx: Context):
    judged = [s for s in ctx.sheets if s.strategies and s.approach]
    if not judged:
        return _one(ctx, NOT_FILLED, "Aucune fiche n'a à la fois des stratégies et un type d'approche codés.")
    flagged = [s for s in ctx.sheets if ctx.risk_rule.matches(s, ctx.grid)]
    share = percent(len(flagged), len(ctx.sheets))
    evidence = f"{plural(len(flagged), 'fiche')} sur {len(ctx.sheets)} ({french_percent(share)}) à risque"
    evidence += f" : {_codes(flagged)}." if flagged else "."
    return _one(ctx, SATISFIED if share <= ctx.thresholds.risk_share else TO_STRENGTHEN, evidence, share,
                ctx.thresholds.risk_share)


@_check("R0b", "Fiche-action à risque d'accroître les inégalités", ACTION,
        "Préambule des préconisations (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        lambda t: DEFAULT_RISK_RULE.statement())
def _risk_sheet(ctx: Context):
    out = []
    for sheet in ctx.sheets:
        subject = f"{sheet.contract}/{sheet.code}"
        if not sheet.strategies or not sheet.approach:
            out.append((subject, NOT_FILLED, "Stratégies ou type d'approche non codés.", None, None))
        elif ctx.risk_rule.matches(sheet, ctx.grid):
            out.append((subject, TO_STRENGTHEN, f"Seulement {', '.join(sheet.strategies)} en approche {sheet.approach} : "
                        "cibler les publics les plus éloignés (universalisme proportionné) ou agir sur les "
                        "conditions de vie.", None, None))
        else:
            out.append((subject, SATISFIED, "La fiche ne relève pas de la seule information ou éducation en "
                        "approche universelle.", None, None))
    return out


# --- 1. Make ISTS reduction an explicit objective ------------------------------------------------

@_check("R1a", "Réduction des ISTS inscrite comme objectif explicite du contrat", CONTRACT,
        "Préconisation 1 (rapport d'évaluation des CLS d'Île-de-France, 2014)", "Le contrat affiche la réduction des ISTS comme objectif général.")
def _ists_objective(ctx: Context):
    return _fact(ctx, "ists_objective", "La réduction des ISTS est un objectif explicite du contrat.",
                 "Le contrat n'affiche pas la réduction des ISTS comme objectif.")


@_check("R1b", "Contribution de chaque fiche-action à la réduction des ISTS", PORTFOLIO,
        "Préconisation 1 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        lambda t: f"Au moins {french_number(t.ists_contribution_share)} % des fiches disent comment elles contribuent à réduire les ISTS.")
def _ists_contribution(ctx: Context):
    known = [s for s in ctx.sheets if s.ists_contribution is not None]
    if not known:
        return _one(ctx, NOT_FILLED, "Aucune fiche ne renseigne sa contribution à la réduction des ISTS.")
    yes = [s for s in known if s.ists_contribution]
    share = percent(len(yes), len(ctx.sheets))
    evidence = (f"{plural(len(yes), 'fiche')} sur {len(ctx.sheets)} ({french_percent(share)}) "
                f"{_verb(len(yes), 'le dit', 'le disent')} ; "
                f"{plural(len(ctx.sheets) - len(known), 'non renseignée', 'non renseignées')}.")
    return _one(ctx, _share_status(share, ctx.thresholds.ists_contribution_share), evidence, share,
                ctx.thresholds.ists_contribution_share)


@_check("R1c", "Objectifs chiffrés", PORTFOLIO, "Préconisation 1 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        lambda t: f"Au moins {french_number(t.quantified_share)} % des fiches ont des objectifs chiffrés (cible, valeur de départ ou indicateur).")
def _quantified(ctx: Context):
    known = [s for s in ctx.sheets if s.quantified_targets is not None]
    if not known:
        return _one(ctx, NOT_FILLED, "Aucune fiche ne renseigne si ses objectifs sont chiffrés.")
    yes = [s for s in known if s.quantified_targets]
    share = percent(len(yes), len(ctx.sheets))
    evidence = (f"{plural(len(yes), 'fiche')} sur {len(ctx.sheets)} ({french_percent(share)}) "
                f"{_verb(len(yes), 'a', 'ont')} des objectifs chiffrés ; "
                f"{plural(len(ctx.sheets) - len(known), 'non renseignée', 'non renseignées')}.")
    return _one(ctx, _share_status(share, ctx.thresholds.quantified_share), evidence, share,
                ctx.thresholds.quantified_share)


# --- 2. Strategies likely to reduce ISTS ---------------------------------------------------------

@_check("R2a", "Action sur les déterminants sociaux et environnementaux, pas seulement les comportements",
        PORTFOLIO, "Préconisation 2 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        lambda t: f"Fiches ne visant que des comportements (D4.1) : au plus {french_number(t.behaviour_only_share)} % des fiches codées en déterminants.")
def _beyond_behaviour(ctx: Context):
    coded = [s for s in ctx.sheets if s.determinants]
    if not coded:
        return _one(ctx, NOT_FILLED, "Aucune fiche n'est codée en déterminants.")
    behaviour_only = [s for s in coded if only_within(s.determinants, ("D4.1",), ctx.grid)]
    structural = [s for s in coded if has_any(s.determinants, ("D1", "D2", "D3", "D6"), ctx.grid)]
    share = percent(len(behaviour_only), len(coded))
    evidence = (f"{plural(len(behaviour_only), 'fiche')} sur {len(coded)} ({french_percent(share)}) "
                f"{_verb(len(behaviour_only), 'ne vise', 'ne visent')} que des comportements ; "
                f"{len(structural)} ({french_percent(percent(len(structural), len(coded)))}) "
                f"{_verb(len(structural), 'vise', 'visent')} les conditions "
                "socio-économiques, de vie, l'environnement social ou le contexte politique (D1, D2, D3, D6).")
    return _one(ctx, SATISFIED if share <= ctx.thresholds.behaviour_only_share else TO_STRENGTHEN, evidence,
                share, ctx.thresholds.behaviour_only_share)


@_check("R2b", "Partenariat intersectoriel avec des secteurs hors santé", PORTFOLIO,
        "Préconisation 2 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Au moins une fiche codée S5.1 (partenariat intersectoriel) a un partenaire d'un secteur hors santé.")
def _intersectoral(ctx: Context):
    s51 = [s for s in ctx.sheets if has_any(s.strategies, ("S5.1",), ctx.grid)]
    if not s51:
        if not _coded(ctx):
            return _one(ctx, NOT_FILLED, "Aucune fiche n'est codée sur la grille.")
        return _one(ctx, TO_STRENGTHEN, "Aucune fiche ne développe de partenariat intersectoriel (S5.1).", 0)
    with_sectors = [s for s in s51 if s.partner_sectors]
    if not with_sectors:
        return _one(ctx, NOT_FILLED, f"{plural(len(s51), 'fiche')} S5.1 ({_codes(s51)}) mais aucun secteur de partenaire "
                    "renseigné.")
    beyond = [s for s in with_sectors if set(s.partner_sectors) - {HEALTH_SECTOR}]
    if beyond:
        return _one(ctx, SATISFIED, f"{plural(len(beyond), 'fiche')} S5.1 avec un partenaire hors santé : {_codes(beyond)}.",
                    len(beyond))
    if len(with_sectors) == 1:
        return _one(ctx, TO_STRENGTHEN, "La fiche S5.1 renseignée n'a que des partenaires du secteur de la santé.", 0)
    return _one(ctx, TO_STRENGTHEN, f"Les {len(with_sectors)} fiches S5.1 renseignées n'ont que des partenaires "
                "du secteur de la santé.", 0)


@_check("R2c", "Renforcement du pouvoir d'agir (empowerment) des habitants et des groupes", PORTFOLIO,
        "Préconisation 2 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Au moins une fiche codée S2 (capacités des communautés) ou D3.3 (empowerment de la communauté).")
def _empowerment(ctx: Context):
    return _some_sheets(ctx, lambda s: has_any(s.strategies, ("S2",), ctx.grid) or has_any(s.determinants, ("D3.3",), ctx.grid),
                        "Aucune fiche ne renforce les capacités des communautés ni leur pouvoir d'agir.")


# --- 3. Act early and all life long --------------------------------------------------------------

def _publics_known(ctx: Context) -> bool:
    return any(s.publics for s in ctx.sheets)


@_check("R3a", "Actions dès la périnatalité et l'enfance", PORTFOLIO, "Préconisation 3 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Au moins une fiche vise la périnatalité, la petite enfance, les parents ou les enfants (publics ou titre).")
def _early(ctx: Context):
    if not _publics_known(ctx):
        return _one(ctx, NOT_FILLED, "Aucune fiche ne renseigne ses publics.")
    found = publics.groups_of_portfolio(ctx.sheets, publics.LIFE_STAGES)
    codes = sorted({c for stage in publics.EARLY_STAGES for c in found[stage]})
    if codes:
        return _one(ctx, SATISFIED, f"{plural(len(codes), 'fiche')} pour les tout-petits, les parents ou les enfants : "
                    f"{', '.join(c.split('/', 1)[1] for c in codes[:8])}{' …' if len(codes) > 8 else ''}.", len(codes))
    return _one(ctx, TO_STRENGTHEN, "Aucune fiche ne vise la périnatalité, la petite enfance ou les enfants.", 0)


@_check("R3b", "Tous les âges de la vie couverts", PORTFOLIO, "Préconisation 3 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        lambda t: f"Au moins {t.life_stages} des 6 étapes de la vie (périnatalité, petite enfance, enfance, jeunesse, "
                  "âge adulte, vieillesse) sont visées.")
def _life_course(ctx: Context):
    if not _publics_known(ctx):
        return _one(ctx, NOT_FILLED, "Aucune fiche ne renseigne ses publics.")
    found = publics.groups_of_portfolio(ctx.sheets, publics.LIFE_STAGES)
    labels = publics.group_labels(publics.LIFE_STAGES)
    covered = [labels[k] for k, v in found.items() if v]
    missing = [labels[k] for k, v in found.items() if not v]
    evidence = f"{plural(len(covered), 'étape couverte', 'étapes couvertes')} : {', '.join(covered) or 'aucune'}"
    evidence += f" ; absentes : {', '.join(missing)}." if missing else "."
    return _one(ctx, SATISFIED if len(covered) >= ctx.thresholds.life_stages else TO_STRENGTHEN, evidence,
                len(covered), ctx.thresholds.life_stages)


# --- 4. A wide definition of precarity -----------------------------------------------------------

@_check("R4a", "Définition large des situations de précarité", PORTFOLIO, "Préconisation 4 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        lambda t: f"Au moins {t.precarity_publics} des publics de la définition large de la précarité sont visés "
                  "(détenus, étrangers en situation irrégulière, personnes se prostituant, emploi précaire, jeunes "
                  "en rupture, familles monoparentales, chômeurs).")
def _precarity(ctx: Context):
    if not _publics_known(ctx):
        return _one(ctx, NOT_FILLED, "Aucune fiche ne renseigne ses publics.")
    found = publics.groups_of_portfolio(ctx.sheets, publics.PRECARITY_PUBLICS)
    labels = publics.group_labels(publics.PRECARITY_PUBLICS)
    covered = [labels[k] for k, v in found.items() if v]
    noted = [labels[k] for k in publics.NOTED_MISSING if not found[k]]
    evidence = f"{plural(len(covered), 'public visé', 'publics visés')} : {', '.join(covered) or 'aucun'}"
    if noted:
        evidence += f" ; non visés alors que l'étude les signalait absents : {', '.join(noted)}"
    return _one(ctx, SATISFIED if len(covered) >= ctx.thresholds.precarity_publics else TO_STRENGTHEN,
                evidence + ".", len(covered), ctx.thresholds.precarity_publics)


# --- 5. Balance the three strategies -------------------------------------------------------------

@_check("R5a", "Équilibre des trois stratégies (rattrapage, nivellement, réduction du gradient)", PORTFOLIO,
        "Préconisation 5 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        lambda t: "Chacune des trois stratégies a au moins une fiche (règles de correspondance : "
                  + " ".join(r.statement() for r in DEFAULT_STRATEGY_RULES) + ")")
def _three_strategies(ctx: Context):
    if not _coded(ctx):
        return _one(ctx, NOT_FILLED, "Aucune fiche n'est codée sur la grille.")
    counts = {r.id: 0 for r in ctx.rules}
    for sheet in ctx.sheets:
        for family in families_of(sheet, ctx.rules, ctx.grid):
            counts[family] += 1
    detail = ", ".join(f"{r.label} : {counts[r.id]}" for r in ctx.rules)
    missing = [r.label for r in ctx.rules if counts[r.id] == 0]
    if missing:
        return _one(ctx, TO_STRENGTHEN, f"{detail} ; sans aucune fiche : {', '.join(missing)}.", len(ctx.rules) - len(missing))
    return _one(ctx, SATISFIED, f"{detail}.", len(ctx.rules))


@_check("R5b", "Universalisme proportionné présent", PORTFOLIO, "Préconisation 5 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Au moins une fiche en universalisme proportionné.")
def _proportionate(ctx: Context):
    coded = [s for s in ctx.sheets if s.approach]
    if not coded:
        return _one(ctx, NOT_FILLED, "Aucune fiche n'a de type d'approche codé.")
    counts = {a.id: sum(1 for s in coded if s.approach == a.id) for a in ctx.grid.approaches()}
    detail = ", ".join(f"{ctx.grid.node(k).label} : {v}" for k, v in counts.items())
    up = counts.get("universalisme-proportionne", 0)
    return _one(ctx, SATISFIED if up else TO_STRENGTHEN, f"{detail} ({plural(len(ctx.sheets) - len(coded), 'non renseignée', 'non renseignées')}).", up)


# --- 6. Empower the local « chevilles ouvrières » ------------------------------------------------

@_check("R6a", "Poste de coordination du contrat", CONTRACT, "Préconisation 6 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        lambda t: f"Un poste de coordination d'au moins {french_number(t.coordinator_fte)} ETP.")
def _coordinator(ctx: Context):
    fte = None if ctx.facts is None else ctx.facts.coordinator_fte
    if fte is None:
        return _one(ctx, NOT_FILLED, "Poste de coordination non renseigné.")
    if fte <= 0:
        return _one(ctx, TO_STRENGTHEN, "Aucun poste de coordination.", 0.0, ctx.thresholds.coordinator_fte)
    status = SATISFIED if fte >= ctx.thresholds.coordinator_fte else TO_STRENGTHEN
    return _one(ctx, status, f"Coordination : {french_number(fte)} ETP.", float(fte), ctx.thresholds.coordinator_fte)


@_check("R6b", "Équipe projet pluridisciplinaire", CONTRACT, "Préconisation 6 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "L'équipe projet ne réunit pas que des spécialistes de la santé.")
def _project_team(ctx: Context):
    return _fact(ctx, "project_team_pluridisciplinary", "L'équipe projet est pluridisciplinaire.",
                 "L'équipe projet ne réunit que des professionnels de santé.")


# --- 7. A shared culture -------------------------------------------------------------------------

@_check("R7a", "Formation et coordination des acteurs hors santé", PORTFOLIO,
        "Préconisations 6 et 7 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Au moins une fiche codée S5.1.4 (formation des acteurs hors santé) ou S5.1.2 (coordination des acteurs "
        "sanitaires et non sanitaires).")
def _shared_culture(ctx: Context):
    return _some_sheets(ctx, lambda s: has_any(s.strategies, ("S5.1.4", "S5.1.2"), ctx.grid),
                        "Aucune fiche ne forme ni ne coordonne les acteurs hors santé.")


@_check("R7b", "Responsabilité partagée des secteurs hors santé affirmée", CONTRACT, "Préconisation 7 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Le contrat affirme la responsabilité des secteurs hors santé dans la santé de la population.")
def _shared_responsibility(ctx: Context):
    return _fact(ctx, "shared_responsibility_stated", "Le contrat affirme cette responsabilité partagée.",
                 "Le contrat ne l'affirme pas.")


# --- 8. Participation of residents ---------------------------------------------------------------

@_check("R8a", "Habitants associés au diagnostic", CONTRACT, "Préconisation 8 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Les habitants ont participé au diagnostic (questionnaire, réunions, restitution publique).")
def _diagnosis_residents(ctx: Context):
    return _fact(ctx, "diagnosis_with_residents", "Les habitants ont participé au diagnostic.",
                 "Les habitants n'ont pas participé au diagnostic.")


@_check("R8b", "Participation des habitants dans les fiches-action, pas seulement au diagnostic", PORTFOLIO,
        "Préconisation 8 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Au moins une fiche codée S2.1 ou D3.3.1, ou déclarant la participation des habitants à sa conception "
        "ou à son évaluation.")
def _participation(ctx: Context):
    found = [s for s in ctx.sheets if s.resident_participation
             or has_any(s.strategies, ("S2.1",), ctx.grid) or has_any(s.determinants, ("D3.3.1",), ctx.grid)]
    diagnosis = None if ctx.facts is None else ctx.facts.diagnosis_with_residents
    if found:
        return _one(ctx, SATISFIED, f"{plural(len(found), 'fiche')} avec participation des habitants : {_codes(found)}.", len(found))
    if not _coded(ctx) and all(s.resident_participation is None for s in ctx.sheets):
        return _one(ctx, NOT_FILLED, "Ni codage ni participation renseignés dans les fiches.")
    evidence = "Aucune fiche n'associe les habitants"
    if diagnosis:
        evidence += " alors qu'ils ont participé au diagnostic"
    return _one(ctx, TO_STRENGTHEN, evidence + ".", 0)


@_check("R8c", "Habitants ou usagers au comité de pilotage", CONTRACT, "Préconisation 8 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Des habitants ou des représentants d'usagers siègent au comité de pilotage.")
def _copil_residents(ctx: Context):
    return _fact(ctx, "residents_in_copil", "Des habitants ou usagers siègent au comité de pilotage.",
                 "Aucun habitant ni usager au comité de pilotage.")


# --- 9. Observation of ISTS ----------------------------------------------------------------------

@_check("R9a", "Diagnostic portant sur les déterminants de la santé", CONTRACT, "Préconisation 9 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Le diagnostic couvre logement, emploi, éducation, environnement — pas seulement l'offre et la consommation de soins.")
def _diagnosis_determinants(ctx: Context):
    return _fact(ctx, "diagnosis_covers_determinants", "Le diagnostic couvre les déterminants de la santé.",
                 "Le diagnostic se limite à l'offre de soins et aux indicateurs de santé.")


# --- 10. Services working together ---------------------------------------------------------------

_SOCIAL_PROTECTION_WORDS = ("cpam", "cramif", "caf", "assurance maladie", "msa", "france travail", "pole emploi",
                            "mission locale", "insertion", "cnav", "carsat")
_PUBLIC_POLICY_WORDS = ("prefecture", "prefet", "drihl", "ddcs", "drjscs", "direccte", "dreets", "ddets",
                        "rectorat", "education nationale", "inspection academique", "caf", "conseil departemental",
                        "conseil general", "departement", "politique de la ville")


def _partners_matching(sheets, sectors: set[str], words: Sequence[str]) -> list[ActionSheet]:
    out = []
    for sheet in sheets:
        named = publics.groups_in(" ; ".join(sheet.partners), [publics.PublicGroup("x", "", tuple(words))])
        if set(sheet.partner_sectors) & sectors or named:
            out.append(sheet)
    return out


@_check("R10a", "Autres directions de l'ARS associées", CONTRACT, "Préconisation 10 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Des directions de l'ARS autres que la prévention (offre de soins, médico-social, veille sanitaire) participent.")
def _ars_directions(ctx: Context):
    return _fact(ctx, "other_ars_directions", "D'autres directions de l'ARS participent.",
                 "Seule la direction de la prévention de l'ARS participe.")


@_check("R10b", "Protection sociale, emploi et insertion parmi les partenaires", PORTFOLIO,
        "Préconisation 10 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Au moins une fiche a pour partenaire l'Assurance maladie (CPAM, CRAMIF), la CAF ou un acteur de l'emploi "
        "et de l'insertion (secteur ou nom du partenaire).")
def _social_protection(ctx: Context):
    if not any(s.partners or s.partner_sectors for s in ctx.sheets):
        return _one(ctx, NOT_FILLED, "Aucune fiche ne renseigne ses partenaires.")
    found = _partners_matching(ctx.sheets, {"protection-sociale", "emploi-insertion"}, _SOCIAL_PROTECTION_WORDS)
    if found:
        return _one(ctx, SATISFIED, f"{plural(len(found), 'fiche')} : {_codes(found)}.", len(found))
    return _one(ctx, TO_STRENGTHEN, "Aucune fiche n'associe l'Assurance maladie, la CAF ni l'emploi et l'insertion.", 0)


# --- 11. All the levers of public policy ---------------------------------------------------------

@_check("R11a", "Services de l'État, Éducation nationale, CAF ou Département parmi les partenaires", PORTFOLIO,
        "Préconisation 11 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Au moins une fiche a pour partenaire un service de l'État (préfecture, DRIHL, DDCS, DREETS…), "
        "l'Éducation nationale, la CAF ou le Département.")
def _public_levers(ctx: Context):
    if not any(s.partners or s.partner_sectors for s in ctx.sheets):
        return _one(ctx, NOT_FILLED, "Aucune fiche ne renseigne ses partenaires.")
    found = _partners_matching(ctx.sheets, {"etat", "education"}, _PUBLIC_POLICY_WORDS)
    if found:
        return _one(ctx, SATISFIED, f"{plural(len(found), 'fiche')} : {_codes(found)}.", len(found))
    return _one(ctx, TO_STRENGTHEN, "Aucune fiche n'associe les services de l'État, l'Éducation nationale, la CAF "
                "ni le Département.", 0)


@_check("R11b", "Articulation avec les plans régionaux et le contrat de ville", CONTRACT,
        "Préconisation 11 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Le contrat dit comment il s'articule avec les plans régionaux (PRSE, logement, pauvreté) et le contrat de ville.")
def _plans(ctx: Context):
    return _fact(ctx, "regional_plans_articulated", "L'articulation avec les plans et le contrat de ville est décrite.",
                 "L'articulation avec les plans et le contrat de ville n'est pas décrite.")


# --- 12. Methodological support and evaluation ---------------------------------------------------

@_check("R12a", "Plan d'évaluation du contrat", CONTRACT, "Préconisation 12 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Un plan d'évaluation existe (indicateurs, résultats intermédiaires, responsable).")
def _evaluation_plan(ctx: Context):
    return _fact(ctx, "evaluation_plan", "Un plan d'évaluation existe.", "Pas de plan d'évaluation.")


@_check("R12b", "Étude d'impact ou évaluation de résultats prévue", PORTFOLIO, "Préconisation 12 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Au moins une fiche codée S5.2.4 (évaluation d'impact sur la santé) ou S5.2.3 (évaluation des résultats "
        "d'actions pilotes).")
def _impact_assessment(ctx: Context):
    return _some_sheets(ctx, lambda s: has_any(s.strategies, ("S5.2.4", "S5.2.3"), ctx.grid),
                        "Aucune fiche ne prévoit d'évaluation d'impact ni de résultats.")


@_check("R12c", "Appui méthodologique ou partenariat de recherche", CONTRACT, "Préconisation 12 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Un appui méthodologique (université, IREPS, pôle de compétences) est identifié.")
def _method_support(ctx: Context):
    return _fact(ctx, "methodological_support", "Un appui méthodologique est identifié.",
                 "Aucun appui méthodologique identifié.")


@_check("R12d", "Évaluation prévue dans la fiche-action", ACTION, "Préconisation 12 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "La fiche prévoit son évaluation (indicateurs, qui évalue, quand).")
def _sheet_evaluation(ctx: Context):
    return [(f"{s.contract}/{s.code}",
             NOT_FILLED if s.evaluation_planned is None else (SATISFIED if s.evaluation_planned else TO_STRENGTHEN),
             {None: "Non renseigné.", True: "Évaluation prévue.", False: "Aucune évaluation prévue."}[s.evaluation_planned],
             None, None) for s in ctx.sheets]


@_check("R12e", "Bilan annuel validé par les partenaires", CONTRACT, "Préconisation 12 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "Le bilan de la dernière année complète (avancement, volet financier global) a été validé par les partenaires.")
def _yearly_review(ctx: Context):
    return _fact(ctx, "yearly_review_held", "Le bilan de la dernière année complète est validé par les partenaires.",
                 "Pas de bilan annuel validé pour la dernière année complète.")


@_check("R12f", "Modèle logique de la fiche-action", ACTION, "Préconisation 12 (rapport d'évaluation des CLS d'Île-de-France, 2014)",
        "La fiche décrit ses ressources, ses activités, ses réalisations et les effets attendus (modèle logique).")
def _logic_model(ctx: Context):
    return [(f"{s.contract}/{s.code}",
             NOT_FILLED if s.logic_model is None else (SATISFIED if s.logic_model else TO_STRENGTHEN),
             {None: "Pas de modèle logique.", True: "Modèle logique complet.",
              False: "Modèle logique incomplet."}[s.logic_model], None, None) for s in ctx.sheets]


# --- Further checks of the body of seed 004 ------------------------------------------------------

@_check("B1", "Diagnostic partagé présenté publiquement ou débattu", CONTRACT, "Constat du rapport d'évaluation des CLS d'Île-de-France, 2014 (B1)",
        "Le diagnostic partagé a été présenté publiquement ou débattu en conseil municipal.")
def _diagnosis_public(ctx: Context):
    return _fact(ctx, "diagnosis_public", "Le diagnostic a été présenté ou débattu publiquement.",
                 "Le diagnostic n'a pas été présenté publiquement.")


@_check("B2", "Comité de pilotage réuni chaque année", CONTRACT, "Constat du rapport d'évaluation des CLS d'Île-de-France, 2014 (B2)",
        lambda t: f"Le comité de pilotage se réunit au moins {t.copil_meetings_per_year} fois par an.")
def _copil_meetings(ctx: Context):
    count = None if ctx.facts is None else ctx.facts.copil_meetings_per_year
    if count is None:
        return _one(ctx, NOT_FILLED, "Réunions du comité de pilotage non renseignées.")
    status = SATISFIED if count >= ctx.thresholds.copil_meetings_per_year else TO_STRENGTHEN
    return _one(ctx, status, f"{plural(count, 'réunion')} du comité de pilotage sur l'année.", float(count),
                float(ctx.thresholds.copil_meetings_per_year))


@_check("B4", "Comité technique", CONTRACT, "Constat du rapport d'évaluation des CLS d'Île-de-France, 2014 (B4)", "Un comité technique existe.")
def _technical_committee(ctx: Context):
    return _fact(ctx, "technical_committee", "Un comité technique existe.", "Pas de comité technique.")


@_check("B7", "Financement identifié", ACTION, "Constat du rapport d'évaluation des CLS d'Île-de-France, 2014 (B7)",
        "La fiche a un financement identifié (éviter l'affichage d'actions non financées).")
def _funding(ctx: Context):
    return [(f"{s.contract}/{s.code}",
             NOT_FILLED if s.funding_identified is None else (SATISFIED if s.funding_identified else TO_STRENGTHEN),
             {None: "Non renseigné.", True: "Financement identifié.", False: "Pas de financement identifié."}[s.funding_identified],
             None, None) for s in ctx.sheets]


@_check("B10", "Périmètre : toute la commune avec un accent sur les quartiers prioritaires", CONTRACT,
        "Constat du rapport d'évaluation des CLS d'Île-de-France, 2014 (B10)",
        "Le périmètre couvre toute la commune avec ses quartiers prioritaires (ce qui permet l'universalisme proportionné).")
def _perimeter(ctx: Context):
    return _fact(ctx, "perimeter_whole_town_with_qpv", "Le périmètre couvre la commune et ses quartiers prioritaires.",
                 "Le périmètre ne couvre pas toute la commune avec ses quartiers prioritaires.")


_LEVER_DETERMINANTS = ("D1", "D2", "D3", "D6")
_LEVER_STRATEGIES = ("S2", "S3", "S5.1")
_LEVER_APPROACHES = ("universalisme-proportionne", "groupes-defavorises")


@_check("B16", "Contenu du contrat fait de leviers connus contre les ISTS", PORTFOLIO, "Constat du rapport d'évaluation des CLS d'Île-de-France, 2014 (B16)",
        lambda t: f"Au moins {french_number(t.lever_share)} % des fiches agissent sur un levier : déterminant D1, D2, D3 ou D6, "
                  "stratégie S2, S3 ou S5.1, ou approche ciblée / universalisme proportionné — sans être à risque "
                  "d'accroître les inégalités (lecture de la grille ; le seuil de 80 % est cité par le rapport).")
def _levers(ctx: Context):
    coded = _coded(ctx)
    if not coded:
        return _one(ctx, NOT_FILLED, "Aucune fiche n'est codée sur la grille.")
    levers = [s for s in ctx.sheets if not ctx.risk_rule.matches(s, ctx.grid) and (
        has_any(s.determinants, _LEVER_DETERMINANTS, ctx.grid) or has_any(s.strategies, _LEVER_STRATEGIES, ctx.grid)
        or s.approach in _LEVER_APPROACHES)]
    share = percent(len(levers), len(ctx.sheets))
    return _one(ctx, _share_status(share, ctx.thresholds.lever_share),
                f"{plural(len(levers), 'fiche')} sur {len(ctx.sheets)} ({french_percent(share)}) "
                f"{_verb(len(levers), 'agit', 'agissent')} sur un levier.",
                share, ctx.thresholds.lever_share)


# --- Running -------------------------------------------------------------------------------------


def run_checks(
    actions: Iterable[ActionSheet],
    contract: ContractFacts | None = None,
    *,
    thresholds: Thresholds | None = None,
    rules: Sequence[StrategyRule] = DEFAULT_STRATEGY_RULES,
    risk_rule: RiskRule = DEFAULT_RISK_RULE,
    grid: Grid | None = None,
    levels: Iterable[str] = (CONTRACT, PORTFOLIO, ACTION),
    subject: str | None = None,
) -> list[CheckResult]:
    """Every check on one portfolio (usually the sheets of one contract) and its contract's facts.

    Results come in :data:`CHECKS` order; action-level checks give one result per sheet (subject
    « contrat/fiche »). ``subject`` names the portfolio (default: the contract's code, else the
    sheets' single contract, else « portefeuille »)."""
    grid = grid or load_grid()
    thresholds = thresholds or Thresholds()
    thresholds.validate()
    for rule in rules:
        rule.validate(grid)
    risk_rule.validate(grid)
    sheets = unique_sheets(actions)
    if subject is None:
        codes = {s.contract for s in sheets}
        subject = contract.code if contract else (codes.pop() if len(codes) == 1 else "portefeuille")
    ctx = Context(sheets, contract, thresholds, grid, rules, risk_rule, subject)
    wanted = set(levels)
    results = []
    for check in CHECKS:
        if check.level not in wanted:
            continue
        rule_text = check.rule(thresholds)
        if check.id == "R0b":
            rule_text = risk_rule.statement()
        elif check.id == "R5a":
            rule_text = "Chacune des stratégies a au moins une fiche. " + " ".join(r.statement() for r in rules)
        for item_subject, status, evidence, value, threshold in check.run(ctx):
            results.append(CheckResult(check.id, check.title, check.level, status, evidence, rule_text,
                                       check.source, item_subject, value, threshold))
    return results


def run_checks_by_contract(
    actions: Iterable[ActionSheet], contracts: Iterable[ContractFacts] = (), **options
) -> dict[str, list[CheckResult]]:
    """:func:`run_checks` for each contract (those of the sheets and those given), by contract code,
    sorted by code."""
    sheets = unique_sheets(actions)
    facts = {c.code: c for c in contracts}
    codes = sorted({s.contract for s in sheets} | set(facts))
    return {code: run_checks([s for s in sheets if s.contract == code], facts.get(code), **options) for code in codes}


def checks_frame(results: Iterable[CheckResult]) -> pd.DataFrame:
    """The results as a table (columns :data:`CHECK_COLUMNS`)."""
    return pd.DataFrame([r.as_row() for r in results], columns=list(CHECK_COLUMNS))


def status_counts(results: Iterable[CheckResult]) -> dict[str, int]:
    """Number of results per status (every status present, 0 included)."""
    counts = {s: 0 for s in STATUSES}
    for result in results:
        counts[result.status] += 1
    return counts
