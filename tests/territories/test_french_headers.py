"""The territory importer reads the French territories table (that of the pages' downloads and of the
template): « Code », « Nom », « Territoire parent », « Niveau du parent » (« département »)."""

from __future__ import annotations

import pytest

from equisante import exports
from equisante.cli.export import territories_frame
from equisante.territories.importing import import_cog
from equisante.territories.models import Territory

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(Territory.objects.values_list("level", "code", "name", "vintage", "parent_id", "zone_type"))


def test_french_table_round_trip():
    region = Territory.objects.create(level="region", code="84", name="Auvergne-Rhône-Alpes", vintage=2024)
    ain = Territory.objects.create(level="departement", code="01", name="Ain", parent=region, vintage=2024)
    Territory.objects.create(level="commune", code="01001", name="L'Abergement-Clémenciat", parent=ain,
                             vintage=2024)
    Territory.objects.create(level="commune", code="01002", name="L'Abergement-de-Varey", parent=ain, vintage=2024)
    before = _snapshot()
    data = exports.to_french_csv_bytes(territories_frame(level="commune"))
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header == "Niveau;Code;Nom;Millésime;Niveau du parent;Territoire parent;Type de zone"
    assert ";département;01;" in data.decode("utf-8-sig")  # the parent's level in French words
    report = import_cog(data, level="commune", vintage=2024, name="territoires.csv")
    assert (report.created, report.updated) == (0, 0)
    assert _snapshot() == before
    renamed = data.decode("utf-8-sig").replace("L'Abergement-de-Varey", "Abergement-de-Varey (nouveau nom)")
    report = import_cog(renamed.encode("utf-8-sig"), level="commune", vintage=2024, name="territoires.csv")
    assert report.updated == 1
    assert Territory.objects.get(code="01002").name == "Abergement-de-Varey (nouveau nom)"
    assert Territory.objects.get(code="01002").parent == ain
