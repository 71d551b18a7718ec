"""Loading the demonstration region into the database: every level, geometry, populations,
catalogue and values with confidence limits, in one transaction; refusal, --replace and the
extension hook of other areas."""

from __future__ import annotations

import sys
import types

import pytest

from equisante.demo import loading
from equisante.demo.generator import ESP_BANDS, generate_region
from equisante.demo.values import indicator_values
from equisante.errors import EquisanteError
from equisante.indicators.aggregation import aggregate_to_parent
from equisante.indicators.models import Indicator, Value
from equisante.territories.models import Membership, Population, Territory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small():
    return generate_region(seed=5, n_communes=60)


@pytest.fixture(scope="module")
def other():
    return generate_region(seed=6, n_communes=48)


@pytest.fixture(autouse=True)
def no_extras(monkeypatch):
    """Other areas' demo loaders are tested by those areas; here the hook is tested with fakes."""
    monkeypatch.setattr(loading, "EXTRA_LOADERS", [])


def test_every_level_is_written_with_geometry(small):
    report = loading.load_region(small)
    for level in ("region", "departement", "epci", "commune", "iris", "qpv", "zone"):
        assert Territory.objects.filter(level=level).count() == small.count(level) == report.territories[level]
    assert Territory.objects.filter(fictional=False).count() == 0
    assert not Territory.objects.filter(geometry="").exists()
    region = Territory.objects.get(level="region")
    assert region.code == "XR" and region.min_lon < region.max_lon and region.min_lat < region.max_lat
    assert region.geojson_geometry()["type"] in ("Polygon", "MultiPolygon")
    zone = Territory.objects.filter(level="zone").first()
    assert zone.zone_type == "ZIP"


def test_hierarchy_memberships_and_populations(small):
    loading.load_region(small)
    commune = Territory.objects.filter(level="commune").select_related("parent__parent").first()
    assert commune.parent.level == "departement" and commune.parent.parent.level == "region"
    assert commune.code.startswith(commune.parent.code)
    for level in ("iris", "qpv"):
        assert not Territory.objects.filter(level=level, parent__isnull=True).exists()
    assert not Territory.objects.filter(level="epci", parent__isnull=True).exists()
    assert Membership.objects.count() == len(small.memberships)
    assert Membership.objects.filter(group__level="epci").count() == small.count("commune")
    assert Population.objects.count() == len(small.populations)
    last = small.populations[(small.populations["level"] == "region") & (small.populations["year"] == 2021)]
    assert Population.objects.get(territory__level="region", year=2021).population == int(last["population"].iloc[0])


def test_catalogue_and_values_with_confidence_limits(small):
    report = loading.load_region(small)
    indicators = Indicator.objects.filter(code__startswith="demo-")
    assert indicators.count() == len(small.catalogue) == report.indicators == 22
    assert not indicators.filter(fictional=False).exists()
    expected = indicator_values(small)
    assert Value.objects.count() == len(expected) == report.values
    ok = Value.objects.filter(state="ok").exclude(indicator__code__in=["demo-revenu-median-uc"])
    ok = ok.exclude(indicator__code="demo-esperance-vie", territory__level="commune")
    assert ok.exists() and not ok.filter(lower__isnull=True).exists()
    for value in ok[:500]:
        assert value.lower <= value.value <= value.upper
    # every indicator has values at every level its catalogue entry names
    for indicator in indicators:
        levels = set(Value.objects.filter(indicator=indicator).values_list("territory__level", flat=True))
        assert levels == set(indicator.level_list), indicator.code
    # crude rates by age band on the pooled period, the 19 ESP bands
    bands = set(Value.objects.filter(indicator__code="demo-mortalite-taux-brut", period="2019-2021")
                .exclude(age_band="").values_list("age_band", flat=True))
    assert bands == set(ESP_BANDS)


def test_stored_values_are_those_computed(small):
    loading.load_region(small)
    expected = indicator_values(small).set_index(["indicator", "level", "code", "period", "sex", "age_band"])
    stored = Value.objects.get(indicator__code="demo-mortalite-standardisee", territory__level="region",
                               period="2019-2021", sex="", age_band="")
    row = expected.loc[("demo-mortalite-standardisee", "region", "XR", "2019-2021", "", "")]
    assert stored.value == pytest.approx(row["value"], rel=1e-12)
    assert stored.lower == pytest.approx(row["lower"], rel=1e-12)
    assert stored.numerator == small.by_age_sex["deces"].sum()


def test_parent_proportions_agree_with_the_aggregation(small):
    """The loader's parent values are what the product's aggregation computes from the communes."""
    loading.load_region(small)
    for indicator in ("demo-taux-chomage", "demo-part-diplomes"):
        for parent in ("departement", "epci", "zone"):
            report = aggregate_to_parent(indicator, "2021", from_level="commune", to_level=parent)
            assert report.created == report.updated == 0 and not report.kept, report.summary()
            assert report.unchanged == small.count(parent)
    report = aggregate_to_parent("demo-depistage-colorectal", "2019-2021", from_level="commune", to_level="region")
    assert report.unchanged == 3 and report.created == report.updated == 0  # ensemble, femmes, hommes


def test_a_second_load_is_refused_and_changes_nothing(small, other):
    loading.load_region(small)
    before = (Territory.objects.count(), Value.objects.count())
    with pytest.raises(EquisanteError) as caught:
        loading.load_region(other)
    assert caught.value.code == "demo_exists"
    assert "--replace" in caught.value.message and "60 communes" in caught.value.message
    assert (Territory.objects.count(), Value.objects.count()) == before


def test_replace_swaps_the_region_and_keeps_real_data(small, other):
    real = Territory.objects.create(level="departement", code="01", name="Ain")
    real_indicator = Indicator.objects.create(code="mortalite", label="Mortalité", unit="pour 100 000")
    loading.load_region(small)
    report = loading.load_region(other, replace=True)
    assert report.replaced
    assert Territory.objects.filter(level="commune").count() == 48
    assert Value.objects.count() == len(indicator_values(other))
    assert Population.objects.count() == len(other.populations)
    assert Territory.objects.filter(pk=real.pk).exists() and Indicator.objects.filter(pk=real_indicator.pk).exists()


def test_replacing_with_the_same_region_gives_the_same_database(small):
    loading.load_region(small)
    first = sorted(Value.objects.values_list("indicator__code", "territory__code", "period", "sex", "age_band",
                                             "value", "lower", "upper", "state"), key=repr)
    loading.load_region(small, replace=True)
    second = sorted(Value.objects.values_list("indicator__code", "territory__code", "period", "sex", "age_band",
                                              "value", "lower", "upper", "state"), key=repr)
    assert first == second


def test_clear_demo_removes_only_demo_data(small):
    real = Territory.objects.create(level="region", code="84", name="Auvergne-Rhône-Alpes")
    loading.load_region(small)
    counts = loading.clear_demo()
    assert counts["indicators"] == 22
    assert list(Territory.objects.all()) == [real]
    assert not Value.objects.exists() and not Membership.objects.exists() and not Population.objects.exists()


def test_a_failure_writes_nothing(small, monkeypatch):
    def broken(region, values):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(loading, "_write_values", broken)
    with pytest.raises(RuntimeError):
        loading.load_region(small)
    assert not Territory.objects.exists() and not Indicator.objects.exists()


# --- the hook of other areas ---------------------------------------------------------------------------

def _fake_extra(name, calls):
    module = types.ModuleType(name)

    def clear():
        calls.append((name, "clear", Territory.objects.filter(level="region").exists()))

    def load(region):
        calls.append((name, "load", Territory.objects.filter(level="commune").count()))
        return f"{name} : données fictives ajoutées."

    module.clear, module.load = clear, load
    return module


def test_extra_loaders_are_called_in_order(small, monkeypatch):
    calls = []
    for name in ("tests_demo_extra_a", "tests_demo_extra_b"):
        monkeypatch.setitem(sys.modules, name, _fake_extra(name, calls))
    monkeypatch.setattr(loading, "EXTRA_LOADERS", ["tests_demo_extra_a", "equisante.demo.absent_extra",
                                                   "tests_demo_extra_b"])
    report = loading.load_region(small)
    assert calls == [("tests_demo_extra_a", "load", 60), ("tests_demo_extra_b", "load", 60)]
    assert report.extras == ["tests_demo_extra_a : données fictives ajoutées.",
                             "tests_demo_extra_b : données fictives ajoutées."]
    assert report.extras[0] in report.summary()
    calls.clear()
    loading.load_region(small, replace=True)
    # clear() runs while the previous demo territories still exist, then load() on the new ones
    assert calls == [("tests_demo_extra_a", "clear", True), ("tests_demo_extra_b", "clear", True),
                     ("tests_demo_extra_a", "load", 60), ("tests_demo_extra_b", "load", 60)]


def test_a_failing_extra_rolls_everything_back(small, monkeypatch):
    module = types.ModuleType("tests_demo_extra_broken")
    module.clear = lambda: None

    def load(region):
        raise RuntimeError("panne simulée")

    module.load = load
    monkeypatch.setitem(sys.modules, "tests_demo_extra_broken", module)
    monkeypatch.setattr(loading, "EXTRA_LOADERS", ["tests_demo_extra_broken"])
    with pytest.raises(RuntimeError):
        loading.load_region(small)
    assert not Territory.objects.exists() and not Value.objects.exists()


def test_the_real_extra_loaders_work_with_the_demo(small, monkeypatch):
    """Integration: whichever of the declared extra loaders exist load and clear without error."""
    monkeypatch.setattr(loading, "EXTRA_LOADERS", ["equisante.prioritisation.demo", "equisante.contracts.demo"])
    report = loading.load_region(small)
    assert all(isinstance(line, str) and line for line in report.extras)
    loading.load_region(small, replace=True)
    loading.clear_demo()
    assert not Territory.objects.exists()


def test_demo_user(db):
    from django.contrib.auth import get_user_model

    assert loading.ensure_demo_user() is True
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.check_password("equisante-demo")
    user.set_password("changé")
    user.save()
    assert loading.ensure_demo_user() is False
    user.refresh_from_db()
    assert user.check_password("changé")  # an existing account is never reset
