"""Classes and eligibility of the territories of a computed index under a stored rule (thin layer
over :mod:`equisante.indices.classes`).

- A **threshold rule** is one version of a policy (``PriorityRule.policy``); the version in force
  on the chosen date is found among the policy's versions (:func:`equisante.indices.rule_in_force`)
  and applied with its exceptions in force (:func:`equisante.indices.eligible`). A threshold can be
  overridden to *simulate* another one; the output then says "simulation".
- A **quantile rule** gives classes 1…n, **class 1 = most deprived** whatever the index's
  direction (:func:`equisante.indices.quantile_classes`), population-weighted or by the PHE method.

Ranks always go from the most deprived (rank 1) to the least: ascending values for IDH-2 and
composites (higher = better), descending for FDep and EDI (higher = more deprived).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from equisante import indices
from equisante.indices.classes import BASIS_EXCEPTION, BASIS_MISSING, BASIS_NOT_MET, BASIS_THRESHOLD
from equisante.indices.errors import IndicesInputError
from equisante.prioritisation.models import IndexResult, PriorityRule

#: Class of a territory under a threshold rule, from the basis given by the core.
THRESHOLD_CLASSES = {
    BASIS_THRESHOLD: (1, "Prioritaire (seuil atteint)"),
    BASIS_EXCEPTION: (2, "Prioritaire par exception"),
    BASIS_NOT_MET: (3, "Non prioritaire"),
    BASIS_MISSING: (None, "Indéterminé (valeur manquante)"),
}


@dataclass
class Classification:
    """The territories of one result, ranked and classed under one rule."""

    rows: pd.DataFrame  # territory_id, code, name, value, population, rank, class_rank, class_label, eligible, reason
    rule: PriorityRule | None = None
    rule_text: str = ""
    kind: str = ""  # threshold, quantile or "" (no rule)
    classes: list[tuple[int, str]] = field(default_factory=list)  # legend: (class rank, label), class 1 first
    simulated: bool = False
    error: str = ""  # French message when the rule could not be applied (e.g. none in force)
    core_rule: indices.Rule | None = None
    applicable: bool = True  # False: a threshold rule of another level (stated in ``error``)

    @property
    def decides_eligibility(self) -> bool:
        return (self.kind == "threshold" and self.rule is not None and self.rule.eligibility and self.applicable
                and not self.error)


def result_frame(result: IndexResult) -> pd.DataFrame:
    """The values of a result: territory_id, code, name, value (NaN when missing), population."""
    rows = result.values.values_list("territory_id", "territory__code", "territory__name", "value", "population")
    frame = pd.DataFrame(list(rows), columns=["territory_id", "code", "name", "value", "population"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").astype(float)
    return frame


def rank_territories(frame: pd.DataFrame, higher_is_worse: bool) -> pd.DataFrame:
    """Sorted from the most deprived; ``rank`` 1…n (ties share the lower rank), missing values last
    without a rank."""
    values = frame["value"].to_numpy(dtype=float)
    oriented = -values if higher_is_worse else values
    out = frame.assign(_o=oriented).sort_values(["_o", "name", "code"], na_position="last", kind="stable")
    ranks = pd.Series(out["_o"]).rank(method="min", na_option="keep")
    out["rank"] = pd.array(np.where(ranks.isna(), None, ranks), dtype="Int64")
    return out.drop(columns="_o").reset_index(drop=True)


def versions(rule: PriorityRule) -> list[PriorityRule]:
    """Every version of the rule's policy on the same index (the rule itself included)."""
    return list(PriorityRule.objects.filter(policy=rule.policy, index_id=rule.index_id, kind="threshold")
                .prefetch_related("exceptions__territory").order_by("valid_from", "code"))


def core_rule(rule: PriorityRule, level: str | None = None) -> indices.Rule:
    """The core :class:`~equisante.indices.Rule` of a stored threshold rule, on column ``value``;
    exceptions are those of territories of ``level`` (all when None)."""
    exceptions = [
        indices.Exemption(e.territory.code, e.reason, e.valid_from, e.valid_to)
        for e in rule.exceptions.all() if level is None or e.territory.level == level
    ]
    return indices.Rule(label=rule.label, column="value", operator=rule.operator, threshold=rule.threshold,
                        valid_from=rule.valid_from, valid_to=rule.valid_to, exceptions=tuple(exceptions),
                        source=rule.source)


def rule_in_force(rule: PriorityRule, on: date, level: str | None = None) -> tuple[PriorityRule, indices.Rule]:
    """The version of ``rule``'s policy in force on ``on`` (raises ``IndicesInputError`` when none
    or several are)."""
    stored = versions(rule)
    cores = [core_rule(r, level) for r in stored]
    chosen = indices.rule_in_force(cores, on=on)
    position = next(i for i, c in enumerate(cores) if c is chosen)
    return stored[position], chosen


def not_applicable_text(rule: PriorityRule, level: str) -> str:
    """« La règle « IDH-2 < 0,52 » porte sur les communes : elle ne s'applique pas aux départements … »."""
    from equisante.territories.levels import PLURALS, Level

    def plural(value: str) -> str:
        try:
            text = str(PLURALS[Level(value)])
        except ValueError:
            return value
        return text[:1].lower() + text[1:] if text[1:2].islower() else text  # « communes », « EPCI »

    return (f"La règle « {rule.label} » porte sur les {plural(rule.applies_to)} : elle ne s'applique pas aux "
            f"{plural(level)}, qui sont seulement classés. Choisir le niveau « {plural(rule.applies_to)} » pour "
            f"voir l'éligibilité.")


def describe(rule: indices.Rule, index_label: str, *, simulated: bool = False) -> str:
    """« IDH-2 < 0,52, en vigueur depuis le 1er janvier 2011 ; 1 exception (source : …) »."""
    text = f"{index_label} {rule.condition}"
    if simulated:
        text += " (simulation : seuil modifié, non enregistré)"
    text += f", en vigueur {rule.period}"
    if rule.exceptions:
        count = len(rule.exceptions)
        text += f" ; {count} exception{'s' if count > 1 else ''}"
    if rule.source:
        text += f" (source : {rule.source})"
    return text


def quantile_text(rule: PriorityRule) -> str:
    method = ("pondérées par la population" if rule.quantile_method != "phe"
              else "méthode PHE, même nombre de territoires par classe")
    return f"{rule.label} : {rule.classes or 5} classes {method} ; classe 1 = plus défavorisée"


def classify(result: IndexResult, rule: PriorityRule | None, *, on: date | None = None,
             threshold: float | None = None) -> Classification:
    """Rank the territories of ``result`` and class them under ``rule`` on date ``on`` (default
    today). ``threshold`` overrides the threshold of the rule in force (simulation)."""
    on = on or date.today()
    definition = result.definition
    frame = rank_territories(result_frame(result), definition.higher_is_worse)
    frame["class_rank"] = pd.array([None] * len(frame), dtype="Int64")
    frame["class_label"] = ""
    frame["eligible"] = pd.array([None] * len(frame), dtype="boolean")
    frame["reason"] = ""
    if rule is None:
        return Classification(rows=frame)
    if rule.kind == "quantile":
        return _quantiles(frame, rule, definition.higher_is_worse)
    if result.level != rule.applies_to:
        return Classification(rows=frame, rule=rule, kind="threshold", applicable=False,
                              error=not_applicable_text(rule, result.level))
    try:
        stored, chosen = rule_in_force(rule, on, result.level)
    except IndicesInputError as exc:
        return Classification(rows=frame, rule=rule, kind="threshold", error=exc.message)
    simulated = threshold is not None and float(threshold) != chosen.threshold
    if simulated:
        chosen = dataclasses.replace(chosen, threshold=float(threshold))
    return _threshold(frame, stored, chosen, on, definition.label, simulated)


def _threshold(frame, stored: PriorityRule, chosen: indices.Rule, on: date, index_label: str,
               simulated: bool) -> Classification:
    checked = indices.eligible(frame, chosen, on=on, code="code", value="value")
    basis = checked["eligibility_basis"].to_numpy()
    frame["class_rank"] = pd.array([THRESHOLD_CLASSES[b][0] for b in basis], dtype="Int64")
    frame["class_label"] = [THRESHOLD_CLASSES[b][1] for b in basis]
    frame["reason"] = [_named(reason, index_label) for reason in checked["eligibility_reason"].to_numpy()]
    if stored.eligibility:
        frame["eligible"] = checked["eligible"].to_numpy()
    present = sorted({THRESHOLD_CLASSES[b][0] for b in basis if THRESHOLD_CLASSES[b][0] is not None})
    classes = [(rank, label) for rank, label in THRESHOLD_CLASSES.values() if rank is not None]
    # the exception class is shown only when some territory is in it
    classes = [(rank, label) for rank, label in classes if rank != 2 or 2 in present]
    return Classification(rows=frame, rule=stored, rule_text=describe(chosen, index_label, simulated=simulated),
                          kind="threshold", classes=classes, simulated=simulated, core_rule=chosen)


def _named(reason, index_label: str) -> str:
    """The core explains with the column's name (« value = 0,41 < 0,52 … »): name the index instead."""
    reason = str(reason or "")
    for prefix in ("value = ", "value manquant"):
        if reason.startswith(prefix):
            return index_label + reason[len("value"):]
    return reason


def _quantiles(frame: pd.DataFrame, rule: PriorityRule, higher_is_worse: bool) -> Classification:
    n = int(rule.classes or 5)
    method = rule.quantile_method or "weighted"
    usable = frame["value"].notna()
    if method == "weighted":
        # population weights must be known: territories without a population get no class
        usable &= frame["population"].notna()
    subset = frame.loc[usable, ["value", "population"]]
    if len(subset):
        classed = indices.quantile_classes(subset, "value", n=n, population="population" if method == "weighted"
                                           else None, method=method, higher_is_worse=higher_is_worse)
        frame.loc[usable, "class_rank"] = classed["quantile_class"].to_numpy()
    labels = {k: _quantile_label(k, n) for k in range(1, n + 1)}
    frame["class_label"] = [labels.get(int(k), "") if not pd.isna(k) else "Indéterminé (valeur manquante)"
                            for k in frame["class_rank"]]
    frame["reason"] = ""
    return Classification(rows=frame, rule=rule, rule_text=quantile_text(rule), kind="quantile",
                          classes=list(labels.items()))


def _quantile_label(k: int, n: int) -> str:
    if k == 1:
        return f"Classe 1 sur {n} (plus défavorisée)"
    if k == n:
        return f"Classe {n} sur {n} (moins défavorisée)"
    return f"Classe {k} sur {n}"


@dataclass
class Coverage:
    """How many territories, and how many people, a classification makes eligible."""

    territories: int
    population: float
    total_population: float

    @property
    def share(self) -> float | None:
        """Percentage of the population of all the territories considered (None when unknown)."""
        return 100 * self.population / self.total_population if self.total_population else None


def coverage(rows: pd.DataFrame) -> Coverage:
    """Eligible territories and their population among ``rows`` (populations unknown count 0)."""
    eligible = rows["eligible"].fillna(False).astype(bool).to_numpy()
    population = rows["population"].fillna(0).to_numpy(dtype=float)
    return Coverage(territories=int(eligible.sum()), population=float(population[eligible].sum()),
                    total_population=float(population.sum()))


def eligibility_changes(before: pd.DataFrame, after: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The territories that become eligible from ``before`` to ``after`` (the rule in force and a
    simulation on the same territories), and those that stop being eligible; each sorted from the
    most deprived (rank), with ``territory_id``, ``code``, ``name``, ``value``, ``population``."""
    columns = ["territory_id", "code", "name", "value", "population", "rank"]
    was = before.set_index("territory_id")["eligible"].fillna(False).astype(bool)
    now = after.set_index("territory_id")["eligible"].fillna(False).astype(bool)
    now, was = now.align(was, fill_value=False)
    entering = set(now.index[now & ~was])
    leaving = set(now.index[~now & was])
    ordered = after.sort_values(["rank", "name", "code"], na_position="last", kind="stable")[columns]
    return (ordered[ordered["territory_id"].isin(entering)].reset_index(drop=True),
            ordered[ordered["territory_id"].isin(leaving)].reset_index(drop=True))
