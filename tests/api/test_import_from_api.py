"""``equisante import indicators --from URL``: values pulled from another instance's API (here the test
server) and imported with their catalogue, as published there (withheld cells stay withheld)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from equisante.api import client as client_module
from equisante.cli import main
from equisante.indicators.models import Indicator, Value

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def remote(live_server, sample, monkeypatch):
    """The live server plays the other instance. Both share the test database, so the local copy of the
    indicators is deleted once the API has answered, as if it were another database."""
    original = client_module.RemoteApi.table
    fetched = []

    def table(self, path, **params):
        body = original(self, path, **params)
        fetched.append(path)
        if path.endswith("/valeurs"):
            Value.objects.filter(indicator__code=path.split("/")[3]).delete()
        return body

    monkeypatch.setattr(client_module.RemoteApi, "table", table)
    monkeypatch.setattr(client_module.RemoteApi, "__init__", _small_pages(client_module.RemoteApi.__init__))
    return {"url": live_server.url, "fetched": fetched}


def _small_pages(init):
    def wrapped(self, *args, **kwargs):
        kwargs["page_size"] = 2  # several pages, to follow the Link headers
        init(self, *args, **kwargs)
    return wrapped


def test_import_indicators_from_another_instance(remote):
    published = {(v.territory.code, v.period, v.sex): (v.value, v.state)
                 for v in Value.objects.filter(indicator__code="mortalite").select_related("territory")}
    result = CliRunner().invoke(main, ["import", "indicators", "--from", remote["url"], "--indicator", "mortalite"])
    assert result.exit_code == 0, result.output
    assert "/api/indicateurs/mortalite/valeurs" in remote["fetched"]
    local = {(v.territory.code, v.period, v.sex): (v.value, v.state)
             for v in Value.objects.filter(indicator__code="mortalite").select_related("territory")}
    assert set(local) == set(published)
    # what was published comes back; what was withheld there stays withheld here, without its numbers
    assert local[("01001", "2021", "")] == (1234.5, "ok")
    assert local[("01003", "2021", "")] == (None, "suppressed")
    assert local[("01002", "2021", "F")][1] == "suppressed"
    assert Indicator.objects.get(code="mortalite").unit == "pour 100 000 habitants"


def test_an_unreachable_instance_is_reported_in_french(db):
    result = CliRunner().invoke(main, ["import", "indicators", "--from", "http://127.0.0.1:9/"])
    assert result.exit_code == 1
    assert "Instance distante injoignable" in result.output or "ne répond pas" in result.output


def test_from_and_a_file_do_not_mix(tmp_path):
    result = CliRunner().invoke(main, ["import", "indicators", str(tmp_path / "x.csv"), "--from", "http://x"])
    assert result.exit_code != 0 and "--from" in result.output
