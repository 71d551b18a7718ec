"""Both published tables, checked cell by cell on a small portfolio built for the purpose."""

from __future__ import annotations

import math

import pytest

from equisante.actionsheets import ActionSheet
from equisante.portfolio import (
    FIGURE_2_SUBGROUPS, PortfolioError, add_labels, determinant_strategy_table, label, theme_table,
)


def _portfolio() -> list[ActionSheet]:
    return [
        # two themes; two determinant classes (D5, D2); two strategies with sub-groups
        ActionSheet("C", "F1", title="Permanence droits", themes=("acces-aux-soins", "sante-mentale"),
                    determinants=("D5.1.2", "D2.3.3"), strategies=("S4.1.1", "S5.1")),
        # one class (D4) coded twice, two sub-groups of S1
        ActionSheet("C", "F2", title="Ateliers", themes=("nutrition",), determinants=("D4.1.5",),
                    strategies=("S1.2", "S1.1")),
        # three themes; no strategy at all (NS)
        ActionSheet("C", "F3", title="Diagnostic", themes=("nutrition", "sante-femmes-enfants", "acces-aux-soins"),
                    determinants=("D4.1.5", "D4.2.1")),
        # no theme; coded at the top level only: counts for S4, for none of its sub-groups
        ActionSheet("C", "F4", title="Offre", determinants=("D5",), strategies=("S4",)),
        # three classes, three strategies
        ActionSheet("C", "F5", title="Habitat", themes=("sante-environnement",),
                    determinants=("D2.2.4", "D3.3.1", "D6.3"), strategies=("S3.1", "S2.1", "S5.3")),
        # no determinant: in the theme table, absent from the determinant table
        ActionSheet("C", "F6", title="Coordination", themes=("acces-aux-soins",), strategies=("S4.2",)),
    ]


EXPECTED_THEMES = {  # theme → (sheets, percent of the 6 sheets)
    "acces-aux-soins": (3, 50.0),
    "amelioration-systeme-soins": (0, 0.0),
    "addictions": (0, 0.0),
    "cancer": (0, 0.0),
    "conduites-a-risque": (0, 0.0),
    "maladies-cv-metaboliques": (0, 0.0),
    "nutrition": (2, 100 * 2 / 6),
    "sante-bucco-dentaire": (0, 0.0),
    "sante-environnement": (1, 100 / 6),
    "sante-bien-etre": (0, 0.0),
    "sante-femmes-enfants": (1, 100 / 6),
    "sante-mentale": (1, 100 / 6),
    "sante-sexuelle-affective": (0, 0.0),
    "tuberculose": (0, 0.0),
    "vaccin": (0, 0.0),
    "autres": (0, 0.0),
}


def test_theme_table_cell_by_cell():
    table = theme_table(_portfolio())
    assert list(table.columns) == ["theme", "n_actions", "share"]
    assert list(table["theme"]) == list(EXPECTED_THEMES)  # the Figure 1 order, zeros kept
    for row in table.itertuples():
        count, share = EXPECTED_THEMES[row.theme]
        assert row.n_actions == count, row.theme
        assert row.share == pytest.approx(share), row.theme
    assert table.attrs["n_sheets"] == 6
    assert table.attrs["n_mentions"] == 8
    assert table.attrs["mention_share"] == pytest.approx(800 / 6)
    assert table.attrs["n_several_themes"] == 2
    assert table.attrs["several_themes_by_count"] == {2: 1, 3: 1}
    assert table.attrs["n_without_theme"] == 1
    assert "2 fiches (33,3 %) abordent plus d'une thématique (1 en aborde 2, 1 en aborde 3) et comptent sous chacune." \
        in table.attrs["note"]


def test_theme_table_without_empty_themes():
    table = theme_table(_portfolio(), include_empty=False)
    assert list(table["theme"]) == ["acces-aux-soins", "nutrition", "sante-environnement", "sante-femmes-enfants",
                                    "sante-mentale"]


# (class, strategy) → sheets, for every non-zero cell; every other cell is 0.
EXPECTED_CELLS = {
    ("D2", ""): 2, ("D2", "S2"): 1, ("D2", "S2.1"): 1, ("D2", "S3"): 1, ("D2", "S3.1"): 1, ("D2", "S4"): 1,
    ("D2", "S4.1"): 1, ("D2", "S5"): 2, ("D2", "S5.1"): 1, ("D2", "S5.3"): 1,
    ("D3", ""): 1, ("D3", "S2"): 1, ("D3", "S2.1"): 1, ("D3", "S3"): 1, ("D3", "S3.1"): 1, ("D3", "S5"): 1,
    ("D3", "S5.3"): 1,
    ("D4", ""): 2, ("D4", "S1"): 1, ("D4", "S1.1"): 1, ("D4", "S1.2"): 1, ("D4", "NS"): 1,
    ("D5", ""): 2, ("D5", "S4"): 2, ("D5", "S4.1"): 1, ("D5", "S5"): 1, ("D5", "S5.1"): 1,
    ("D6", ""): 1, ("D6", "S2"): 1, ("D6", "S2.1"): 1, ("D6", "S3"): 1, ("D6", "S3.1"): 1, ("D6", "S5"): 1,
    ("D6", "S5.3"): 1,
}
CLASS_TOTALS = {"D1": 0, "D2": 2, "D3": 1, "D4": 2, "D5": 2, "D6": 1}
ALL_SUBGROUPS = {
    "S1": ["S1.1", "S1.2", "S1.3"], "S2": ["S2.1", "S2.2", "S2.3"], "S3": ["S3.1", "S3.2", "S3.3"],
    "S4": ["S4.1", "S4.2", "S4.3", "S4.4"], "S5": ["S5.1", "S5.2", "S5.3"],
}


def _expected_rows(subgroups):
    rows = []
    for klass in ["D1", "D2", "D3", "D4", "D5", "D6"]:
        rows.append((klass, ""))
        for strategy in ["S1", "S2", "S3", "S4", "S5"]:
            rows.append((klass, strategy))
            rows += [(klass, sub) for sub in subgroups.get(strategy, [])]
        rows.append((klass, "NS"))
    return rows


@pytest.mark.parametrize("subgroups", [None, FIGURE_2_SUBGROUPS])
def test_determinant_strategy_table_cell_by_cell(subgroups):
    table = determinant_strategy_table(_portfolio(), subgroups=subgroups)
    assert list(table.columns) == ["determinant", "strategy", "n_actions", "share"]
    expected_subgroups = ALL_SUBGROUPS if subgroups is None else {k: list(v) for k, v in subgroups.items()}
    assert list(zip(table["determinant"], table["strategy"])) == _expected_rows(expected_subgroups)
    for row in table.itertuples():
        count = EXPECTED_CELLS.get((row.determinant, row.strategy), 0)
        total = CLASS_TOTALS[row.determinant]
        assert row.n_actions == count, (row.determinant, row.strategy)
        if total == 0:
            assert math.isnan(row.share)  # no share of an empty class
        else:
            assert row.share == pytest.approx(100 * count / total), (row.determinant, row.strategy)
    assert table.attrs["n_sheets"] == 6
    assert table.attrs["n_with_determinant"] == 5
    assert table.attrs["n_without_strategy"] == 1
    assert table.attrs["n_several_classes"] == 2      # F1 (D2, D5) and F5 (D2, D3, D6)
    assert table.attrs["n_several_strategies"] == 2   # F1, F5 (F2: two sub-groups of S1 only; F6: no determinant)


def test_rows_may_exceed_the_class_total():
    table = determinant_strategy_table(_portfolio(), subgroups={})
    d2 = table[(table["determinant"] == "D2") & (table["strategy"] != "")]
    assert d2["n_actions"].sum() == 5 > CLASS_TOTALS["D2"]


def test_determinant_strategy_table_without_zero_rows():
    table = determinant_strategy_table(_portfolio(), include_empty=False)
    cells = {(d, s): n for d, s, n in zip(table["determinant"], table["strategy"], table["n_actions"])}
    assert cells == {**EXPECTED_CELLS, ("D1", ""): 0}  # class-total rows always stay


def test_duplicate_sheet_refused():
    sheets = _portfolio() + [ActionSheet("C", "F1", title="Encore")]
    with pytest.raises(PortfolioError) as caught:
        theme_table(sheets)
    assert caught.value.code == "portfolio_duplicate_sheet"


def test_labels_grid_and_published():
    table = add_labels(determinant_strategy_table(_portfolio(), subgroups=FIGURE_2_SUBGROUPS))
    assert list(table.columns) == ["determinant", "determinant_label", "strategy", "strategy_label", "n_actions", "share"]
    first_d4 = table[table["determinant"] == "D4"].iloc[0]
    assert first_d4["determinant_label"] == "Mode de vie" and first_d4["strategy_label"] == "Total de la classe"
    published = add_labels(determinant_strategy_table(_portfolio()), published=True)
    assert set(published.loc[published["determinant"] == "D4", "determinant_label"]) == {"Style de vie"}
    assert label("S4.3", published=True) == "Renforcement de l'offre préventive"
    assert label("NS") == "Non spécifié (NS)"
    themes = add_labels(theme_table(_portfolio()))
    assert themes.loc[0, "theme_label"] == "Accès aux soins" and themes.attrs["n_sheets"] == 6
