"""The territory importers: all or nothing, idempotent, parents, memberships, populations."""

from __future__ import annotations

import json

import pytest

from equisante.errors import InputRejected
from equisante.territories import importing
from equisante.territories.importing import import_cog, import_memberships, import_territories
from equisante.territories.models import Membership, Population, Territory
from tests.territories.helpers import FIXTURES, codes, collection, communes, feature, polygon, write

pytestmark = pytest.mark.django_db

COMMUNES = FIXTURES / "communes.geojson"


def rejected(call, *args, **kwargs) -> InputRejected:
    with pytest.raises(InputRejected) as info:
        call(*args, **kwargs)
    assert info.value.problems
    return info.value


def cog_chain(vintage=2024):
    """Régions, départements and communes of the fixtures, from the COG files."""
    import_cog(FIXTURES / "regions.csv", level="region", vintage=vintage)
    import_cog(FIXTURES / "departements.csv", level="departement", vintage=vintage)
    return import_cog(FIXTURES / "communes.csv", level="commune", vintage=vintage)


# --- GeoJSON --------------------------------------------------------------------------------------


def test_geojson_import_creates_every_territory_with_geometry_and_bbox():
    report = import_territories(COMMUNES, level="commune", vintage=2018)
    assert (report.total, report.created, report.updated, report.unchanged) == (6, 6, 0, 0)
    assert report.summary().startswith("6 communes importées (6 créées, 0 mise à jour)")
    paris = Territory.objects.get(level="commune", code="75056", vintage=2018)
    assert paris.name == "Paris" and paris.parent is None and not paris.fictional
    assert paris.bbox == pytest.approx([2.30, 48.83, 2.38, 48.91])
    assert paris.geojson_geometry()["type"] == "Polygon"


def test_reimporting_the_same_file_changes_nothing():
    import_territories(COMMUNES, level="commune")
    before = {t.code: (t.pk, t.updated_at, t.geometry) for t in Territory.objects.all()}
    report = import_territories(COMMUNES, level="commune")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
    assert "6 inchangées" in report.summary()
    assert {t.code: (t.pk, t.updated_at, t.geometry) for t in Territory.objects.all()} == before


def test_a_changed_feature_is_updated_in_place(tmp_path):
    import_territories(COMMUNES, level="commune")
    document = json.loads(COMMUNES.read_text(encoding="utf-8"))
    document["features"][1]["properties"]["nom"] = "Boulogne"
    document["features"][2]["geometry"] = polygon(2.34, 48.92, 0.05)
    report = import_territories(write(tmp_path / "c.geojson", document), level="commune")
    assert (report.created, report.updated, report.unchanged) == (0, 2, 4)
    assert Territory.objects.get(code="92012").name == "Boulogne" and Territory.objects.count() == 6


def test_vintages_are_kept_apart():
    import_territories(COMMUNES, level="commune", vintage=2018)
    report = import_territories(COMMUNES, level="commune", vintage=2024)
    assert report.created == 6 and Territory.objects.filter(code="75056").count() == 2


def test_one_bad_feature_refuses_the_whole_file(tmp_path):
    features = communes(5)
    features[3]["geometry"] = {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.31, 48.81]]]}
    exc = rejected(import_territories, write(tmp_path / "c.geojson", collection(*features)), level="commune")
    assert codes(exc.problems) == ["territory_geometry_malformed"] and exc.problems[0].location.feature == 4
    assert Territory.objects.count() == 0
    assert "rien n'a été importé" in exc.report() and "objet n° 4" in exc.report()


def test_a_refused_file_leaves_earlier_imports_untouched(tmp_path):
    import_territories(COMMUNES, level="commune")
    snapshot = list(Territory.objects.values_list("code", "name", "geometry", "updated_at"))
    document = json.loads(COMMUNES.read_text(encoding="utf-8"))
    document["features"][0]["properties"]["nom"] = "Lutèce"
    document["features"][5]["properties"]["code"] = "75056"
    rejected(import_territories, write(tmp_path / "c.geojson", document), level="commune")
    assert list(Territory.objects.values_list("code", "name", "geometry", "updated_at")) == snapshot


def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(importing, "_write_populations", fail)
    with pytest.raises(RuntimeError):
        import_territories(COMMUNES, level="commune", population_field="population", population_year=2021)
    assert Territory.objects.count() == 0 and Population.objects.count() == 0


def test_invalid_geometry_is_repaired_on_request(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.31, 48.81], [2.31, 48.8], [2.3, 48.81], [2.3, 48.8]]]}
    path = write(tmp_path / "c.geojson", collection(feature("75056", "Paris", bowtie)))
    rejected(import_territories, path, level="commune")
    report = import_territories(path, level="commune", repair=True)
    assert report.repaired == 1 and "réparée" in report.summary()


# --- Options --------------------------------------------------------------------------------------


@pytest.mark.parametrize("options, code", [
    ({"level": "canton"}, "territory_level_unknown"),
    ({"level": "commune", "vintage": 1800}, "territory_vintage_invalid"),
    ({"level": "commune", "population_field": "population"}, "territory_population_year_missing"),
    ({"level": "departement", "parent_from_code": True}, "territory_parent_from_code_unsupported"),
    ({"level": "zone", "parent_field": "parent"}, "territory_parent_level_missing"),
    ({"level": "commune", "parent_level": "quartier", "parent_field": "departement"}, "territory_level_unknown"),
])
def test_invalid_options_are_refused_before_reading(options, code):
    exc = rejected(import_territories, COMMUNES, **options)
    assert codes(exc.problems) == [code]
    assert Territory.objects.count() == 0


def test_levels_may_be_named_in_french():
    assert import_territories(COMMUNES, level="Communes").level == "commune"


def test_missing_file_is_refused(tmp_path):
    exc = rejected(import_territories, tmp_path / "absent.geojson", level="commune")
    assert codes(exc.problems) == ["file_not_found"]


def test_fictional_territories_skip_official_code_formats(tmp_path):
    path = write(tmp_path / "z.geojson", collection(feature("X1", "Bourg fictif")))
    rejected(import_territories, path, level="commune")
    import_territories(path, level="commune", fictional=True)
    assert Territory.objects.get(code="X1").fictional


# --- Parents --------------------------------------------------------------------------------------


def test_parent_field_links_to_existing_parents():
    import_territories(FIXTURES / "departements.geojson", level="departement")
    report = import_territories(COMMUNES, level="commune", parent_field="departement")
    assert report.linked == 6
    assert Territory.objects.get(code="97411").parent.code == "974"
    assert Territory.objects.get(code="2A004").parent.name == "Corse-du-Sud"


def test_missing_parent_refuses_the_file():
    import_territories(FIXTURES / "departements.geojson", level="departement")
    Territory.objects.filter(code="974").delete()
    exc = rejected(import_territories, COMMUNES, level="commune", parent_field="departement")
    assert codes(exc.problems) == ["territory_parent_missing"] and exc.problems[0].location.feature == 6
    assert "« 974 »" in exc.problems[0].message and Territory.objects.filter(level="commune").count() == 0


def test_parent_from_code_links_what_exists():
    import_territories(FIXTURES / "departements.geojson", level="departement")
    Territory.objects.filter(code="2A").delete()
    report = import_territories(COMMUNES, level="commune", parent_from_code=True)
    assert (report.linked, report.unlinked) == (5, 1) and "1 sans parent" in report.summary()
    assert Territory.objects.get(code="97411").parent.code == "974"  # 3 characters overseas
    assert Territory.objects.get(code="92012").parent.code == "92"
    assert Territory.objects.get(code="2A004").parent is None


def test_parents_of_another_vintage_are_used_when_the_same_vintage_lacks_them():
    import_territories(FIXTURES / "departements.geojson", level="departement", vintage=2024)
    import_territories(COMMUNES, level="commune", vintage=2018, parent_field="departement")
    assert Territory.objects.get(code="75056", vintage=2018).parent.vintage == 2024


def test_parents_in_the_same_file(tmp_path):
    document = collection(feature("Z2", "Sous-zone", polygon(2.3), parent="Z1"),
                          feature("Z1", "Zone", polygon(2.4), parent=None),
                          feature("Z3", "Autre", polygon(2.5), parent="Z1"))
    path = write(tmp_path / "zones.geojson", document)
    report = import_territories(path, level="zone", parent_field="parent", parent_level="zone", zone_type="ZIP")
    assert report.created == 3
    assert Territory.objects.get(code="Z2").parent.code == "Z1" and Territory.objects.get(code="Z1").parent is None
    assert Territory.objects.get(code="Z3").zone_type == "ZIP"
    again = import_territories(path, level="zone", parent_field="parent", parent_level="zone", zone_type="ZIP")
    assert again.unchanged == 3


def test_an_import_without_parents_keeps_the_links_made_before():
    import_territories(FIXTURES / "departements.geojson", level="departement")
    import_territories(COMMUNES, level="commune", parent_field="departement")
    report = import_territories(COMMUNES, level="commune")
    assert report.unchanged == 6 and Territory.objects.get(code="75056").parent.code == "75"


# --- COG files ------------------------------------------------------------------------------------


def test_cog_chain_links_regions_departements_communes():
    report = cog_chain()
    assert (report.created, report.skipped, report.linked) == (6, 3, 6)
    creteil = Territory.objects.get(level="commune", code="94028")
    assert creteil.parent.code == "94" and creteil.parent.parent.name == "Île-de-France"
    assert "3 lignes ignorées (communes déléguées" in report.summary()


def test_cog_communes_need_their_departements():
    import_cog(FIXTURES / "regions.csv", level="region")
    exc = rejected(import_cog, FIXTURES / "communes.csv", level="commune")
    assert set(codes(exc.problems)) == {"territory_parent_missing"} and len(exc.problems) == 6
    assert exc.problems[0].location.line == 2
    assert Territory.objects.filter(level="commune").count() == 0
    assert import_cog(FIXTURES / "communes.csv", level="commune", link_parents=False).created == 6


def test_cog_import_keeps_geometries_of_an_earlier_geojson_import():
    import_territories(COMMUNES, level="commune")
    geometry = Territory.objects.get(code="75056").geometry
    report = cog_chain()
    assert (report.created, report.updated) == (0, 6)  # parents are new
    paris = Territory.objects.get(level="commune", code="75056")
    assert paris.geometry == geometry and paris.parent.code == "75"
    assert cog_chain().unchanged == 6


def test_generic_table_for_epci():
    cog_chain()
    report = import_cog(FIXTURES / "epci.csv", level="epci")
    assert report.created == 3 and Territory.objects.get(code="200054781").parent.code == "75"


# --- Populations ----------------------------------------------------------------------------------


def test_populations_are_stored_for_the_year(tmp_path):
    report = import_territories(COMMUNES, level="commune", population_field="population", population_year=2021)
    assert report.populations.created == 6 and "Populations 2021" in report.summary()
    assert Population.objects.get(territory__code="75056", year=2021).population == 2145906
    again = import_territories(COMMUNES, level="commune", population_field="population", population_year=2021)
    assert (again.populations.created, again.populations.updated, again.populations.unchanged) == (0, 0, 6)
    document = json.loads(COMMUNES.read_text(encoding="utf-8"))
    document["features"][0]["properties"]["population"] = 2100000
    document["features"][1]["properties"]["population"] = None
    changed = import_territories(write(tmp_path / "c.geojson", document), level="commune",
                                 population_field="population", population_year=2021)
    assert (changed.populations.updated, changed.populations.unchanged) == (1, 4)
    assert Population.objects.get(territory__code="75056", year=2021).population == 2100000
    assert Population.objects.filter(territory__code="92012", year=2021).exists()  # absent value: kept


def test_populations_from_a_csv(tmp_path):
    path = write(tmp_path / "c.csv", "COM;LIBELLE;PMUN\n94028;Créteil;92 265\n93066;Saint-Denis;113116\n")
    report = import_cog(path, level="commune", population_column="PMUN", population_year=2021)
    assert report.populations.created == 2
    assert Population.objects.get(territory__code="94028").population == 92265


# --- Memberships ----------------------------------------------------------------------------------


def memberships_ready():
    cog_chain()
    import_cog(FIXTURES / "epci.csv", level="epci")


def test_memberships_link_communes_to_epci():
    memberships_ready()
    report = import_memberships(FIXTURES / "communes-epci.csv", member_level="commune", group_level="epci")
    assert (report.created, report.skipped) == (6, 1)
    assert "6 appartenances commune → EPCI importées (6 créées, 0 mise à jour" in report.summary()
    mgp = Territory.objects.get(code="200054781")
    assert sorted(mgp.members.values_list("member__code", flat=True)) == ["75056", "92012", "93066", "94028"]
    again = import_memberships(FIXTURES / "communes-epci.csv", member_level="commune", group_level="epci")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6) and Membership.objects.count() == 6


def test_membership_shares_are_updated(tmp_path):
    memberships_ready()
    path = write(tmp_path / "m.csv", "CODGEO;EPCI;PART\n94028;200054781;0,5\n")
    import_memberships(path, member_level="commune", group_level="epci")
    path = write(tmp_path / "m.csv", "CODGEO;EPCI;PART\n94028;200054781;0,75\n")
    report = import_memberships(path, member_level="commune", group_level="epci")
    assert report.updated == 1 and Membership.objects.get().share == 0.75


def test_unknown_members_and_groups_refuse_the_table(tmp_path):
    memberships_ready()
    path = write(tmp_path / "m.csv", "CODGEO;EPCI\n94028;200054781\n01001;200054781\n94028;200000001\n")
    exc = rejected(import_memberships, path, member_level="commune", group_level="epci")
    assert codes(exc.problems) == ["territory_member_unknown", "territory_group_unknown"]
    assert [p.location.line for p in exc.problems] == [3, 4]
    assert Membership.objects.count() == 0


def test_memberships_use_the_latest_vintage_unless_told():
    cog_chain(vintage=2018)
    cog_chain(vintage=2024)
    import_cog(FIXTURES / "epci.csv", level="epci", vintage=2024)
    import_memberships(FIXTURES / "communes-epci.csv", member_level="commune", group_level="epci")
    assert set(Membership.objects.values_list("member__vintage", flat=True)) == {2024}
    exc = rejected(import_memberships, FIXTURES / "communes-epci.csv", member_level="commune", group_level="epci",
                   vintage=2018)
    assert set(codes(exc.problems)) == {"territory_group_unknown"} and "millésime 2018" in exc.problems[0].message


def test_membership_levels_are_checked():
    exc = rejected(import_memberships, FIXTURES / "communes-epci.csv", member_level="commune", group_level="canton")
    assert codes(exc.problems) == ["territory_level_unknown"]


# --- Tables written by ``equisante export territories`` -------------------------------------------


def test_exported_table_reimports_with_parent_level_and_zone_type(tmp_path):
    cog_chain()
    text = ("\ufefflevel,code,name,vintage,parent_level,parent,zone_type\n"
            "zone,ZIP-1,Zone prioritaire Nord,2024,commune,93066,ZIP\n"
            "zone,CLS-1,Contrat local de santé Est,2024,commune,94028,CLS\n"
            "zone,Z-LIBRE,Zone sans parent,2024,,,\n")
    path = write(tmp_path / "territoires.csv", text.encode("utf-8"))
    report = import_cog(path, level="zone")
    assert (report.created, report.linked) == (3, 2)
    zip_zone = Territory.objects.get(code="ZIP-1")
    assert zip_zone.parent.code == "93066" and zip_zone.parent.level == "commune" and zip_zone.zone_type == "ZIP"
    assert import_cog(path, level="zone").unchanged == 3


def test_exported_table_with_mixed_parent_levels_is_refused(tmp_path):
    cog_chain()
    text = ("level,code,name,vintage,parent_level,parent,zone_type\n"
            "zone,Z1,Zone 1,2024,commune,93066,\n"
            "zone,Z2,Zone 2,2024,departement,93,\n")
    exc = rejected(import_cog, write(tmp_path / "t.csv", text), level="zone")
    assert codes(exc.problems) == ["territory_parent_level_mixed"]
    assert import_cog(write(tmp_path / "t.csv", text.replace("departement,93", "commune,94028")), level="zone").linked == 2


def test_zone_type_too_long_is_refused(tmp_path):
    exc = rejected(import_territories, COMMUNES, level="zone", zone_type="x" * 41, fictional=True)
    assert codes(exc.problems) == ["territory_zone_type_invalid"]
    text = "code,nom,zone_type\nZ1,Zone 1," + "y" * 41 + "\n"
    exc = rejected(import_cog, write(tmp_path / "z.csv", text), level="zone")
    assert codes(exc.problems) == ["territory_zone_type_invalid"] and exc.problems[0].location.line == 2
