"""The grid as reference data: every published node, stable ids, labels and aliases, look-ups."""

from __future__ import annotations

import pytest
import yaml

from equisante.errors import catalogue
from equisante.grid import GridError, load_grid
from equisante.grid.reference import available_versions

TOP_LEVEL_DETERMINANTS = ["D1", "D2", "D3", "D4", "D5", "D6"]
TOP_LEVEL_STRATEGIES = ["S1", "S2", "S3", "S4", "S5"]
#: A handful of nodes with their published labels (table of Annexe 3), written out here so that the
#: test holds without ../shared.
SOME_NODES = {
    "D1": "Conditions socio-économiques",
    "D2.2.4": "Logement",
    "D2.3.1": "Logement",
    "D2.3": "Accès aux ressources (hors services de santé)",
    "D4.2.2": "Compétences psychosociales",
    "D5": "Le système de soins",
    "D5.1.2": "Administrative",
    "D5.1.5.3": "Mécanismes adéquats d'identification et orientation",
    "D6.3": "Prise en compte des déterminants de santé dans les politiques",
    "S1.2": "Education à la santé",
    "S4.1.1": "Développement de consultations/services hors structures de santé",
    "S4.4.3.1": "Recrutement de personnel",
    "S5.2.4": "Evaluation impact sur la santé",
    "S5.3": "Planification et mesures politiques",
}
THEMES = [
    "Accès aux soins", "Amélioration du système de soins", "Addictions", "Cancer", "Conduites à risque",
    "Maladies CV et métaboliques", "Nutrition", "Santé bucco-dentaire", "Santé-environnement", "Santé bien-être",
    "Santé des femmes et enfants", "Santé mentale", "santé sexuelle et affective", "Tuberculose", "Vaccin", "Autres",
]


@pytest.fixture(scope="module")
def grid():
    return load_grid("v1")


def test_top_level_ids_and_a_few_published_labels(grid):
    assert [n.id for n in grid.children(None) if n.kind == "determinant"] == TOP_LEVEL_DETERMINANTS
    assert [n.id for n in grid.children(None) if n.kind == "strategy"] == TOP_LEVEL_STRATEGIES
    for node_id, label in SOME_NODES.items():
        assert grid.node(node_id).label == label


def test_structure_parent_level_and_families(grid):
    assert len(grid.determinants()) == 69 and len(grid.strategies()) == 45
    for node in grid.determinants() + grid.strategies():
        assert node.definition and node.examples, node.id
        if node.parent is None:
            assert node.level == 1
        else:
            assert grid.node(node.parent).level == node.level - 1
            assert node.id.startswith(node.parent + ".")
    assert grid.node("S4.3").table_only and grid.node("D5.3").table_only
    assert grid.node("D2.2.4").detail.startswith("Qualité air intérieur")
    assert "Des pairs/relais" in grid.node("S2.2").items


def test_themes_and_approaches(grid):
    assert [t.label for t in grid.themes()] == THEMES
    assert [a.label for a in grid.approaches()] == ["groupes défavorisés", "universalisme", "universalisme proportionné"]
    assert grid.version == "v1" and "Annexe 3" in grid.source
    assert available_versions() == ["v1"]


def test_navigation(grid):
    assert grid.top_level("D2.3") == "D2"
    assert grid.top_level("S4.4.3.1") == "S4"
    assert grid.top_level("nutrition") == "nutrition"
    assert [n.id for n in grid.children("D5.1.3")] == ["D5.1.3.1", "D5.1.3.2"]
    assert [a.id for a in grid.ancestors("D5.1.5.3")] == ["D5.1.5", "D5.1", "D5"]
    assert grid.at_level("S4.1.5", 2) == "S4.1" and grid.at_level("S4", 2) == "S4"
    assert grid.closure(["D2.2.4"]) == {"D2.2.4", "D2.2", "D2"}
    assert len(grid.descendants("D1")) == 2
    assert grid.is_valid("S5.1.4") and not grid.is_valid("S5.1.9") and not grid.is_valid("")


def test_unknown_id_and_version_are_catalogued_errors(grid):
    with pytest.raises(GridError) as err:
        grid.node("D9")
    assert err.value.code == "grid_node_unknown" and "« D9 »" in str(err.value)
    with pytest.raises(GridError) as err:
        load_grid("v9")
    assert err.value.code == "grid_version_unknown" and "v1" in str(err.value)
    codes = {k.code for k in catalogue()}
    assert {"grid_node_unknown", "grid_label_unknown", "grid_label_ambiguous", "grid_text_empty",
            "grid_jsonl_invalid", "grid_code_invalid"} <= codes


def test_resolve_label_with_aliases_accents_and_case(grid):
    assert grid.resolve_label("Conditions socio-économiques") == "D1"
    assert grid.resolve_label("conditions socio economiques") == "D1"
    assert grid.resolve_label("1. Les conditions socio-économiques") == "D1"  # text heading
    assert grid.resolve_label("Style de vie") == "D4"  # Figure 2 label
    assert grid.resolve_label("ENVIRONNEMENT PROGRAMMATIQUE ET STRATÉGIQUE") == "D6"
    assert grid.resolve_label("Réorientation des services") == "S4"
    assert grid.resolve_label("Éducation pour la santé") == "S1.2"
    assert grid.resolve_label("santé des femmes et enfants") == "sante-femmes-enfants"
    assert grid.resolve_label("universalisme proportionné") == "universalisme-proportionne"
    assert grid.resolve_label("UP") == "universalisme-proportionne"
    assert grid.resolve_label("D2.2.4") == "D2.2.4"


def test_shared_labels_need_a_kind_or_a_parent(grid):
    with pytest.raises(GridError) as err:
        grid.resolve_label("Logement")
    assert err.value.code == "grid_label_ambiguous" and "D2.2.4" in str(err.value) and "D2.3.1" in str(err.value)
    assert grid.resolve_label("Logement", within="D2.3") == "D2.3.1"
    assert grid.resolve_label("logement", within="D2.2") == "D2.2.4"
    assert grid.resolve_label("Formation", within="S2") == "S2.2"
    assert grid.resolve_label("Addictions", kind="theme") == "addictions"
    assert grid.resolve_label("Addictions", kind="determinant") == "D4.1.3"
    # « Information » is the Figure 2 label of S1.1
    assert grid.resolve_label("Information") == "S1.1"
    with pytest.raises(GridError) as err:
        grid.resolve_label("Gestion des déchets")
    assert err.value.code == "grid_label_unknown"
    with pytest.raises(GridError) as err:
        grid.resolve_label("Logement", kind="quartier")
    assert err.value.code == "grid_argument_invalid"


def test_every_node_of_the_shared_grid_is_present_with_its_labels(grid, shared_dir):
    """Against ../shared/domain/grid.yaml (skipped when absent): same ids, parents, labels, aliases."""
    source = yaml.safe_load((shared_dir / "domain" / "grid.yaml").read_text(encoding="utf-8"))["grid"]
    seen = []

    def walk(nodes, parent):
        for raw in nodes:
            if "id" not in raw:
                assert raw["label_fr"] in grid.node(parent).items
                continue
            node = grid.node(raw["id"])
            seen.append(raw["id"])
            assert node.label == raw["label_fr"]
            assert node.parent == parent
            for key in ("text_label_fr", "fig2_label_fr"):
                if raw.get(key) and raw[key] != raw["label_fr"]:
                    assert raw[key] in node.aliases, (raw["id"], key)
            if raw.get("detail_fr"):
                assert node.detail == raw["detail_fr"]
            assert node.table_only == bool(raw.get("table_only"))
            walk(raw.get("children") or raw.get("means") or [], raw["id"])

    walk(source["part1_sur_quoi_veut_on_agir"]["categories"], None)
    walk(source["part2_comment_agit_on"]["strategies"], None)
    assert sorted(seen) == sorted(n.id for n in grid.determinants() + grid.strategies())


def test_definitions_are_not_copied_from_the_shared_grid(grid, shared_dir):
    """Our definitions are our own French sentences, not the (English) definitions of the source."""
    text = (shared_dir / "domain" / "grid.yaml").read_text(encoding="utf-8")
    for node in grid.determinants() + grid.strategies():
        assert node.definition not in text, node.id
