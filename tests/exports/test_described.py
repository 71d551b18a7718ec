"""Every column an export writes has a French description (:data:`equisante.exports.COLUMNS`): the
exports reachable on the portal sample (pages, in every format), the reports built without a
database and the import templates leave :data:`equisante.exports.UNDESCRIBED` empty — a column nobody
described would reach the reader under a header made from its code."""

from __future__ import annotations

import pytest
from portal.conftest import sample  # noqa: F401  (the fixture)

from equisante import exports

#: The export addresses of the pages on the portal sample (every table a page offers to download).
PAGES = [
    "/indicateurs/mortalite/?level=commune&period=2021",
    "/indicateurs/mortalite/?level=departement",
    "/indicateurs/deces/?level=commune",
    "/indicateurs/",
    "/territoires/",
    "/territoires/departement/01/",
    "/territoires/departement/01/?table=children",
    "/territoires/departement/01/?table=indicators",
    "/territoires/commune/01003/",
    "/contrats/export/",
    "/actions/",
    "/profils/",
    "/allocation/subventions/",
]

#: Pages that offer no download in a format (the profiles: a workbook of several sheets, no CSV).
NOT_IN = {"csv": {"/profils/"}, "xlsx": set(), "ods": set()}


@pytest.fixture
def watched():
    exports.UNDESCRIBED.clear()
    yield exports.UNDESCRIBED
    exports.UNDESCRIBED.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_page_exports_describe_every_column(client, sample, watched, fmt):  # noqa: F811
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("admin-exports", password="x" * 20))
    served = []
    for address in PAGES:
        response = client.get(address + ("&" if "?" in address else "?") + f"format={fmt}")
        if response.status_code == 200 and response.get("Content-Disposition", "").startswith("attachment"):
            # the action sheets' exchange file is CSV or XLSX only: CSV when ODS is asked
            expected = "csv" if fmt == "ods" and address.startswith("/contrats/") else fmt
            assert response["Content-Type"] == exports.FORMATS[expected], address
            served.append(address)
    assert set(PAGES) - set(served) <= NOT_IN[fmt], sorted(set(PAGES) - set(served))
    assert watched == set(), sorted(watched)


def test_reports_and_templates_describe_every_column(watched):
    from portfolio.test_report import FACTS, _sheets

    from equisante.import_templates import BUILDERS, template, template_file
    from equisante.portfolio import portfolio_report
    from equisante.portfolio.report import to_xlsx

    for fmt in ("xlsx", "ods"):
        assert to_xlsx(portfolio_report(_sheets(), FACTS), fmt=fmt)
    for key in BUILDERS:
        for fmt in template(key).formats:
            assert template_file(key, fmt)[1]
    from equisante.actionsheets.exchange import write_action_sheets

    for fmt in ("csv", "xlsx"):
        assert write_action_sheets(_sheets(), None, format=fmt)
    assert watched == set(), sorted(watched)


def test_an_undescribed_column_is_noticed(watched):
    """The check itself: a column nobody described is recorded (and shown under a readable header)."""
    header, _ = exports.french_cells(__import__("pandas").DataFrame({"colonne_inventee": [1]}))
    assert header == ["Colonne inventee"] and watched == {"colonne_inventee"}
