"""Index definitions and rules from a YAML file (``equisante indices define FILE``): all or nothing.

The file has two optional lists, ``indices`` and ``rules``::

    indices:
      - code: idh2
        label: IDH-2
        method: idh2                       # idh2, fdep, edi, composite
        inputs: {life_expectancy: demo-esperance-vie, diploma_share: demo-part-diplomes,
                 income: demo-revenu-median-uc}
        parameters: {log_income: false}
        aggregation: weighted_mean         # or direct
    rules:
      - code: cls-idh2-2011
        index: idh2
        label: "IDH-2 < 0,52"
        operator: "<"
        threshold: 0.52
        valid_from: 2011-01-01
        eligibility: true
        primary: true
        exceptions:
          - {code: "92004", reason: "quartiers politique de la ville"}

Every entry is checked first (method, inputs against the catalogue, parameters, rule fields,
exception territories); each problem names the file, the line and the key. Nothing is written when
there is one; otherwise definitions and rules are created or replaced in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml
from django.db import transaction

import equisante.prioritisation.problems  # noqa: F401  (declares the error codes raised here)
from equisante.errors import EquisanteError, InputRejected, Location, Problem
from equisante.indicators.models import Indicator
from equisante.prioritisation import definitions, rules
from equisante.prioritisation.models import IndexDefinition

INDEX_KEYS = {"code", "label", "method", "inputs", "parameters", "higher_is_worse", "base_level", "aggregation",
              "description", "reference"}
RULE_KEYS = {"code", "index", "label", "policy", "kind", "operator", "threshold", "valid_from", "valid_to",
             "classes", "quantile_method", "eligibility", "primary", "source", "notes", "exceptions", "level"}
AGGREGATIONS = ("weighted_mean", "direct")


def _lines(node) -> dict:
    """Plain Python data from a YAML node, with ``__line__`` (1-based) added to every mapping."""
    if isinstance(node, yaml.MappingNode):
        out = {"__line__": node.start_mark.line + 1}
        for key, value in node.value:
            out[yaml.safe_load(yaml.serialize(key))] = _lines(value)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_lines(item) for item in node.value]
    return yaml.safe_load(yaml.serialize(node))


def _strip(data):
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items() if k != "__line__"}
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


def read(path: Path) -> dict:
    """The file's content, with line numbers; refuses an unreadable or malformed file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise EquisanteError("file_not_found", path=str(path)) from None
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = Problem("prioritisation_file_invalid", {"why": f"YAML illisible ({getattr(exc, 'problem', exc)})"},
                          Location(source=str(path), line=mark.line + 1 if mark else None))
        raise InputRejected(str(path), [problem]) from None
    data = _lines(node) if node is not None else {}
    if not isinstance(data, dict):
        raise InputRejected(str(path), [Problem("prioritisation_file_invalid",
                                                {"why": "le fichier doit contenir les listes « indices » et/ou « rules »"},
                                                Location(source=str(path), line=1))])
    return data


def check(path: Path, data: dict) -> tuple[list[dict], list[dict], list[Problem]]:
    """Validate every entry; returns the index definitions and rules (plain dictionaries) and the
    problems found."""
    source = str(path)
    problems: list[Problem] = []

    def problem(error, line, key=None, **params):
        problems.append(Problem(error, params, Location(source=source, line=line, column=key)))

    unknown = sorted(set(data) - {"indices", "rules", "__line__"})
    if unknown:
        problem("prioritisation_file_invalid", data.get("__line__"), unknown[0],
                why=f"clé « {unknown[0]} » inconnue (clés acceptées : indices, rules)")
    indices_in = data.get("indices") or []
    rules_in = data.get("rules") or []
    for name, entries in (("indices", indices_in), ("rules", rules_in)):
        if not isinstance(entries, list):
            problem("prioritisation_file_invalid", data.get("__line__"), name, why=f"« {name} » doit être une liste")
    indices_in = indices_in if isinstance(indices_in, list) else []
    rules_in = rules_in if isinstance(rules_in, list) else []

    catalogue = set(Indicator.objects.values_list("code", flat=True))
    defined = set(IndexDefinition.objects.values_list("code", flat=True))
    good_indices, good_rules = [], []
    for entry in indices_in:
        line = entry.get("__line__") if isinstance(entry, dict) else None
        if not isinstance(entry, dict):
            problem("prioritisation_file_invalid", line, "indices", why="chaque indice est un dictionnaire")
            continue
        extra = sorted(set(entry) - INDEX_KEYS - {"__line__"})
        missing = [k for k in ("code", "label", "method", "inputs") if not entry.get(k)]
        if extra or missing:
            key = (extra or missing)[0]
            problem("prioritisation_definition_invalid", line, key,
                    why=(f"clé « {key} » inconnue (clés acceptées : {', '.join(sorted(INDEX_KEYS))})" if extra
                         else f"clé obligatoire « {key} » absente"))
            continue
        clean = _strip(entry)
        code = str(clean["code"])
        try:
            definitions.check_definition(code, clean["method"], clean["inputs"], clean.get("parameters") or {})
        except EquisanteError as exc:
            problem(exc.code, line, "inputs", **exc.params)
            continue
        for role, indicator in definitions.indicator_codes(clean["method"], clean["inputs"]).items():
            if indicator not in catalogue:
                problem("prioritisation_indicator_unknown", _line_of(entry, "inputs", indicator), "inputs",
                        index=code, indicator=indicator, role=role)
        if clean.get("aggregation", "weighted_mean") not in AGGREGATIONS:
            problem("prioritisation_definition_invalid", line, "aggregation",
                    why=f"« {clean['aggregation']} » inconnu (valeurs : {', '.join(AGGREGATIONS)})")
        clean.setdefault("higher_is_worse", definitions.HIGHER_IS_WORSE[clean["method"]])
        clean.setdefault("parameters", {})
        good_indices.append(clean)
        defined.add(code)

    for entry in rules_in:
        line = entry.get("__line__") if isinstance(entry, dict) else None
        if not isinstance(entry, dict):
            problem("prioritisation_file_invalid", line, "rules", why="chaque règle est un dictionnaire")
            continue
        extra = sorted(set(entry) - RULE_KEYS - {"__line__"})
        missing = [k for k in ("code", "index", "label") if not entry.get(k)]
        if extra or missing:
            key = (extra or missing)[0]
            problem("prioritisation_rule_invalid", line, key, code=entry.get("code", "?"),
                    why=(f"clé « {key} » inconnue (clés acceptées : {', '.join(sorted(RULE_KEYS))})" if extra
                         else f"clé obligatoire « {key} » absente"))
            continue
        clean = _strip(entry)
        if str(clean["index"]) not in defined:
            problem("prioritisation_index_unknown", _line_of(entry, "index"), "index", code=clean["index"],
                    known=", ".join(sorted(defined)) or "aucun")
            continue
        for key in ("valid_from", "valid_to"):
            if clean.get(key) is not None:
                clean[key] = str(clean[key])
        try:
            rules.check_rule(clean)
        except EquisanteError as exc:
            problem(exc.code, line, None, **exc.params)
        level = clean.get("level") or _base_level(str(clean["index"]), good_indices)
        for exception in entry.get("exceptions") or []:
            if not isinstance(exception, Mapping) or not exception.get("code") or not exception.get("reason"):
                problem("prioritisation_rule_invalid", _line_of(entry, "exceptions"), "exceptions",
                        code=clean["code"], why="une exception a un code de territoire (code) et un motif (reason)")
                continue
            try:
                rules.find_territory(str(exception["code"]), level)
            except EquisanteError as exc:
                problem(exc.code, exception.get("__line__") if isinstance(exception, dict) else None,
                        "exceptions", **exc.params)
        good_rules.append(clean)
    return good_indices, good_rules, problems


def _line_of(entry: dict, key: str, indicator: str | None = None) -> int | None:
    """The line of ``entry[key]`` (of the list item naming ``indicator`` in a composite's inputs)."""
    value = entry.get(key)
    if isinstance(value, dict) and "__line__" in value:
        return value["__line__"]
    if isinstance(value, list):
        items = [v for v in value if isinstance(v, dict)]
        wanted = [v for v in items if indicator is not None and str(v.get("indicator")) == indicator]
        if wanted or items:
            return (wanted or items)[0].get("__line__")
    return entry.get("__line__")


def _base_level(index_code: str, good_indices: list[dict]) -> str:
    """The base level of an index defined in the file, else in the database (exceptions of a rule
    without ``level`` are territories of that level)."""
    for entry in good_indices:
        if str(entry.get("code")) == index_code:
            return entry.get("base_level") or "commune"
    stored = IndexDefinition.objects.filter(code=index_code).values_list("base_level", flat=True).first()
    return stored or "commune"


def apply(path: Path) -> tuple[int, int]:
    """Check the file and, when there is no problem, create or replace its definitions and rules
    (one transaction). Returns (definitions, rules) written; raises ``InputRejected`` otherwise."""
    data = read(path)
    good_indices, good_rules, problems = check(path, data)
    if problems:
        raise InputRejected(str(path), problems)
    with transaction.atomic():
        for entry in good_indices:
            code = str(entry.pop("code"))
            IndexDefinition.objects.update_or_create(code=code, defaults=entry)
        for entry in good_rules:
            index = IndexDefinition.objects.get(code=str(entry.pop("index")))
            level = entry.pop("level", "")
            exceptions = [{"code": str(e["code"]), "reason": e["reason"], "valid_from": e.get("valid_from"),
                           "valid_to": e.get("valid_to")} for e in entry.pop("exceptions", None) or []]
            rules.save_rule(index, exceptions=exceptions, level=level, **entry)
    return len(good_indices), len(good_rules)
