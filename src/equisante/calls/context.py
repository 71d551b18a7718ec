"""The context of an application's territories, read from the rest of equisante: the département, the
priority class under the rule that decides eligibility to a local health contract (e.g. IDH-2 < 0,52),
the quartiers prioritaires (QPV) and zones (ZIP) they contain or belong to, the local health contracts
that cover them, and coding suggestions on the analysis grid from the project's French text.

:class:`Context` is built once per page (or per command) for all the territories it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from equisante.territories.models import Membership, Territory

DEPRIVED_CLASS = 1  # class rank of the territories that meet the eligibility rule


@dataclass
class TerritoryContext:
    territory: Territory
    departement: Territory | None = None
    priority_label: str = ""
    priority_rank: int | None = None
    qpv: list[str] = field(default_factory=list)
    zip: list[str] = field(default_factory=list)
    contracts: list[str] = field(default_factory=list)

    @property
    def most_deprived(self) -> bool:
        return self.priority_rank == DEPRIVED_CLASS


class Context:
    """Context of territories, computed lazily and cached for the lifetime of the object."""

    def __init__(self):
        self._classes: dict[int, tuple[int | None, str]] | None = None
        self.rule_text = ""
        self._cache: dict[int, TerritoryContext] = {}

    # --- priority classes ---------------------------------------------------------------------------
    def _load_classes(self) -> dict[int, tuple[int | None, str]]:
        if self._classes is not None:
            return self._classes
        self._classes = {}
        try:
            from equisante.prioritisation.classing import classify
            from equisante.prioritisation.models import IndexResult, PriorityRule
        except ImportError:  # pragma: no cover - the prioritisation app is part of the product
            return self._classes
        rule = (PriorityRule.objects.filter(eligibility=True, kind="threshold")
                .order_by("-primary", "-valid_from").first())
        if rule is None:
            return self._classes
        for result in IndexResult.objects.filter(definition=rule.index).order_by("level", "-period"):
            try:
                classification = classify(result, rule, on=date.today())
            except Exception:  # noqa: BLE001 - a rule that cannot be applied leaves the class unknown
                continue
            self.rule_text = self.rule_text or classification.rule_text
            for row in classification.rows.itertuples(index=False):
                rank = None if row.class_rank is None or str(row.class_rank) == "<NA>" else int(row.class_rank)
                self._classes.setdefault(int(row.territory_id), (rank, str(row.class_label or "")))
        return self._classes

    # --- one territory --------------------------------------------------------------------------------
    def of(self, territory: Territory) -> TerritoryContext:
        if territory.pk in self._cache:
            return self._cache[territory.pk]
        context = TerritoryContext(territory=territory)
        context.departement = departement_of(territory)
        rank, label = self._load_classes().get(territory.pk, (None, ""))
        context.priority_rank, context.priority_label = rank, label
        communes = [territory] if territory.level == "commune" else []
        if territory.level == "qpv":
            context.qpv = [territory.name]
        else:
            qpv = Territory.objects.filter(level="qpv", parent__in=communes) if communes else []
            context.qpv = [q.name for q in qpv]
        groups = Territory.objects.filter(members__member=territory)
        context.zip = [g.name for g in groups if g.level == "zone" and "zip" in g.zone_type.lower()]
        context.contracts = covering_contracts(territory, [g.pk for g in groups])
        self._cache[territory.pk] = context
        return context


def departement_of(territory: Territory) -> Territory | None:
    current, seen = territory, 0
    while current is not None and seen < 6:
        if current.level == "departement":
            return current
        if current.parent_id is None and current.level in ("epci", "zone"):
            membership = Membership.objects.filter(group=current, member__level="commune").select_related(
                "member").first()
            current = membership.member if membership else None
        else:
            current = current.parent
        seen += 1
    return None


def covering_contracts(territory: Territory, group_ids: list[int]) -> list[str]:
    """Codes of the local health contracts whose perimeter holds the territory or an area containing it."""
    from equisante.contracts.models import Contract

    ids = {territory.pk, *group_ids}
    parent = territory.parent
    while parent is not None:
        ids.add(parent.pk)
        parent = parent.parent
    if territory.level == "commune":
        ids.update(Territory.objects.filter(level="qpv", parent=territory).values_list("pk", flat=True))
    return sorted(set(Contract.objects.filter(perimeter__in=ids).values_list("code", flat=True)))


def grid_suggestions(text: str, limit: int = 4) -> list[tuple[str, str, float]]:
    """Coding suggestions on the analysis grid for ``text``: ``(id, label, probability)``, best first;
    empty when the text is empty or the suggester cannot run (never applied automatically)."""
    if not text or not text.strip():
        return []
    try:
        from equisante.contracts.coding import suggester
        from equisante.grid import load_grid

        found = suggester("v1").suggest(text)
        grid = load_grid("v1")
    except Exception:  # noqa: BLE001 - suggestions are a help, their absence must not break the page
        return []
    items = list(found.determinants) + list(found.strategies) + ([found.approach] if found.approach else [])
    items.sort(key=lambda s: -s.score)
    return [(s.node_id, grid.node(s.node_id).label, s.score) for s in items[:limit]]
