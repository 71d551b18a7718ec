"""The COG and membership CSV readers (pure, no database)."""

from __future__ import annotations

import pytest

from equisante.territories.reading import read_cog, read_memberships
from tests.territories.helpers import FIXTURES, codes, write


def only(reading, code):
    assert codes(reading.problems) == [code], [str(p) for p in reading.problems]
    return reading.problems[0]


# --- COG files ------------------------------------------------------------------------------------


def test_regions_and_departements():
    records, problems = read_cog(FIXTURES / "regions.csv", level="region")
    assert problems == [] and [(r.code, r.name, r.parent) for r in records] == [
        ("04", "La Réunion", None), ("11", "Île-de-France", None), ("94", "Corse", None)]
    records, problems = read_cog(FIXTURES / "departements.csv", level="departement")
    assert problems == [] and [(r.code, r.parent) for r in records][:2] == [("2A", "94"), ("75", "11")]
    assert records[-1].code == "974" and records[-1].name == "La Réunion" and records[-1].location.line == 7


def test_communes_keep_typecom_com_unless_asked():
    reading = read_cog(FIXTURES / "communes.csv", level="commune")
    assert reading.problems == [] and reading.skipped == 3  # two ARM, one COMD
    assert [(r.code, r.parent) for r in reading.records] == [
        ("2A004", "2A"), ("75056", "75"), ("92012", "92"), ("93066", "93"), ("94028", "94"), ("97411", "974")]
    with_arm = read_cog(FIXTURES / "communes.csv", level="commune", typecom=["COM", "ARM"])
    assert with_arm.problems == [] and len(with_arm.records) == 8 and with_arm.skipped == 1


def test_typecom_sharing_codes_are_duplicates_with_both_lines():
    reading = read_cog(FIXTURES / "communes.csv", level="commune", typecom=["COM", "COMD"])
    problem = only(reading, "territory_code_duplicate")
    assert problem.location.line == 9 and "ligne 8 et ligne 9" in problem.message


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_separator_is_detected(tmp_path, separator):
    text = separator.join(["DEP", "REG", "LIBELLE"]) + "\n" + separator.join(["2A", "94", "Corse-du-Sud"]) + "\n"
    records, problems = read_cog(write(tmp_path / "d.csv", text), level="departement")
    assert problems == [] and (records[0].code, records[0].parent, records[0].name) == ("2A", "94", "Corse-du-Sud")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_encodings(tmp_path, encoding):
    text = "COM;DEP;LIBELLE\n94028;94;Créteil\n97411;974;Saint-Denis — Réunion\n"
    if encoding in ("latin-1",):
        text = text.replace("—", "-")  # not in ISO-8859-1
    records, problems = read_cog(write(tmp_path / "c.csv", text.encode(encoding)), level="commune")
    assert problems == [] and records[0].name == "Créteil"


def test_undecodable_bytes_are_reported_with_their_line(tmp_path):
    data = "COM;DEP;LIBELLE\n94028;94;Créteil\n".encode("cp1252") + b"97411;974;Saint-Denis \x81\n"
    problem = only(read_cog(write(tmp_path / "c.csv", data), level="commune"), "encoding_invalid")
    assert problem.location.line == 3 and "0x81" in problem.message


def test_lowercase_headers_and_nccenr_fallback(tmp_path):
    text = "reg,cheflieu,tncc,ncc,nccenr\n11,75056,1,ILE DE FRANCE,Île-de-France\n"
    records, problems = read_cog(write(tmp_path / "r.csv", text), level="region")
    assert problems == [] and records[0].name == "Île-de-France"


def test_missing_required_column_names_the_expected_ones(tmp_path):
    text = "CODE_COMMUNE;DEP;LIBELLE\n94028;94;Créteil\n"
    problem = only(read_cog(write(tmp_path / "c.csv", text), level="commune"), "territory_columns_missing")
    assert problem.location.line == 1
    assert problem.params["missing"] == "COM ou CODE ou CODGEO"
    assert "code (COM), nom (LIBELLE), parent facultatif (DEP)" in problem.message
    assert "Colonnes trouvées : CODE_COMMUNE, DEP, LIBELLE" in problem.message


def test_cog_levels_also_read_the_generic_table(tmp_path):
    text = "level,code,name,vintage,parent_level,parent,zone_type\nregion,11,Île-de-France,2024,,,\n"
    records, problems = read_cog(write(tmp_path / "r.csv", text), level="region")
    assert problems == [] and (records[0].code, records[0].name, records[0].parent) == ("11", "Île-de-France", None)


def test_columns_can_be_named(tmp_path):
    text = "insee;nom_commune;dept;pop\n94028;Créteil;94;92 265\n"
    records, problems = read_cog(write(tmp_path / "c.csv", text), level="commune", code_column="insee",
                                 name_column="nom_commune", parent_column="dept", population_column="pop")
    assert problems == [] and (records[0].parent, records[0].population) == ("94", 92265)


def test_generic_table_for_other_levels():
    records, problems = read_cog(FIXTURES / "epci.csv", level="epci")
    assert problems == [] and (records[0].code, records[0].name, records[0].parent) == (
        "200054781", "Métropole du Grand Paris", "75")


def test_cell_problems_say_line_and_column(tmp_path):
    text = "COM;DEP;LIBELLE;POP\n1001;01;L'Abergement;12\n;01;Sans code;3\n01004;01;;5\n01005;01;Ambérieux;beaucoup\n"
    reading = read_cog(write(tmp_path / "c.csv", text), level="commune", population_column="POP")
    assert codes(reading.problems) == ["territory_code_format", "territory_code_missing", "territory_name_missing",
                                       "territory_population_invalid"]
    assert [(p.location.line, p.location.column) for p in reading.problems] == [
        (2, "COM"), (3, "COM"), (4, "LIBELLE"), (5, "POP")]


def test_row_too_long(tmp_path):
    text = "COM,DEP,LIBELLE\n94028,94,Créteil\n01001,01,L'Abergement,Clémenciat\n"
    problem = only(read_cog(write(tmp_path / "c.csv", text), level="commune"), "territory_row_too_long")
    assert problem.location.line == 3 and "virgule" in problem.message


def test_short_rows_miss_their_cells(tmp_path):
    text = "COM,DEP,LIBELLE\n94028,94\n"
    only(read_cog(write(tmp_path / "c.csv", text), level="commune"), "territory_name_missing")


@pytest.mark.parametrize("text", ["", "\n\n", "COM;DEP;LIBELLE\n", "COM;DEP;LIBELLE\n\n;;\n"])
def test_empty_files(tmp_path, text):
    only(read_cog(write(tmp_path / "c.csv", text), level="commune"), "territory_file_empty")


def test_quoted_cells_spanning_lines_keep_line_numbers(tmp_path):
    text = 'COM,DEP,LIBELLE\n94028,94,"Cré\nteil"\n1001,01,X\n'
    reading = read_cog(write(tmp_path / "c.csv", text), level="commune")
    assert only(reading, "territory_code_format").location.line == 4


def test_all_codes_of_a_commune_file_only_with_typecom(tmp_path):
    text = "TYPECOM,COM,DEP,LIBELLE\nCOMD,01001,01,X\n"
    reading = read_cog(write(tmp_path / "c.csv", text), level="commune")
    assert reading.records == [] and reading.skipped == 1
    assert codes(reading.problems) == ["territory_file_empty"]


# --- Membership tables ----------------------------------------------------------------------------


def test_insee_epci_composition():
    reading = read_memberships(FIXTURES / "communes-epci.csv", member_level="commune", group_level="epci")
    assert reading.problems == [] and reading.skipped == 1  # ZZZZZZZZZ: in no EPCI
    assert [(r.member, r.group, r.share) for r in reading.records][:2] == [
        ("2A004", "242010056", 1.0), ("75056", "200054781", 1.0)]


def test_generic_membership_with_shares(tmp_path):
    text = "member;group;share\n94028;QP094001;0,25\n94028;QP094002;\n93066;QP093001;1\n"
    records, problems = read_memberships(write(tmp_path / "m.csv", text))
    assert problems == [] and [r.share for r in records] == [0.25, 1.0, 1.0]


def test_unknown_headers_are_read_by_position(tmp_path):
    text = "commune,zone,poids_pop\n94028,Z1,0.5\n"
    records, problems = read_memberships(write(tmp_path / "m.csv", text))
    assert problems == [] and (records[0].member, records[0].group, records[0].share) == ("94028", "Z1", 0.5)


def test_membership_columns_missing(tmp_path):
    text = "a;b;c;d\n1;2;3;4\n"
    problem = only(read_memberships(write(tmp_path / "m.csv", text)), "territory_columns_missing")
    assert "CODGEO" in problem.message and "EPCI" in problem.message


@pytest.mark.parametrize("share", ["0", "1.5", "abc", "-0.2", "nan", "inf"])
def test_invalid_shares(tmp_path, share):
    text = f"member;group;share\n94028;Z1;{share}\n"
    problem = only(read_memberships(write(tmp_path / "m.csv", text)), "territory_share_invalid")
    assert problem.location.line == 2 and problem.location.column == "share"


def test_duplicate_membership_names_both_lines(tmp_path):
    text = "CODGEO;EPCI\n94028;200054781\n93066;200054781\n94028;200054781\n"
    problem = only(read_memberships(write(tmp_path / "m.csv", text)), "territory_membership_duplicate")
    assert "ligne 2 et ligne 4" in problem.message


def test_membership_code_formats(tmp_path):
    text = "CODGEO;EPCI\n94028;20005478\n"
    problem = only(read_memberships(write(tmp_path / "m.csv", text), member_level="commune", group_level="epci"),
                   "territory_code_format")
    assert problem.location.column == "EPCI" and "SIREN" in problem.message
