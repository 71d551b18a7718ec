"""Stored confidentiality decisions: decided again by every import, atomically, and read everywhere."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from click.testing import CliRunner

from equisante.cli import main
from equisante.errors import InputRejected
from equisante.indicators import withholding
from equisante.indicators.importing import import_values, values_frame
from equisante.indicators.models import Indicator, Value

from .helpers import write

pytestmark = pytest.mark.django_db

HEADER = "indicator,level,code,period,sex,age_band,numerator,denominator\n"
# an EPCI of two communes and their département: the small commune (4) would come back by subtraction
VALUES = HEADER + (
    "part_65,commune,01001,2021,,,4,100\n"
    "part_65,commune,01002,2021,,,30,200\n"
    "part_65,epci,200000001,2021,,,34,300\n"
    "part_65,departement,01,2021,,,34,300\n"
)


def decisions():
    return dict(Value.objects.filter(indicator__code="part_65").values_list("territory__code", "withheld"))


def test_an_import_decides_primary_and_secondary_withholding(tmp_path, territories, catalogue):
    import_values(write(tmp_path, "v.csv", VALUES))
    assert decisions() == {"01001": "primary", "01002": "secondary", "200000001": "", "01": ""}
    indicator = Indicator.objects.get(code="part_65")
    assert indicator.withholding_threshold == 10 and indicator.withholding_updated_at is not None
    # the visitor's attack on what is stored finds nothing
    (finding,) = withholding.audit(["part_65"])
    assert finding.exposed == [] and finding.small_published == [] and finding.withheld == 2


def test_a_correction_decides_again_in_the_same_transaction(tmp_path, territories, catalogue):
    import_values(write(tmp_path, "v.csv", VALUES))
    corrected = VALUES.replace("01001,2021,,,4,100", "01001,2021,,,14,100").replace(",34,300", ",44,300")
    import_values(write(tmp_path, "v2.csv", corrected))
    assert decisions() == {"01001": "", "01002": "", "200000001": "", "01": ""}
    # a refused file changes neither the values nor the decisions
    with pytest.raises(InputRejected):
        import_values(write(tmp_path, "v3.csv", VALUES + "part_65,commune,99999,2021,,,4,100\n"))
    assert decisions() == {"01001": "", "01002": "", "200000001": "", "01": ""}


def test_decisions_taken_with_another_threshold_are_taken_again(client, tmp_path, territories, catalogue, settings):
    import_values(write(tmp_path, "v.csv", VALUES))
    settings.EQUISANTE_CONFIDENTIALITY_THRESHOLD = 40
    response = client.get("/indicateurs/part_65/", {"level": "commune", "format": "csv"})
    rows = {row["Code"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")),
                                                       delimiter=";")}
    assert rows["01002"]["État"] == "secret statistique" and rows["01002"]["Secret"] == "primaire"  # 30 < 40
    assert rows["01002"]["Numérateur"] == "" and rows["01002"]["Valeur"] == ""
    assert Indicator.objects.get(code="part_65").withholding_threshold == 40


def test_the_page_and_the_export_say_why(client, tmp_path, territories, catalogue):
    import_values(write(tmp_path, "v.csv", VALUES))
    html = client.get("/indicateurs/part_65/", {"level": "commune"}).content.decode()
    assert "Secret statistique (primaire)" in html and "Secret statistique (secondaire)" in html
    assert "secret secondaire" in html and "Pour cette sélection : 2 valeurs masquées" in html
    frame = values_frame(indicators=["part_65"], published=True).set_index("code")
    assert frame.loc["01002", "secret"] == "secondaire" and pd.isna(frame.loc["01002", "numerator"])
    assert frame.loc["200000001", "numerator"] == 34 and frame.loc["200000001", "secret"] == ""
    raw = values_frame(indicators=["part_65"]).set_index("code")
    assert "secret" not in raw.columns and raw.loc["01002", "numerator"] == 30


def test_the_confidentiality_commands(tmp_path, territories, catalogue):
    import_values(write(tmp_path, "v.csv", VALUES))
    Value.objects.update(withheld="")  # decisions lost: the audit must see the subtraction
    runner = CliRunner()
    failed = runner.invoke(main, ["confidentiality", "audit"])
    assert failed.exit_code == 1 and "1 retrouvable par différence" in failed.output
    refreshed = runner.invoke(main, ["confidentiality", "refresh"])
    assert refreshed.exit_code == 0 and "1 en secret secondaire" in refreshed.output
    assert runner.invoke(main, ["confidentiality", "audit"]).exit_code == 0
    exported = runner.invoke(main, ["export", "values", "--indicator", "part_65", "--published"])
    assert exported.exit_code == 0
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(exported.output))}
    assert rows["01002"]["secret"] == "secondaire" and rows["01002"]["numerator"] == ""
