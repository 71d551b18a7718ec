"""The pure figures of a yearly review, on hand-made records."""

import pytest

from equisante.followup import figures as f
from equisante.followup.text import fold, normalise_document, query_terms, stems

pytestmark = pytest.mark.core


def test_progress_rollup_by_axis_and_overall():
    items = [
        f.SheetProgress("FA-1.1", "1", "Accès", "realisee", None),        # 100 (done, no percent)
        f.SheetProgress("FA-1.2", "1", "Accès", "en-cours", 40),          # 40
        f.SheetProgress("FA-1.3", "1", "Accès", "en-cours", None),        # unknown: out of the mean
        f.SheetProgress("FA-2.1", "2", "Cadre de vie", "non-commencee", None),  # 0
        f.SheetProgress("FA-2.2", "2", "Cadre de vie", "abandonnee", 30),  # counted, out of the mean
        f.SheetProgress("FA-2.3", "2", "Cadre de vie", "", None),          # not filled
    ]
    rollup = f.progress_rollup(items)
    axis1, axis2 = rollup.axes
    assert (axis1.key, axis1.n_sheets, axis1.mean_percent) == ("1", 3, 70.0)
    assert axis1.counts["realisee"] == 1 and axis1.counts["en-cours"] == 2
    assert (axis2.n_sheets, axis2.mean_percent, axis2.not_filled) == (3, 0.0, 1)
    assert axis2.counts["abandonnee"] == 1
    assert rollup.overall.n_sheets == 6
    assert rollup.overall.mean_percent == pytest.approx((100 + 40 + 0) / 3, abs=0.05)
    assert dict(rollup.overall.count_items)["Non renseignée"] == 1


@pytest.mark.parametrize("baseline,target,value,status,achieved", [
    (10, 50, 50, f.REACHED, 100.0),
    (10, 50, 60, f.REACHED, 125.0),
    (10, 50, 30, f.PROGRESSING, 50.0),
    (10, 50, 10, f.STABLE, 0.0),
    (10, 50, 5, f.RECEDING, -12.5),
    (30, 10, 20, f.PROGRESSING, 50.0),   # a target below the baseline (fewer is better)
    (30, 10, 8, f.REACHED, 110.0),
    (None, 200, 50, f.PROGRESSING, 25.0),  # no baseline: from 0
    (10, 50, None, f.NO_VALUE, None),
    (10, None, 20, f.NO_TARGET, None),
])
def test_indicator_against_its_target(baseline, target, value, status, achieved):
    result = f.indicator_status(f.IndicatorReading("FA", "x", baseline=baseline, target=target, value=value))
    assert result.status == status
    assert result.achieved == achieved


def test_funding_consolidated_by_funder_with_total_and_rates():
    records = [
        f.FundingRecord("FA-1", "ARS", 2025, requested=10000, granted=8000, spent=6000),
        f.FundingRecord("FA-2", "ARS", 2025, requested=5000, granted=5000, spent=None),
        f.FundingRecord("FA-1", "Ville", 2025, requested=4000, granted=None, spent=None),
        f.FundingRecord("FA-1", "ARS", 2024, requested=9000, granted=9000, spent=9000),
    ]
    rows = f.consolidate_funding(records, 2025)
    assert [r.funder for r in rows] == ["ARS", "Ville", "Total"]
    ars, ville, total = rows
    assert (ars.requested, ars.granted, ars.spent, len(ars.sheets)) == (15000, 13000, 6000, 2)
    assert ars.granted_rate == 86.7 and ars.spent_rate == 46.2
    assert ville.granted_rate == 0.0 and ville.spent_rate is None
    assert (total.requested, total.granted, total.spent) == (19000, 13000, 6000)
    every_year = f.consolidate_funding(records)
    assert every_year[-1].requested == 28000


def test_profile_comparison_shows_changes_in_points_and_changed_checks():
    before = f.ProfileSnapshot(2024, 4, {"rattrapage": ("Rattrapage", 50.0), "gradient": ("Gradient", 0.0)},
                               {"R5a": ("Équilibre", "à renforcer"), "R1a": ("Objectif", "satisfait")})
    after = f.ProfileSnapshot(2025, 5, {"rattrapage": ("Rattrapage", 40.0), "gradient": ("Gradient", 20.0)},
                              {"R5a": ("Équilibre", "satisfait"), "R1a": ("Objectif", "satisfait"),
                               "R12e": ("Bilan", "satisfait")})
    comparison = f.compare_profiles(before, after)
    assert [(s["family"], s["before"], s["after"], s["change"]) for s in comparison.strategies] == [
        ("rattrapage", 50.0, 40.0, -10.0), ("gradient", 0.0, 20.0, 20.0)]
    assert [(c["id"], c["before"], c["after"]) for c in comparison.checks_changed] == [
        ("R5a", "à renforcer", "satisfait"), ("R12e", "—", "satisfait")]
    assert comparison.checks_same == 1
    assert f.ProfileSnapshot.from_dict(after.as_dict()) == after
    first = f.compare_profiles(None, after)
    assert first.strategies[0]["change"] is None and first.n_before is None


def test_search_text_folds_accents_and_stems_french_words():
    assert fold("Éducation à la SANTÉ, cœur") == "education a la sante, coeur"
    assert stems("préventions") == stems("PREVENTION") == stems("prévention")
    document = normalise_document("Dépistage bucco-dentaire dans les écoles maternelles")
    assert all(f" {t} " in document for t in query_terms("ecole maternelle depistage"))
    assert " dans " not in document  # stop words are left out

