"""Creating and checking prioritisation rules and their exceptions (services used by the admin, the
command line and the demonstration).

A rule is checked completely before anything is written: a threshold rule through the core
:class:`equisante.indices.Rule` (operator, threshold, dates), a quantile rule for its number of
classes (2 to 10) and method (``weighted`` or ``phe``). Messages are French and catalogued.
"""

from __future__ import annotations

import equisante.prioritisation.problems  # noqa: F401  (declares the error codes raised here)

from collections.abc import Mapping
from datetime import date

from django.db import transaction

from equisante import indices
from equisante.errors import EquisanteError
from equisante.indices.errors import IndicesInputError
from equisante.prioritisation.models import IndexDefinition, PriorityRule, RuleException
from equisante.territories.models import LEVEL_CHOICES, Territory

QUANTILE_METHODS = ("weighted", "phe")


def _invalid(code: str, why: str) -> EquisanteError:
    return EquisanteError("prioritisation_rule_invalid", code=code or "?", why=why)


def check_rule(data: Mapping) -> None:
    """Refuse a rule whose fields do not fit its kind (``EquisanteError``)."""
    code = str(data.get("code") or "")
    kind = data.get("kind") or "threshold"
    if kind == "threshold":
        if data.get("operator") in (None, "") or data.get("threshold") is None:
            raise _invalid(code, "une règle de seuil a un opérateur (<, <=, >, >=) et un seuil")
        try:
            indices.Rule(label=str(data.get("label") or code or "?"), column=None, operator=data["operator"],
                         threshold=data["threshold"], valid_from=data.get("valid_from"),
                         valid_to=data.get("valid_to"))
        except IndicesInputError as exc:
            raise _invalid(code, _why(exc)) from None
    elif kind == "quantile":
        classes = data.get("classes") or 5
        if isinstance(classes, bool) or not isinstance(classes, int) or not 2 <= classes <= 10:
            raise _invalid(code, f"le nombre de classes ({classes!r}) doit être un entier de 2 à 10")
        if (data.get("quantile_method") or "weighted") not in QUANTILE_METHODS:
            raise _invalid(code, f"méthode des quantiles « {data.get('quantile_method')} » inconnue "
                                 "(weighted : pondérée par la population ; phe : méthode PHE)")
    else:
        raise _invalid(code, f"type « {kind} » inconnu (types acceptés : threshold, quantile)")


def _why(exc: IndicesInputError) -> str:
    """The reason of a core rule error, without repeating the rule's label."""
    return str(exc.params.get("why") or exc.message).rstrip(".")


def get_rule(code: str) -> PriorityRule:
    try:
        return PriorityRule.objects.select_related("index").get(code=code)
    except PriorityRule.DoesNotExist:
        known = ", ".join(PriorityRule.objects.values_list("code", flat=True)) or "aucune"
        raise EquisanteError("prioritisation_rule_unknown", code=code, known=known) from None


def find_territory(code: str, level: str) -> Territory:
    territory = Territory.objects.filter(level=level, code=code).order_by("-vintage").first()
    if territory is None:
        raise EquisanteError("prioritisation_territory_unknown", level=level, code=code)
    return territory


@transaction.atomic
def save_rule(index: IndexDefinition, *, code: str, label: str, kind: str = "threshold", policy: str = "",
              operator: str = "", threshold: float | None = None, valid_from: date | str | None = None,
              valid_to: date | str | None = None, classes: int | None = None, quantile_method: str = "",
              eligibility: bool = False, primary: bool = False, source: str = "", notes: str = "",
              exceptions: list[Mapping] = (), level: str = "", fictional: bool = False) -> PriorityRule:
    """Create or replace the rule ``code`` with its exceptions (each ``{code, reason, valid_from,
    valid_to}``, territories of ``level``). ``level``: the level of the territories a threshold
    rule decides (empty: the index's base level); at other levels the rule is not applied.
    Everything is checked before anything is written."""
    if level and level not in {choice for choice, _label in LEVEL_CHOICES}:
        raise _invalid(code, f"niveau « {level} » inconnu")
    exception_level = level or index.base_level
    fields = {"code": code, "label": label, "kind": kind, "operator": operator or "", "threshold": threshold,
              "valid_from": _date(valid_from, code), "valid_to": _date(valid_to, code),
              "classes": classes if kind == "quantile" else None,
              "quantile_method": (quantile_method or "weighted") if kind == "quantile" else ""}
    check_rule(fields)
    resolved = []
    for entry in exceptions or ():
        if not entry.get("reason"):
            raise _invalid(code, f"l'exception {entry.get('code')} n'a pas de motif")
        resolved.append((find_territory(str(entry["code"]), exception_level), entry))
    if kind == "threshold":
        # the core checks the exceptions too (duplicates, dates)
        try:
            indices.Rule(label=label, column=None, operator=operator, threshold=threshold,
                         valid_from=fields["valid_from"], valid_to=fields["valid_to"],
                         exceptions=tuple(indices.Exemption(t.code, e["reason"], e.get("valid_from"),
                                                            e.get("valid_to")) for t, e in resolved))
        except IndicesInputError as exc:
            raise _invalid(code, _why(exc)) from None
    rule, _ = PriorityRule.objects.update_or_create(code=code, defaults={
        **fields, "index": index, "policy": policy or code, "eligibility": eligibility, "primary": primary,
        "source": source, "notes": notes, "fictional": fictional, "level": level if kind == "threshold" else "",
    })
    if primary:
        PriorityRule.objects.filter(index=index, primary=True).exclude(policy=rule.policy).update(primary=False)
    rule.exceptions.all().delete()
    for territory, entry in resolved:
        RuleException.objects.create(rule=rule, territory=territory, reason=entry["reason"],
                                     valid_from=_date(entry.get("valid_from"), code),
                                     valid_to=_date(entry.get("valid_to"), code))
    return rule


def _date(value, code: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _invalid(code, f"« {value} » n'est pas une date (attendu : AAAA-MM-JJ)") from None


def add_exception(rule: PriorityRule, territory: Territory, reason: str, valid_from=None, valid_to=None) -> RuleException:
    """Add (or update) the exception of ``territory`` to a threshold ``rule``."""
    if rule.kind != "threshold":
        raise _invalid(rule.code, "seules les règles de seuil ont des exceptions")
    if not reason or not reason.strip():
        raise _invalid(rule.code, "le motif de l'exception est obligatoire")
    start, end = _date(valid_from, rule.code), _date(valid_to, rule.code)
    if start and end and start > end:
        raise _invalid(rule.code, f"exception {territory.code} : la fin de validité précède le début")
    exception, _ = RuleException.objects.update_or_create(
        rule=rule, territory=territory, defaults={"reason": reason.strip(), "valid_from": start, "valid_to": end})
    return exception
