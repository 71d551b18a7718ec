"""Prioritisation: dated threshold rules with exceptions, and quantile classes of territories.

Rules are data, not code (DOMAIN §2.1: "store the value and threshold as configurable data"):
a :class:`Rule` says which column is compared with which threshold, from which date to which date
(both inclusive), with which exempted territories (each with its reason and optional dates). The
ARS Île-de-France rule is ``Rule("IDH-2 < 0.52", "idh2", "<", 0.52, valid_from=...)``, with the
early exceptions for towns above the threshold that had politique de la ville quartiers.

Quantile classes state their direction in the output: **class 1 = most deprived**, always.
"""

from __future__ import annotations

import operator as op
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from equisante.indices._validate import column_list, number_fr, numeric, require_columns, weights_column
from equisante.indices.errors import IndicesInputError
from equisante.numbers import french_date

__all__ = [
    "Exemption",
    "Rule",
    "rule_in_force",
    "threshold_classes",
    "eligible",
    "quantile_classes",
]

OPERATORS = {"<": op.lt, "<=": op.le, ">": op.gt, ">=": op.ge}
_NEGATION = {"<": "≥", "<=": ">", ">": "≤", ">=": "<"}
_SHOWN = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}

BASIS_THRESHOLD = "seuil"
BASIS_EXCEPTION = "exception"
BASIS_NOT_MET = "seuil non atteint"
BASIS_MISSING = "valeur manquante"


def _as_date(value, what: str, label: str) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise IndicesInputError("indices_rule_invalid", label=label,
                            why=f"{what} {value!r} n'est pas une date (attendu : AAAA-MM-JJ)")


def _in_force(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


def _period(valid_from: date | None, valid_to: date | None) -> str:
    """The period of validity in words: « depuis le 1er janvier 2011 », « du … au … »."""
    if valid_from and valid_to:
        return f"du {french_date(valid_from)} au {french_date(valid_to)}"
    if valid_from:
        return f"depuis le {french_date(valid_from)}"
    if valid_to:
        return f"jusqu'au {french_date(valid_to)}"
    return "sans limite de date"


@dataclass(frozen=True)
class Exemption:
    """A territory admitted despite the threshold: its ``code``, the ``reason`` (French text)
    and, optionally, the dates between which the exception holds (inclusive)."""

    code: str
    reason: str
    valid_from: date | None = None
    valid_to: date | None = None

    def __post_init__(self):
        object.__setattr__(self, "code", str(self.code).strip())
        label = f"exception {self.code}"
        if not self.code:
            raise IndicesInputError("indices_rule_invalid", label=label, why="le code du territoire est vide")
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise IndicesInputError("indices_rule_invalid", label=label, why="le motif de l'exception est obligatoire")
        object.__setattr__(self, "valid_from", _as_date(self.valid_from, "début de validité", label))
        object.__setattr__(self, "valid_to", _as_date(self.valid_to, "fin de validité", label))
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise IndicesInputError("indices_rule_invalid", label=label,
                                    why="la fin de validité précède le début")

    def in_force(self, on: date) -> bool:
        return _in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Rule:
    """A dated threshold rule: territories where ``column`` ``operator`` ``threshold`` holds
    (operators ``<``, ``<=``, ``>``, ``>=``), from ``valid_from`` to ``valid_to`` (inclusive;
    ``None`` = open), plus the ``exceptions`` (``Exemption`` objects, ``(code, reason)`` pairs or
    dictionaries). ``source`` cites where the rule comes from."""

    label: str
    column: str | None
    operator: str
    threshold: float
    valid_from: date | None = None
    valid_to: date | None = None
    exceptions: tuple[Exemption, ...] = ()
    source: str = ""

    def __post_init__(self):
        label = self.label if isinstance(self.label, str) and self.label else repr(self.label)
        if not isinstance(self.label, str) or not self.label.strip():
            raise IndicesInputError("indices_rule_invalid", label=label, why="le libellé est obligatoire")
        if self.column is not None and (not isinstance(self.column, str) or not self.column):
            raise IndicesInputError("indices_rule_invalid", label=label, why="la colonne doit être un nom de colonne")
        if self.operator not in OPERATORS:
            raise IndicesInputError("indices_rule_invalid", label=label,
                                    why=f"opérateur {self.operator!r} inconnu ; opérateurs acceptés : <, <=, >, >=")
        try:
            threshold = float(self.threshold)
        except (TypeError, ValueError):
            threshold = float("nan")
        if isinstance(self.threshold, bool) or not np.isfinite(threshold):
            raise IndicesInputError("indices_rule_invalid", label=label,
                                    why=f"le seuil {self.threshold!r} doit être un nombre")
        object.__setattr__(self, "threshold", threshold)
        object.__setattr__(self, "valid_from", _as_date(self.valid_from, "début de validité", label))
        object.__setattr__(self, "valid_to", _as_date(self.valid_to, "fin de validité", label))
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise IndicesInputError("indices_rule_invalid", label=label, why="la fin de validité précède le début")
        exceptions = tuple(_as_exemption(e, label) for e in (self.exceptions or ()))
        codes = [e.code for e in exceptions]
        if len(codes) != len(set(codes)):
            duplicate = next(c for c in codes if codes.count(c) > 1)
            raise IndicesInputError("indices_rule_invalid", label=label,
                                    why=f"le territoire {duplicate} figure deux fois parmi les exceptions")
        object.__setattr__(self, "exceptions", exceptions)

    @classmethod
    def from_dict(cls, data: Mapping) -> Rule:
        """A rule from configuration: keys label, column, operator, threshold, valid_from,
        valid_to (ISO dates), exceptions (list of {code, reason, valid_from, valid_to}), source."""
        if isinstance(data, Rule):
            return data
        if not isinstance(data, Mapping):
            raise IndicesInputError("indices_rule_invalid", label=repr(data), why="une règle doit être un dictionnaire")
        known = {"label", "column", "operator", "threshold", "valid_from", "valid_to", "exceptions", "source"}
        label = str(data.get("label", "?"))
        extra = sorted(set(data) - known)
        if extra:
            raise IndicesInputError("indices_rule_invalid", label=label,
                                    why=f"clé inconnue {extra[0]!r} (clés acceptées : {', '.join(sorted(known))})")
        missing = [k for k in ("label", "operator", "threshold") if k not in data]
        if missing:
            raise IndicesInputError("indices_rule_invalid", label=label, why=f"clé obligatoire absente : {missing[0]}")
        return cls(label=data["label"], column=data.get("column"), operator=data["operator"],
                   threshold=data["threshold"], valid_from=data.get("valid_from"), valid_to=data.get("valid_to"),
                   exceptions=tuple(data.get("exceptions") or ()), source=data.get("source", ""))

    def in_force(self, on: date) -> bool:
        """Whether the rule applies on date ``on`` (bounds inclusive)."""
        return _in_force(self.valid_from, self.valid_to, on)

    def holds(self, values: np.ndarray) -> np.ndarray:
        """Where the threshold condition is met (False for a missing value)."""
        with np.errstate(invalid="ignore"):
            return OPERATORS[self.operator](np.asarray(values, dtype=float), self.threshold)

    def exempted(self, codes: np.ndarray, on: date) -> dict[str, str]:
        """Code → reason of the exceptions in force on ``on``."""
        wanted = {e.code: e.reason for e in self.exceptions if e.in_force(on)}
        return {str(c): wanted[str(c)] for c in codes if str(c) in wanted}

    @property
    def condition(self) -> str:
        """The condition in French notation, e.g. "< 0,52"."""
        return f"{_SHOWN[self.operator]} {number_fr(self.threshold, 6)}"

    @property
    def period(self) -> str:
        return _period(self.valid_from, self.valid_to)


def _as_exemption(entry, label: str) -> Exemption:
    if isinstance(entry, Exemption):
        return entry
    if isinstance(entry, Mapping):
        unknown = sorted(set(entry) - {"code", "reason", "valid_from", "valid_to"})
        if unknown or "code" not in entry or "reason" not in entry:
            raise IndicesInputError("indices_rule_invalid", label=label,
                                    why="une exception a les clés code, reason et, au choix, valid_from, valid_to")
        return Exemption(**entry)
    if isinstance(entry, (tuple, list)) and 2 <= len(entry) <= 4:
        return Exemption(*entry)
    raise IndicesInputError("indices_rule_invalid", label=label,
                            why=f"exception {entry!r} illisible (attendu : (code, motif) ou un dictionnaire)")


def _on(on) -> date:
    if on is None:
        return date.today()
    try:
        return _as_date(on, "date", "date d'application")
    except IndicesInputError:
        raise IndicesInputError("indices_argument_invalid", argument="on", value=on,
                                accepted="une date (datetime.date ou texte AAAA-MM-JJ)") from None


def _rules(rules) -> list[Rule]:
    if isinstance(rules, (Rule, Mapping)):
        rules = [rules]
    if not isinstance(rules, Iterable) or isinstance(rules, str):
        raise IndicesInputError("indices_argument_invalid", argument="rules", value=rules,
                                accepted="une règle ou une liste de règles")
    out = [Rule.from_dict(r) for r in rules]
    if not out:
        raise IndicesInputError("indices_argument_invalid", argument="rules", value=[],
                                accepted="au moins une règle")
    return out


def rule_in_force(rules: Rule | Sequence[Rule | Mapping], on: date | str | None = None) -> Rule:
    """The single rule in force on ``on`` (default: today) among successive versions of a rule.

    Refuses (catalogued French error) when none is in force, or when several are (their periods
    overlap).
    """
    rules = _rules(rules)
    day = _on(on)
    active = [r for r in rules if r.in_force(day)]
    labels = ", ".join(f"« {r.label} » {r.period}" for r in (active or rules))
    if not active:
        raise IndicesInputError("indices_rule_not_in_force", date=french_date(day), labels=labels)
    if len(active) > 1:
        raise IndicesInputError("indices_rules_overlap", date=french_date(day), labels=labels)
    return active[0]


def _codes(df: pd.DataFrame, code: str | None, rules: list[Rule], on: date) -> np.ndarray | None:
    needs = any(e.in_force(on) for r in rules for e in r.exceptions)
    if code is None:
        if needs:
            raise IndicesInputError("indices_argument_required", argument="code",
                                    why="(colonne des codes de territoire) car la règle comporte des exceptions")
        return None
    require_columns(df, {"code": code})
    # Codes are compared as text ("92004"); a numeric column would lose leading zeros ("01001").
    return df[code].astype(object).map(lambda c: None if pd.isna(c) else str(c).strip()).to_numpy()


def _column(rule: Rule, value: str | None) -> str:
    if value is not None and rule.column is not None and rule.column != value:
        raise IndicesInputError("indices_rule_invalid", label=rule.label,
                                why=f"elle porte sur la colonne « {rule.column} » et non sur « {value} »")
    column = value or rule.column
    if column is None:
        raise IndicesInputError("indices_argument_required", argument="value",
                                why=f"(colonne comparée au seuil) car la règle « {rule.label} » n'en précise pas")
    return column


def _explanations(column: str, values: np.ndarray, rule: Rule, met: np.ndarray) -> np.ndarray:
    """French reason per row: "idh2 = 0,41 < 0,52 (règle …)" or "… : condition « < 0,52 » non remplie".

    The constant parts are built once per rule; only the numbers are formatted per row."""
    when_met = f" {rule.condition} (règle « {rule.label} », {rule.period})"
    when_not = (f" {_NEGATION[rule.operator]} {number_fr(rule.threshold, 6)} : "
                f"condition « {rule.condition} » non remplie")
    prefix = f"{column} = "
    texts = [prefix + number_fr(v) + (when_met if m else when_not) for v, m in zip(values.tolist(), met.tolist())]
    return np.array(texts, dtype=object)


def eligible(
    df: pd.DataFrame,
    rule: Rule | Mapping | Sequence[Rule | Mapping],
    *,
    on: date | str | None = None,
    code: str | None = None,
    value: str | None = None,
) -> pd.DataFrame:
    """Eligibility of each territory under ``rule`` on date ``on`` (default: today).

    ``rule`` is one rule or the successive versions of a rule (the one in force on ``on`` is
    used; a single rule not in force on ``on`` is refused). ``code`` names the column of
    territory codes (required when the rule has exceptions in force); ``value`` the compared
    column when the rule names none.

    Returns a copy of ``df`` with ``eligible`` (nullable boolean: <NA> when the value is missing
    and the territory is not exempted), ``eligibility_basis`` ("seuil", "exception", "seuil non
    atteint", "valeur manquante"), ``eligibility_reason`` (French explanation) and
    ``eligibility_rule`` (the rule's label); ``attrs["rule"]`` describes the rule applied.
    """
    day = _on(on)
    chosen = rule_in_force(rule, day)
    column = _column(chosen, value)
    values = numeric(df, column, argument="value")
    codes = _codes(df, code, [chosen], day)
    exempted = chosen.exempted(codes, day) if codes is not None else {}

    met = chosen.holds(values)
    missing = np.isnan(values)
    if codes is not None and exempted:
        exempt = np.fromiter((c in exempted for c in codes), dtype=bool, count=len(df)) & ~met
    else:
        exempt = np.zeros(len(df), dtype=bool)
    undetermined = missing & ~exempt
    status = pd.arrays.BooleanArray(met | exempt, undetermined)
    basis = np.select([met, exempt, undetermined], [BASIS_THRESHOLD, BASIS_EXCEPTION, BASIS_MISSING],
                      BASIS_NOT_MET).astype(object)
    reason = _explanations(column, values, chosen, met)
    reason[undetermined] = f"{column} manquant : éligibilité indéterminée"
    for i in np.flatnonzero(exempt):
        reason[i] = f"exception : {exempted[codes[i]]} (règle « {chosen.label} »)"

    out = df.copy()
    out["eligible"] = status
    out["eligibility_basis"] = basis
    out["eligibility_reason"] = reason
    out["eligibility_rule"] = chosen.label
    out.attrs["rule"] = _describe(chosen, column, day)
    return out


def threshold_classes(
    df: pd.DataFrame,
    value: str,
    rules: Rule | Mapping | Sequence[Rule | Mapping],
    *,
    on: date | str | None = None,
    code: str | None = None,
    default: str = "non prioritaire",
) -> pd.DataFrame:
    """Priority class of each territory from ordered threshold rules on ``value``.

    Among the rules in force on ``on`` (default: today), in the order given (first = highest
    priority), a territory takes the first rule it meets — by its threshold or as one of its
    exceptions in force (``code`` names the code column). Territories meeting none take
    ``default``; a missing value with no exception gives no class.

    Returns a copy of ``df`` with ``class_label`` (rule label, ``default``, or <NA>),
    ``class_rank`` (1 = first rule in force, …, k + 1 = ``default``; <NA> when missing),
    ``class_basis`` ("seuil", "exception", "seuil non atteint", "valeur manquante") and
    ``class_reason`` (French explanation).
    """
    day = _on(on)
    active = [r for r in _rules(rules) if r.in_force(day)]
    if not active:
        every = _rules(rules)
        raise IndicesInputError("indices_rule_not_in_force", date=french_date(day),
                                labels=", ".join(f"« {r.label} » {r.period}" for r in every))
    for rule in active:
        _column(rule, value)
    values = numeric(df, value, argument="value")
    codes = _codes(df, code, active, day)
    missing = np.isnan(values)

    n = len(df)
    label = np.full(n, None, dtype=object)
    rank = np.full(n, -1, dtype=np.int64)
    basis = np.full(n, None, dtype=object)
    reason = np.full(n, None, dtype=object)
    for position, rule in enumerate(active, start=1):
        free = rank < 0
        met = rule.holds(values) & free
        label[met], rank[met], basis[met] = rule.label, position, BASIS_THRESHOLD
        reason[met] = _explanations(value, values[met], rule, np.ones(int(met.sum()), dtype=bool))
        if codes is not None:
            exempted = rule.exempted(codes, day)
            for i in np.flatnonzero(rank < 0):
                if codes[i] in exempted:
                    label[i], rank[i], basis[i] = rule.label, position, BASIS_EXCEPTION
                    reason[i] = f"exception : {exempted[codes[i]]} (règle « {rule.label} »)"
    unmet = (rank < 0) & missing
    basis[unmet], reason[unmet] = BASIS_MISSING, f"{value} manquant : classe indéterminée"
    none = (rank < 0) & ~missing
    label[none], rank[none], basis[none] = default, len(active) + 1, BASIS_NOT_MET
    conditions = " ; ".join(f"condition « {r.condition} » non remplie" for r in active)
    reason[none] = [f"aucune règle remplie : {conditions} ({value} = {number_fr(v)})" for v in values[none].tolist()]

    out = df.copy()
    out["class_label"] = pd.array(label, dtype="string")
    out["class_rank"] = pd.array(np.where(rank < 0, None, rank), dtype="Int64")
    out["class_basis"] = basis
    out["class_reason"] = reason
    out.attrs["rules"] = [_describe(r, value, day) for r in active]
    out.attrs["default"] = default
    return out


def _describe(rule: Rule, column: str, day: date) -> dict:
    return {
        "label": rule.label,
        "column": column,
        "operator": rule.operator,
        "threshold": rule.threshold,
        "valid_from": rule.valid_from.isoformat() if rule.valid_from else None,
        "valid_to": rule.valid_to.isoformat() if rule.valid_to else None,
        "applied_on": day.isoformat(),
        "exceptions": [{"code": e.code, "reason": e.reason} for e in rule.exceptions if e.in_force(day)],
        "source": rule.source,
    }


# --- Quantile classes -------------------------------------------------------------------------

_METHODS = ("weighted", "phe")


def _direction_text(n: int, value: str, higher_is_worse: bool) -> str:
    extreme = "les plus élevées" if higher_is_worse else "les plus faibles"
    return f"1 = plus défavorisé (valeurs de {value} {extreme}) ; {n} = moins défavorisé"


def quantile_classes(
    df: pd.DataFrame,
    value: str,
    *,
    n: int = 5,
    population: str | None = None,
    method: str = "weighted",
    higher_is_worse: bool = True,
    by: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Classes 1…``n`` of ``value`` (quintiles by default); **class 1 = most deprived**.

    ``higher_is_worse`` gives the index's direction: True for FDep or EDI (higher = more
    deprived), False for IDH-2 (higher = more developed). ``method``:

    - ``"weighted"`` (default; requires ``population``): territories are ordered from the most
      to the least deprived and each class holds about 1/n of the population — a territory goes
      to the class whose population band (k−1)/n…k/n contains the population cumulated before
      it, which is cutting at the population-weighted quantiles; tied values always share a
      class. A class can differ from 1/n by up to one territory's population (a very populous
      territory can even leave the next class empty). Use it for FDep quintiles
      (STATS_METHODS §8).
    - ``"phe"``: each class holds about 1/n of the *territories*, by the PHE method
      (``equisante.stats.quantiles``); a group with fewer than ``n`` territories gets no class.

    Optional ``by`` columns make classes within each group; ``population`` is not used by the
    PHE method. Returns a copy of ``df`` with
    ``quantile_class`` (Int64, <NA> for a missing value), ``quantile_classes`` (n),
    ``quantile_direction`` (the direction in French) and ``quantile_method``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise IndicesInputError("indices_argument_invalid", argument="n", value=n, accepted="un entier ≥ 2")
    if method not in _METHODS:
        raise IndicesInputError("indices_argument_invalid", argument="method", value=method,
                                accepted="« weighted » (pondéré par la population) ou « phe »")
    if not isinstance(higher_is_worse, (bool, np.bool_)):
        raise IndicesInputError("indices_argument_invalid", argument="higher_is_worse", value=higher_is_worse,
                                accepted="True (plus élevé = plus défavorisé) ou False")
    n, higher_is_worse = int(n), bool(higher_is_worse)
    keys = column_list(by)
    require_columns(df, {f"by[{i}]": c for i, c in enumerate(keys)})
    values = numeric(df, value, argument="value")
    produced = ("quantile_class", "quantile_classes", "quantile_direction", "quantile_method")
    clash = [c for c in produced if c in df.columns]
    if clash:
        raise IndicesInputError("indices_argument_invalid", argument="df", value=clash[0],
                                accepted="des données sans colonne quantile_class, quantile_classes, "
                                         "quantile_direction ni quantile_method")

    if method == "weighted":
        if population is None:
            raise IndicesInputError("indices_argument_required", argument="population",
                                    why="avec method='weighted' (ou choisir method='phe')")
        weights = weights_column(df, population, argument="population")
        classes = _weighted_classes(df, values, weights, n, higher_is_worse, keys, population)
        label = "pondéré par la population (chaque classe ≈ 1/n de la population)"
    else:
        frame = pd.DataFrame({"_v": values}, index=df.index)
        for i, key in enumerate(keys):
            frame[f"_by{i}"] = df[key].to_numpy()
        result = _phe_quantiles()(frame, "_v", n=n, invert=higher_is_worse,
                                 by=[f"_by{i}" for i in range(len(keys))] or None)
        classes = result["quantile"].to_numpy(dtype=float)
        label = "PHE (chaque classe ≈ 1/n des territoires)"

    out = df.copy()
    out["quantile_class"] = pd.array(np.where(np.isnan(classes), None, classes), dtype="Int64")
    out["quantile_classes"] = n
    out["quantile_direction"] = _direction_text(n, value, higher_is_worse)
    out["quantile_method"] = label
    if method == "weighted" and not keys:
        total = weights[~np.isnan(values)].sum()
        out.attrs["population_share"] = {
            k: float(weights[classes == k].sum() / total) if total > 0 else float("nan") for k in range(1, n + 1)
        }
    out.attrs["method"] = {
        "method": method,
        "n": n,
        "value": value,
        "population": population,
        "by": keys,
        "higher_is_worse": higher_is_worse,
        "direction": _direction_text(n, value, higher_is_worse),
    }
    return out


def _phe_quantiles():
    """``equisante.stats.quantiles`` (the PHE method), reached through the package as intended."""
    from equisante import stats

    function = stats.quantiles
    # If some code imported the submodule ``equisante.stats.quantiles`` before the lazy name was
    # first resolved, the package attribute is that module: take the function from it.
    return getattr(function, "quantiles", function)


def _weighted_classes(df, values, weights, n, higher_is_worse, keys, population) -> np.ndarray:
    present = ~np.isnan(values)
    # Order from the most deprived: descending values when higher is worse.
    oriented = -values if higher_is_worse else values
    if keys:
        group = df[keys].groupby(keys, sort=False, dropna=False, observed=True).ngroup().to_numpy()
    else:
        group = np.zeros(len(df), dtype=np.int64)
    frame = pd.DataFrame({"g": group[present], "o": oriented[present], "w": weights[present]})
    # Tied values form one block, so that they can never be split between two classes.
    blocks = frame.groupby(["g", "o"], sort=True)["w"].sum()
    totals = blocks.groupby(level="g").transform("sum")
    if (totals <= 0).any():
        raise IndicesInputError("indices_weights_zero", column=population)
    before = (blocks.groupby(level="g").cumsum() - blocks).to_numpy()
    # Class k holds the territories whose population starts within the k-th 1/n band of the
    # cumulative population: the same classes as cutting at population-weighted quantiles (the
    # most deprived territory is always in class 1). The tolerance keeps exact band edges (e.g.
    # 200 of 1000 people) from falling back one class through rounding.
    block_class = np.minimum(np.floor(n * before / totals.to_numpy() + 1e-9) + 1, n)
    lookup = pd.Series(block_class, index=blocks.index)
    classes = np.full(len(df), np.nan)
    index = pd.MultiIndex.from_arrays([frame["g"].to_numpy(), frame["o"].to_numpy()], names=["g", "o"])
    classes[present] = lookup.reindex(index).to_numpy()
    return classes
