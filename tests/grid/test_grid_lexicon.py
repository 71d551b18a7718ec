"""Lexicon rules: the grid's words found in a text, quoted back as evidence."""

from __future__ import annotations

from equisante.grid import load_grid
from equisante.grid.lexicon import Cue, Lexicon, fold, key, normalise_label, stem, tokenize


def lexicon(kind):
    return Lexicon.from_targets(load_grid().of_kind(kind))


def test_folding_keeps_offsets_to_the_original_text():
    folded, origin = fold("Œuvre pour l'Été")
    assert folded == "oeuvre pour l'ete"
    assert origin[:3] == [0, 0, 1]
    tokens = tokenize("Les femmes isolées du quartier")
    assert [t.stem for t in tokens] == ["femm", "isol", "quartier"]
    assert "Les femmes isolées du quartier"[tokens[1].start:tokens[1].end] == "isolées"


def test_light_stemming_merges_plural_and_feminine_forms():
    assert stem("isolees") == stem("isoles") == stem("isole") == stem("isolee")
    assert stem("sociaux") == stem("social") == stem("sociale")
    assert key("Ateliers cuisine") == key("atelier de cuisine")
    assert normalise_label("2. Les conditions de vie.") == "les conditions de vie"


def test_matches_quote_the_text_and_name_the_cue():
    found = lexicon("determinant").match("Aide aux démarches d'accès aux droits de santé pour les familles")
    quotes = {m.quote for m in found if m.target == "D5.1.2"}
    assert "accès aux droits" in quotes and "droits de santé" in quotes  # overlapping, neither inside the other
    assert all(m.source in {"libellé", "libellé publié", "mot-clé", "exemple"} for m in found)


def test_longest_overlapping_cue_wins():
    found = lexicon("determinant").match("Améliorer la qualité de l'air intérieur des logements")
    targets = {m.target for m in found}
    assert "D2.2.4" in targets and "D2.2.1" not in targets  # indoor air is housing, not outdoor air


def test_shared_cues_are_weighted_down_and_autres_is_never_a_cue():
    lex = Lexicon.from_targets(load_grid().determinants())
    weights = {(c.target, c.words): c.weight for c in lex.cues}
    assert weights[("D2.2.4", ("logement",))] < weights[("D2.2.4", ("habitat", "indign"))]
    assert not any(c.words == ("autr",) for c in lex.cues)


def test_custom_cues():
    lex = Lexicon([Cue("X", "bus santé", "mot-clé", key("bus santé"), 0.8)])
    (m,) = lex.match("Un BUS-SANTÉ stationne au marché")
    assert m.quote == "BUS-SANTÉ" and m.target == "X"
