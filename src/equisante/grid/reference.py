"""The analysis grid as versioned reference data (``data/grid-<version>.yaml``).

Four kinds of target share one id space: determinants (D1…D6 and descendants, « sur quoi agit-on »),
strategies (S1…S5 and descendants, « comment agit-on »), the three approach types and the sixteen health
themes of Figure 1. Ids are stable across versions; labels are the published ones.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

import yaml

from equisante.grid.errors import GridError
from equisante.grid.lexicon import normalise_label

#: Family name in the data file → kind of its targets.
FAMILIES = {"determinants": "determinant", "strategies": "strategy", "approaches": "approach", "themes": "theme"}
KINDS = tuple(FAMILIES.values())


@dataclass(frozen=True)
class Node:
    """One target of the grid: a determinant or strategy node, an approach type or a theme."""

    id: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    level: int = 1
    definition: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    detail: str | None = None
    items: tuple[str, ...] = ()
    table_only: bool = False


@dataclass
class Grid:
    """The grid of one version, with look-ups by id and by label."""

    version: str
    title: str
    source: str
    nodes: dict[str, Node]
    _children: dict[str | None, list[str]] = field(default_factory=dict, repr=False)
    _labels: dict[str, list[tuple[str, bool]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for node in self.nodes.values():
            if node.kind in ("determinant", "strategy"):
                self._children.setdefault(node.parent, []).append(node.id)
            for text, primary in [(node.label, True)] + [(a, False) for a in node.aliases]:
                self._labels.setdefault(normalise_label(text), []).append((node.id, primary))

    # --- look-ups by id --------------------------------------------------------------------------

    def is_valid(self, id: str) -> bool:
        """Whether ``id`` names a node, an approach type or a theme of this version."""
        return id in self.nodes

    def node(self, id: str) -> Node:
        """The target with this id (:class:`GridError` ``grid_node_unknown`` otherwise)."""
        try:
            return self.nodes[id]
        except (KeyError, TypeError):
            raise GridError("grid_node_unknown", id=id, version=self.version) from None

    def children(self, id: str | None) -> list[Node]:
        """Direct children of a node (``None``: the top-level determinants and strategies)."""
        if id is not None:
            self.node(id)
        return [self.nodes[c] for c in self._children.get(id, [])]

    def ancestors(self, id: str) -> list[Node]:
        """The node's ancestors, nearest first."""
        out = []
        parent = self.node(id).parent
        while parent is not None:
            out.append(self.nodes[parent])
            parent = self.nodes[parent].parent
        return out

    def descendants(self, id: str) -> list[Node]:
        """Every node below ``id``, depth first."""
        out = []
        for child in self.children(id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return out

    def top_level(self, id: str) -> str:
        """The level-1 ancestor of a node (« D2.3 » → « D2 »); approaches and themes are their own."""
        chain = self.ancestors(id)
        return chain[-1].id if chain else id

    def at_level(self, id: str, level: int) -> str:
        """The ancestor of ``id`` at ``level`` (the node itself when it is not deeper)."""
        node = self.node(id)
        while node.level > level and node.parent is not None:
            node = self.nodes[node.parent]
        return node.id

    def closure(self, ids) -> set[str]:
        """The ids and all their ancestors."""
        out = set()
        for id in ids:
            out.add(id)
            out.update(a.id for a in self.ancestors(id))
        return out

    # --- families --------------------------------------------------------------------------------

    def of_kind(self, kind: str) -> list[Node]:
        if kind not in KINDS:
            raise GridError("grid_argument_invalid", argument="kind", value=kind, accepted=", ".join(KINDS))
        return [n for n in self.nodes.values() if n.kind == kind]

    def determinants(self) -> list[Node]:
        """All determinant nodes (D…), in grid order."""
        return self.of_kind("determinant")

    def strategies(self) -> list[Node]:
        """All strategy nodes (S…), in grid order."""
        return self.of_kind("strategy")

    def approaches(self) -> list[Node]:
        """The three approach types."""
        return self.of_kind("approach")

    def themes(self) -> list[Node]:
        """The sixteen health themes of Figure 1."""
        return self.of_kind("theme")

    # --- look-up by label ------------------------------------------------------------------------

    def resolve_label(self, text: str, *, kind: str | None = None, within: str | None = None) -> str:
        """The id whose label or published alias is ``text`` (accent-, case- and punctuation-insensitive;
        an id is accepted as is). ``kind`` and ``within`` (an ancestor id) narrow the search when a label
        is shared (« Logement », « Formation », « Autres », « Addictions »…). When one candidate carries
        ``text`` as its own label and the others only as an alias, the label wins."""
        if kind is not None and kind not in KINDS:
            raise GridError("grid_argument_invalid", argument="kind", value=kind, accepted=", ".join(KINDS))
        text = text if isinstance(text, str) else ""
        candidates = list(self._labels.get(normalise_label(text), []))
        if text.strip() in self.nodes:
            candidates.append((text.strip(), True))
        if kind is not None:
            candidates = [c for c in candidates if self.nodes[c[0]].kind == kind]
        if within is not None:
            self.node(within)
            candidates = [c for c in candidates if c[0] == within or within in {a.id for a in self.ancestors(c[0])}]
        ids = sorted({c[0] for c in candidates})
        if len(ids) > 1:
            primary = sorted({c[0] for c in candidates if c[1]})
            if len(primary) == 1:
                return primary[0]
            raise GridError("grid_label_ambiguous", text=text, candidates=", ".join(ids))
        if not ids:
            scope = ""
            if kind:
                scope += f" (type {kind})"
            if within:
                scope += f" sous {within}"
            raise GridError("grid_label_unknown", text=text, version=self.version, scope=scope)
        return ids[0]


def available_versions() -> list[str]:
    """Versions shipped with the package (``data/grid-<version>.yaml``)."""
    folder = resources.files("equisante.grid") / "data"
    return sorted(p.name[len("grid-"):-len(".yaml")] for p in folder.iterdir()
                  if p.name.startswith("grid-") and p.name.endswith(".yaml"))


@functools.lru_cache(maxsize=None)
def load_grid(version: str = "v1") -> Grid:
    """The grid of ``version`` (read once per process)."""
    available = available_versions()
    if version not in available:
        raise GridError("grid_version_unknown", version=version, available=", ".join(available))
    text = (resources.files("equisante.grid") / "data" / f"grid-{version}.yaml").read_text(encoding="utf-8")
    return parse_grid(yaml.safe_load(text), version)


def parse_grid(data: dict, version: str) -> Grid:
    """Build and check a :class:`Grid` from the parsed data file."""
    nodes: dict[str, Node] = {}
    for family, kind in FAMILIES.items():
        for raw in data.get(family) or []:
            node = Node(
                id=raw["id"], kind=kind, label=raw["label"], aliases=tuple(raw.get("aliases") or ()),
                parent=raw.get("parent"), level=int(raw.get("level", 1)), definition=raw.get("definition", ""),
                examples=tuple(raw.get("examples") or ()), keywords=tuple(raw.get("keywords") or ()),
                detail=raw.get("detail"), items=tuple(raw.get("items") or ()),
                table_only=bool(raw.get("table_only", False)),
            )
            if node.id in nodes:
                raise GridError("grid_data_invalid", version=version, why=f"identifiant {node.id} en double")
            nodes[node.id] = node
    for node in nodes.values():
        if node.parent is None:
            if node.level != 1:
                raise GridError("grid_data_invalid", version=version,
                                why=f"{node.id} sans parent mais de niveau {node.level}")
            continue
        parent = nodes.get(node.parent)
        if parent is None or parent.kind != node.kind or parent.level != node.level - 1:
            raise GridError("grid_data_invalid", version=version, why=f"parent {node.parent} de {node.id} incohérent")
    return Grid(version=str(data.get("version", version)), title=data.get("title", ""),
                source=data.get("source", ""), nodes=nodes)
