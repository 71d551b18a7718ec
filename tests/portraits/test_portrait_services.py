"""The portrait services: scope, comparison with the reference area, gradient, funnel, trends and
confidentiality (primary and secondary suppression), on the fictional area of portraits/sample.py."""

from __future__ import annotations

import sys
import types

import pandas as pd
import pytest

from equisante import stats
from equisante.indicators import withholding
from equisante.indicators.models import Value
from equisante.portal import publication
from equisante.portraits import scope
from equisante.portraits import values as published_values
from equisante.portraits.families import family_of
from equisante.portraits.portrait import Options, build
from portraits.sample import SMALL

pytestmark = pytest.mark.django_db


def _row(portrait, code):
    return next(r for r in portrait.key_rows if r.indicator.code == code)


def test_scope_reference_region_and_sub_territories(area):
    t = area["territories"]
    assert scope.reference_area(t["200000100"]) == t["34"]
    assert scope.reference_area(t["CLS01"]) == t["34"]  # a zone: the département of its member communes
    assert scope.region_of(t["CLS01"]) == t["76"] and scope.region_of(t["34001"]) == t["76"]
    assert [x.code for x in scope.sub_territories(t["200000100"])] == sorted(f"340{i:02d}" for i in range(1, 13))
    assert scope.sub_level(t["34001"]) == "iris" and len(scope.sub_territories(t["34001"])) == 6
    assert len(scope.sub_territories(t["76"])) == 20
    assert set(scope.peers(t["200000100"]).values_list("code", flat=True)) == {"200000100", "200000200", "200000300"}
    assert scope.peers(t["34001"]).count() == 20


def test_find_territory_prefers_communes_epci_and_zones(area):
    zone = area["territories"]["34"].__class__.objects.create(level="zone", code="34", name="Zone 34")
    assert scope.find_territory("34") == zone
    assert scope.find_territory("34", "departement") == area["territories"]["34"]


def test_key_indicators_against_the_reference_with_the_ci_rule(area):
    portrait = build(area["territories"]["200000100"])
    assert portrait.reference == area["territories"]["34"]
    counts = area["counts"]
    for row in portrait.key_rows:
        assert row.reference is not None and row.reference.period == row.cell.period
    chomage = _row(portrait, "chomage")
    x, n = counts["200000100"]["chomage"]
    assert chomage.cell.value == pytest.approx(100 * x / n)
    # the rule: different when the reference value lies outside the territory's 95 % interval
    ref = chomage.reference.value
    outside = not (chomage.cell.lower <= ref <= chomage.cell.upper)
    assert (chomage.comparison[0] != "similar") == outside
    if outside:
        higher = chomage.cell.value > ref
        assert chomage.comparison[0] == ("worse" if higher else "better")  # adverse: higher is worse
    # the indexed value of the comparison chart: reference = 100
    indexed = chomage.indexed
    assert indexed.value == pytest.approx(100 * chomage.cell.value / ref)
    assert indexed.lower == pytest.approx(100 * chomage.cell.lower / ref)
    # an indicator without interval is not testable
    assert _row(portrait, "revenu").comparison[0] == "none"
    # pooled years are preferred for the key table
    assert _row(portrait, "mortalite").cell.period == "2019-2021"


def test_determinants_stand_beside_health(area):
    portrait = build(area["territories"]["200000100"])
    sides = {side["side"]: [r.indicator.code for f in side["families"] for r in f["rows"]] for side in portrait.sides}
    assert set(sides["determinants"]) == {"chomage", "revenu", "logement-social", "diplomes"}
    assert set(sides["health"]) == {"mortalite", "depistage"}
    families = {r.indicator.code: r.family.code for r in portrait.key_rows}
    assert families == {"chomage": "emploi", "revenu": "revenus", "logement-social": "logement",
                        "diplomes": "education", "mortalite": "etat-de-sante", "depistage": "prevention"}
    assert portrait.side_charts["determinants"].startswith("<svg") and portrait.side_charts["health"]


@pytest.mark.parametrize(("code", "label", "theme", "family"), [
    ("demo-part-logement-social", "Part des ménages locataires d'un logement social", "Conditions", "logement"),
    ("demo-edi-surpeuplement", "Part des logements suroccupés", "Défavorisation", "logement"),
    ("demo-taux-chomage", "Taux de chômage des 15-64 ans", "", "emploi"),
    ("demo-part-ouvriers", "Part des ouvriers dans la population active de 15-64 ans", "", "emploi"),
    ("demo-part-bacheliers", "Part des bacheliers parmi les 15 ans ou plus non scolarisés", "", "education"),
    ("demo-revenu-median-uc", "Revenu fiscal médian par unité de consommation", "", "revenus"),
    ("demo-esperance-vie", "Espérance de vie à la naissance", "Mortalité", "etat-de-sante"),
    ("demo-hospitalisation-diabete", "Taux standardisé de patients hospitalisés pour diabète", "", "etat-de-sante"),
    ("demo-depistage-colorectal", "Participation au dépistage organisé du cancer colorectal", "", "prevention"),
    ("demo-edi-etrangers", "Part des personnes de nationalité étrangère", "", "autres-determinants"),
])
def test_families_of_the_demonstration_catalogue(code, label, theme, family):
    assert family_of(code, label, theme).code == family
    assert family_of(code, label, theme, overrides={code: "revenus"}).code == "revenus"


def test_gradient_is_stats_sii_on_the_published_quintiles(area):
    portrait = build(area["territories"]["200000100"], Options(focus="depistage", deprivation="defavorisation"))
    gradient = portrait.gradient
    assert gradient.computed, gradient.reason
    assert portrait.deprivation.key == "defavorisation" and portrait.deprivation.higher_is_worse
    # pooled counts per quintile are the sums over the quintile's communes
    counts = area["counts"]
    assigned = gradient.assignments.set_index("code")
    for row in gradient.quintiles.itertuples():
        members = assigned.index[assigned["quintile"] == row.quintile]
        assert row.numerator == sum(counts[c]["depistage"][0] for c in members)
    # the most deprived quintile holds the highest scores
    q1 = assigned[assigned["quintile"] == 1]["deprivation"].min()
    q5 = assigned[assigned["quintile"] == 5]["deprivation"].max()
    assert q1 > q5
    table = gradient.quintiles[["quintile", "population", "value", "lower", "upper"]].copy()
    table[["value", "lower", "upper"]] /= 100
    expected = stats.sii(table, "quintile", "population", "value", lower="lower", upper="upper", value_type=2,
                         multiplier=100, rii=True, intercept=True, repetitions=100_000, seed=20_240_611).iloc[0]
    assert gradient.sii == pytest.approx(float(expected["sii"]), rel=1e-12)
    assert gradient.sii_lower == pytest.approx(float(expected["sii_lower"]), rel=1e-12)
    assert gradient.rii == pytest.approx(float(expected["rii"]), rel=1e-12)
    # screening falls with deprivation in the sample: positive SII (higher where less deprived)
    assert gradient.sii > 0 and gradient.rii > 1
    assert "Q1 (plus défavorisé)" in portrait.gradient_svg and 'data-chart="gradient"' in portrait.gradient_svg
    assert "gradient social" in portrait.gradient_reading


def test_deprivation_from_an_index_of_the_prioritisation_area(area, monkeypatch):
    from equisante.portraits import deprivation

    fake = deprivation.Measure(key="indice:fdep", label="Indice : FDep", higher_is_worse=True, period="2021",
                               kind="index", count=12,
                               values={t.pk: area["counts"][t.code]["z"] for t in
                                       scope.sub_territories(area["territories"]["200000100"])})
    monkeypatch.setattr(deprivation, "index_measures", lambda level, ids: [fake])
    portrait = build(area["territories"]["200000100"], Options(focus="depistage"))
    assert portrait.deprivation.key == "indice:fdep"  # an index is preferred as the default measure
    assert portrait.deprivation_choices[0].code == "indice:fdep"
    assert portrait.gradient.computed


def test_funnel_among_peers_matches_stats_funnel_significance(area):
    t = area["territories"]
    portrait = build(t["200000100"], Options(focus="depistage"))
    funnel = portrait.funnel
    assert funnel.placed == 3 and funnel.svg
    counts = area["counts"]
    frame = pd.DataFrame({"code": ["200000100", "200000200", "200000300"],
                          "x": [counts[c]["depistage"][0] for c in ("200000100", "200000200", "200000300")],
                          "n": [counts[c]["depistage"][1] for c in ("200000100", "200000200", "200000300")]})
    marked = stats.funnel_significance(frame, "x", "n", statistic="proportion")
    assert funnel.significance == str(marked.set_index("code").loc["200000100", "significance"])
    assert funnel.baseline == pytest.approx(100 * frame["x"].sum() / frame["n"].sum())


def test_funnel_of_a_commune_among_the_communes_of_its_region(area):
    portrait = build(area["territories"]["34003"], Options(focus="mortalite", period="2021"))
    assert portrait.funnel.peers == 20
    # the small commune and the one withheld with it (the région is their total) are not placed
    assert 15 <= portrait.funnel.placed <= 18
    assert "rate" not in portrait.funnel.statistic and "taux brut" in portrait.funnel.statistic


def test_secondary_suppression_of_the_sub_territories(area):
    portrait = build(area["territories"]["200000100"], Options(focus="mortalite", period="2021"))
    states = {c.territory.code: (c.state, c.suppression) for c in portrait.cells}
    assert states[SMALL] == ("suppressed", "primary")
    secondary = [code for code, (state, why) in states.items() if why == "secondary"]
    assert len(secondary) == 1
    # the secondary cell is the published one with the fewest deaths
    deaths_2021 = {c: area["counts"][c]["deaths"][2] for c in states if c != SMALL}
    assert secondary[0] == min(deaths_2021, key=lambda c: (deaths_2021[c], list(states).index(c)))
    # withheld cells give nothing away, and the total stays published
    for cell in portrait.cells:
        if cell.state == "suppressed":
            assert cell.value is None and cell.numerator is None and cell.lower is None
    assert portrait.total.shown
    # the quintiles use the published values only: a quintile total cannot give a withheld one back
    withheld = sum(1 for c in portrait.cells if c.state == "suppressed")
    assert withheld == 2
    assert portrait.gradient.excluded == withheld
    assert portrait.gradient.quintiles["territories"].sum() == 12 - withheld
    assigned = portrait.gradient.assignments.set_index("code")
    for quintile, members in assigned.groupby("quintile"):
        hidden = [c for c in members.index if states_after(portrait)[c] == "suppressed"]
        assert len(hidden) in (0,) or len(hidden) >= 2 or int(quintile) in portrait.gradient.withheld_quintiles
    assert portrait.secondary_count >= 1


def states_after(portrait):
    return {c.territory.code: c.state for c in portrait.cells}


def test_a_small_year_beside_its_pooled_range_is_not_given_back_by_the_others(area):
    t, ind = area["territories"], area["indicators"]
    before = Value.objects.get(indicator=ind["mortalite"], territory=t["34005"], period="2020").numerator
    Value.objects.filter(indicator=ind["mortalite"], territory=t["34005"], period="2020").update(numerator=6)
    pooled = Value.objects.get(indicator=ind["mortalite"], territory=t["34005"], period="2019-2021")
    Value.objects.filter(pk=pooled.pk).update(numerator=pooled.numerator - before + 6)
    withholding.refresh([ind["mortalite"]])  # a correction decides again, as an import does
    stored = published_values.load([ind["mortalite"].pk], [t["34005"].pk])
    cells = published_values.over_periods(stored, ind["mortalite"], t["34005"])
    assert (cells["2020"].state, cells["2020"].suppression) == ("suppressed", "primary")
    # pooled = 2019 + 2020 + 2021: one of the three others goes with it (the cheapest for the whole cube)
    assert [p for p in ("2019", "2021", "2019-2021") if cells[p].suppression == "secondary"]
    # and no combination of everything published gives a withheld count back
    assert all(not f.exposed and not f.small_published for f in withholding.audit([ind["mortalite"]]))


def test_the_small_commune_publishes_only_its_pooled_value(area):
    portrait = build(area["territories"][SMALL], Options(focus="mortalite"))
    row = _row(portrait, "mortalite")
    assert row.cell.period == "2019-2021" and row.cell.shown  # three small years add up to 10 or more
    assert all(row.periods[y].state == "suppressed" for y in ("2019", "2020", "2021"))
    assert portrait.sub_level == "iris" or not portrait.sub_territories


def test_published_numbers_are_each_cell_s_own_and_withheld_cells_carry_none(area):
    portrait = build(area["territories"]["200000100"], Options(focus="mortalite", period="2021"))
    stored = {v.territory_id: v for v in Value.objects.filter(indicator__code="mortalite", period="2021")}
    for cell in portrait.cells:
        own = stored[cell.territory.pk]
        fields = (cell.value, cell.numerator, cell.lower, cell.upper)
        if cell.state == "suppressed":
            assert fields == (None, None, None, None)
            assert cell.denominator == own.denominator  # the population stays
        else:
            assert fields == (own.value, own.numerator, own.lower, own.upper)


def test_trend_series_of_territory_reference_and_region(area):
    portrait = build(area["territories"]["200000100"], Options(focus="mortalite"))
    assert portrait.trend_periods == ["2019", "2020", "2021"]
    names = {c.territory.code for c in portrait.trend_rows}
    assert names == {"200000100", "34", "76"}
    assert 'data-chart="trend"' in portrait.trend_svg


def test_indices_from_the_prioritisation_area_or_not(area, monkeypatch):
    from django.urls import NoReverseMatch, reverse

    try:  # resolve URLs before the fake module stands in for the real one (the URL map imports it)
        page = reverse("prioritisation:index")
    except NoReverseMatch:
        page = None
    territory = area["territories"]["200000100"]
    module = types.ModuleType("equisante.prioritisation.results")
    module.indices_for = lambda t: [{"index": "idh2", "label": "IDH-2", "value": 0.48, "class_label": "défavorisé",
                                     "eligible": True, "rule": "IDH-2 < 0,52", "method": "m", "parameters": {},
                                     "period": "2021", "computed_at": None}]
    monkeypatch.setitem(sys.modules, "equisante.prioritisation.results", module)
    portrait = build(territory)
    assert portrait.indices.available and portrait.indices.rows[0]["value"] == 0.48
    if page:  # each index links to the prioritisation page at the territory's level
        assert portrait.indices.rows[0]["url"] == f"{page}?index=idh2&level=epci"
    monkeypatch.setitem(sys.modules, "equisante.prioritisation.results", None)  # import fails
    assert build(territory).indices.status == "absent"


def test_threshold_comes_from_the_settings(area, settings):
    settings.EQUISANTE_CONFIDENTIALITY_THRESHOLD = 20
    portrait = build(area["territories"]["200000100"], Options(focus="mortalite", period="2021"))
    assert publication.threshold() == 20 and "entre 1 et 19" in portrait.rule
    small = [c for c in portrait.cells if c.suppression == "primary"]
    assert len(small) > 1  # more communes fall under 20 deaths a year


def test_counts_given_back_by_rates_and_populations_are_protected_too(area):
    t, ind = area["territories"], area["indicators"]["mortalite"]
    members = ["30001", "30002", "30003", "30004"]
    # one small count, and the other communes published as rates without their numerators: a rate
    # times its population gives the count back, so the communes still protect each other
    small = Value.objects.get(indicator=ind, territory=t[members[0]], period="2021")
    delta = small.numerator - 4
    Value.objects.filter(pk=small.pk).update(numerator=4, value=4 * 100_000 / small.denominator)
    for total in ("200000300", "30", "76"):  # the totals corrected with it, as a producer would
        stored = Value.objects.get(indicator=ind, territory=t[total], period="2021")
        Value.objects.filter(pk=stored.pk).update(numerator=stored.numerator - delta)
    Value.objects.filter(indicator=ind, territory__code__in=members[1:], period="2021").update(numerator=None)
    withholding.refresh([ind])  # a correction decides again, as an import does
    portrait = build(t["200000300"], Options(focus="mortalite", period="2021"))
    states = {c.territory.code: c.suppression for c in portrait.cells}
    assert states[members[0]] == "primary"
    assert sum(why == "secondary" for why in states.values()) >= 1
    for cell in portrait.cells:
        if cell.suppression:
            assert cell.value is None and cell.lower is None and cell.upper is None

