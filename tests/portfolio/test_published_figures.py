"""The tables reproduce the published Figure 1 and Figure 2 of seed 004 (DOMAIN §4.1–4.2) from
portfolios built to be consistent with them.

The figures publish marginal counts only, so each portfolio is synthetic: sheets whose codings are
spread so that every published count holds. The tables must then give back every published count
and percentage (rounded as printed).

Two facts of the published figures shape the construction (DOMAIN §4.6):

- Figure 1's note (« 13 FA touchent deux thèmes, et une FA touche trois thèmes ») gives 255 mentions
  for 240 sheets, not the printed 256; 12 sheets with two themes and 2 with three give both the 256
  mentions and the 14 sheets with several themes, so that is what the portfolio holds.
- Figure 2 cannot come from the same 240 sheets when each sheet has one set of strategies: the 198
  « Système de soins » sheets include at most 28 of the 70 « Style de vie » sheets that use
  individual capacities (S1), which already makes 240 sheets, and then at most 3 of the 8
  « Conditions de vie » sheets that improve living conditions (S3) can be placed. Its portfolio is
  therefore built class by class (one determinant class per sheet).
"""

from __future__ import annotations

import pytest

from equisante.actionsheets import ActionSheet
from equisante.portfolio import determinant_strategy_table, theme_table

# --- Figure 1: « Nombre (%) de fiches-action abordant une thématique donnée » (seed 004) ----------
FIGURE_1 = [  # (theme as printed, FA, %)
    ("Accès aux soins", 56, "23,33"),
    ("Amélioration du système de soins", 26, "10,83"),
    ("Addictions", 15, "6,25"),
    ("Cancer", 13, "5,42"),
    ("Conduites à risque", 4, "1,67"),
    ("Maladies CV et métaboliques", 5, "2,08"),
    ("Nutrition", 25, "10,42"),
    ("Santé bucco-dentaire", 15, "6,25"),
    ("Santé-environnement", 20, "8,33"),
    ("Santé bien-être", 7, "2,92"),
    ("Santé des femmes et enfants", 15, "6,25"),
    ("Santé mentale", 36, "15,00"),
    ("santé sexuelle et affective", 10, "4,17"),
    ("Tuberculose", 3, "1,25"),
    ("Vaccin", 3, "1,25"),
    ("Autres", 3, "1,25"),
]
FIGURE_1_TOTAL = (256, "106,67")
FIGURE_1_SEVERAL_THEMES = 14
FIGURE_1_SHEETS = 240  # every printed percentage is count / 240

# --- Figure 2: « Nombre (%) d'actions visant un déterminant de la santé donné et type d'intervention »
# (class as printed, [(row as printed, count, % or None for sub-rows printed without one)])
FIGURE_2 = [
    ("Conditions socio-économiques", 2, [
        ("Réorientation des services", 1, "50"),
        ("Développement stratégique", 1, "50"),
    ]),
    ("Conditions de vie", 50, [
        ("Renforcement des capacités individuelles", 7, "14"),
        ("Amélioration des conditions de vie", 8, "16"),
        ("Renforcement des capacités des groupes et communautés", 6, "12"),
        ("Réorientation des services", 12, "24"),
        ("Adaptation des services", 4, None),
        ("Intégration et coordination", 2, None),
        ("Renforcement de l'offre préventive", 2, None),
        ("Renforcement capacités des PS et services de santé", 4, None),
        ("Développement stratégique", 18, "36"),
        ("Développement du partenariat intersectoriel", 11, None),
        ("Amélioration des connaissances", 7, None),
        ("Planification", 0, None),
        ("NS", 1, "2"),
    ]),
    ("Environnement social", 28, [
        ("Renforcement des capacités individuelles", 8, "28,6"),
        ("Amélioration des conditions de vie", 0, "0"),
        ("Renforcement des capacités des groupes et communautés", 6, "21,4"),
        ("Réorientation des services", 12, "42,9"),
        ("Adaptation des services", 4, None),
        ("Intégration et coordination", 3, None),
        ("Renforcement de l'offre préventive", 0, None),
        ("Renforcement capacités des PS et services de santé", 5, None),
        ("Développement stratégique", 3, "10,7"),
        ("NS", 1, "3,6"),
    ]),
    ("Style de vie", 144, [
        ("Renforcement des capacités individuelles", 70, "48,6"),
        ("Éducation pour la santé", 55, None),
        ("Information", 18, None),
        ("Amélioration des conditions de vie", 1, "0,7"),
        ("Renforcement des capacités des groupes et communautés", 7, "4,9"),
        ("Réorientation des services", 42, "29,2"),
        ("Adaptation des services", 22, None),
        ("Intégration et coordination", 7, None),
        ("Renforcement de l'offre préventive", 14, None),
        ("Renforcement capacités des PS et services de santé", 9, None),
        ("Développement stratégique", 31, "21,5"),
    ]),
    ("Système de soins", 198, [
        ("Renforcement des capacités individuelles", 28, "14,1"),
        ("Amélioration des conditions de vie", 2, "1"),
        ("Renforcement des capacités des groupes et communautés", 7, "3,5"),
        ("Réorientation des services", 104, "52,5"),
        ("Adaptation des services", 43, None),
        ("Intégration et coordination", 22, None),
        ("Renforcement de l'offre préventive", 18, None),
        ("Renforcement capacités des PS et services de santé", 47, None),
        ("Développement stratégique", 62, "31,3"),
        ("Développement du partenariat intersectoriel", 45, None),
        ("Amélioration des connaissances", 16, None),
        ("Planification", 0, None),
    ]),
    ("Environnement programmatique et stratégique", 34, [
        ("Renforcement des capacités individuelles", 0, "0"),
        ("Amélioration des conditions de vie", 0, "0"),
        ("Renforcement des capacités des groupes et communautés", 0, "0"),
        ("Réorientation des services", 0, "0"),
        ("Développement stratégique", 34, "100"),
        ("Développement du partenariat intersectoriel", 8, None),
        ("Amélioration des connaissances", 19, None),
        ("Planification", 9, None),
    ]),
]

# The figure's words → grid ids (its labels are the grid's published aliases, DOMAIN §4.6 item 9).
CLASS_IDS = {
    "Conditions socio-économiques": "D1", "Conditions de vie": "D2", "Environnement social": "D3",
    "Style de vie": "D4", "Système de soins": "D5", "Environnement programmatique et stratégique": "D6",
}
ROW_IDS = {
    "Renforcement des capacités individuelles": "S1", "Éducation pour la santé": "S1.2", "Information": "S1.1",
    "Renforcement des capacités des groupes et communautés": "S2", "Amélioration des conditions de vie": "S3",
    "Réorientation des services": "S4", "Adaptation des services": "S4.1", "Intégration et coordination": "S4.2",
    "Renforcement de l'offre préventive": "S4.3", "Renforcement capacités des PS et services de santé": "S4.4",
    "Développement stratégique": "S5", "Développement du partenariat intersectoriel": "S5.1",
    "Amélioration des connaissances": "S5.2", "Planification": "S5.3", "NS": "NS",
}


def _number(printed: str) -> float:
    return float(printed.replace(",", "."))


def _decimals(printed: str) -> int:
    return len(printed.split(",")[1]) if "," in printed else 0


# --- Building portfolios consistent with the figures --------------------------------------------


def _spread(counts: dict[str, int], n_holders: int) -> list[list[str]]:
    """Give ``counts[k]`` holders the item ``k``, each holder at most once per item: the items are
    laid end to end and dealt in turn to the holders (an item never has more copies than holders,
    so a holder never gets it twice)."""
    holders: list[list[str]] = [[] for _ in range(n_holders)]
    position = 0
    for item, count in counts.items():
        assert count <= n_holders
        for _ in range(count):
            holders[position % n_holders].append(item)
            position += 1
    return holders


def _figure_1_portfolio() -> list[ActionSheet]:
    from equisante.grid import load_grid

    grid = load_grid()
    tokens = [grid.resolve_label(name, kind="theme") for name, count, _ in FIGURE_1 for _ in range(count)]
    # 240 first themes, then a second theme for sheets 0-13 and a third for sheets 0-1: a sheet's
    # themes sit 240 and 254 places apart in a list where no theme repeats over more than 56 places.
    slots = list(range(FIGURE_1_SHEETS)) + list(range(14)) + list(range(2))
    assert len(tokens) == len(slots) == FIGURE_1_TOTAL[0]
    themes: list[list[str]] = [[] for _ in range(FIGURE_1_SHEETS)]
    for sheet, theme in zip(slots, tokens):
        assert theme not in themes[sheet]
        themes[sheet].append(theme)
    return [ActionSheet("CLS-004", f"FA-{i + 1:03d}", title=f"Fiche {i + 1}", themes=tuple(t))
            for i, t in enumerate(themes)]


def _figure_2_portfolio() -> list[ActionSheet]:
    from equisante.grid import load_grid

    grid = load_grid()
    sheets = []
    for class_name, total, rows in FIGURE_2:
        klass = CLASS_IDS[class_name]
        counts = {ROW_IDS[name]: count for name, count, _ in rows}
        not_specified = counts.pop("NS", 0)
        strategies = {k: v for k, v in counts.items() if "." not in k}
        with_strategy = total - not_specified
        per_sheet = _spread(strategies, with_strategy)
        assert all(per_sheet), "every sheet but the NS ones has a strategy"
        # Within a strategy, its sheets receive its published sub-groups; sheets left without one
        # are coded at the strategy itself (as when the figure prints fewer sub-rows than the parent).
        coded = [list() for _ in range(with_strategy)]
        for strategy in strategies:
            holders = [i for i, s in enumerate(per_sheet) if strategy in s]
            subs = {k: v for k, v in counts.items() if k.startswith(strategy + ".")}
            for index, given in zip(holders, _spread(subs, len(holders))):
                coded[index] += given or [strategy]
        # Determinants: the class itself or one of its children, to exercise the roll-up.
        children = [n.id for n in grid.children(klass)]
        for i in range(total):
            determinant = klass if i % 2 == 0 else children[i % len(children)]
            strategies_of_sheet = tuple(coded[i]) if i < with_strategy else ()
            sheets.append(ActionSheet("CLS-004", f"{klass}-{i + 1:03d}", title=f"Action {klass} {i + 1}",
                                      determinants=(determinant,), strategies=strategies_of_sheet))
    return sheets


# --- The tests ----------------------------------------------------------------------------------


def test_figure_1_reproduced():
    table = theme_table(_figure_1_portfolio()).set_index("theme")
    from equisante.grid import load_grid

    grid = load_grid()
    for name, count, printed in FIGURE_1:
        row = table.loc[grid.resolve_label(name, kind="theme")]
        assert row["n_actions"] == count, name
        assert round(row["share"], 2) == _number(printed), name
    assert table.attrs["n_sheets"] == FIGURE_1_SHEETS
    assert table.attrs["n_mentions"] == FIGURE_1_TOTAL[0]
    assert round(table.attrs["mention_share"], 2) == _number(FIGURE_1_TOTAL[1])
    assert table.attrs["n_several_themes"] == FIGURE_1_SEVERAL_THEMES
    # The published table has its 16 themes in this order.
    assert [grid.node(t).label for t in table.index] == [name for name, _, _ in FIGURE_1]


def test_figure_2_reproduced():
    sheets = _figure_2_portfolio()
    table = determinant_strategy_table(sheets)
    cells = {(d, s): (n, share) for d, s, n, share in zip(table["determinant"], table["strategy"],
                                                         table["n_actions"], table["share"])}
    checked = 0
    for class_name, total, rows in FIGURE_2:
        klass = CLASS_IDS[class_name]
        assert cells[(klass, "")] == (total, 100.0), class_name
        for name, count, printed in rows:
            n, share = cells[(klass, ROW_IDS[name])]
            assert n == count, (class_name, name)
            if printed is not None:
                assert round(share, _decimals(printed)) == _number(printed), (class_name, name, share)
            checked += 1
    assert checked == sum(len(rows) for _, _, rows in FIGURE_2) == 56
    # Rows the figure leaves out are zeros in this portfolio (no NS under « Style de vie »…).
    assert cells[("D4", "NS")] == (0, 0.0) and cells[("D5", "NS")] == (0, 0.0)
    # Derived sums of DOMAIN §4.2: 456 class memberships and 472 strategy mentions.
    class_rows = table[table["strategy"] == ""]
    assert class_rows["n_actions"].sum() == 456
    top = table[table["strategy"].isin(["S1", "S2", "S3", "S4", "S5", "NS"])]
    assert top["n_actions"].sum() == 472


def test_figure_1_note_as_printed_gives_255_mentions():
    """The note's own split (13 sheets × 2 themes, 1 × 3) counts 255 mentions: the tool states the
    figures it computes, it does not repeat the printed inconsistency."""
    sheets = [ActionSheet("C", f"F{i}", title="x", themes=("nutrition", "cancer", "vaccin")[: 3 if i == 0 else 2 if i < 14 else 1])
              for i in range(240)]
    table = theme_table(sheets)
    assert table.attrs["n_mentions"] == 255 and table.attrs["n_several_themes"] == 14
    assert table.attrs["several_themes_by_count"] == {2: 13, 3: 1}


@pytest.mark.parametrize("figure", ["1", "2"])
def test_synthetic_portfolios_are_coherent(figure):
    sheets = _figure_1_portfolio() if figure == "1" else _figure_2_portfolio()
    assert len({s.key for s in sheets}) == len(sheets)
    if figure == "2":
        assert len(sheets) == 456
