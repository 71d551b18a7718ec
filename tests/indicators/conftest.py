"""Fixtures of the indicator tests: a small nested territory (built with the ORM) and a catalogue.

Région 84 ⊃ départements 01 and 69; 01 ⊃ communes 01001, 01002; 69 ⊃ commune 69001;
EPCI 200000001 groups 01001 and 01002; QPV QP001 holds a quarter of 01001 (share 0.25).
"""

from __future__ import annotations

import pytest

from equisante.indicators.models import Indicator
from equisante.territories.models import Membership, Territory


@pytest.fixture
def territories(db):
    region = Territory.objects.create(level="region", code="84", name="Région Test")
    d01 = Territory.objects.create(level="departement", code="01", name="Ain", parent=region)
    d69 = Territory.objects.create(level="departement", code="69", name="Rhône", parent=region)
    c1 = Territory.objects.create(level="commune", code="01001", name="L'Abergement", parent=d01)
    c2 = Territory.objects.create(level="commune", code="01002", name="Saint-Étienne", parent=d01)
    c3 = Territory.objects.create(level="commune", code="69001", name="Affoux", parent=d69)
    epci = Territory.objects.create(level="epci", code="200000001", name="CC Test", parent=d01)
    qpv = Territory.objects.create(level="qpv", code="QP001", name="Quartier Test", parent=c1)
    Membership.objects.create(member=c1, group=epci)
    Membership.objects.create(member=c2, group=epci)
    Membership.objects.create(member=c1, group=qpv, share=0.25)
    return {t.code: t for t in (region, d01, d69, c1, c2, c3, epci, qpv)}


@pytest.fixture
def catalogue(db):
    rows = [
        Indicator(code="part_65", label="Part des 65 ans et plus", unit="%", multiplier=100, polarity="neutral"),
        Indicator(code="mortalite", label="Mortalité", unit="pour 100 000 habitants", multiplier=100_000),
        Indicator(code="deces", label="Décès", unit="nombre", multiplier=1),
        Indicator(code="revenu", label="Revenu médian", unit="euros", multiplier=1, polarity="favourable"),
    ]
    Indicator.objects.bulk_create(rows)
    return {i.code: i for i in Indicator.objects.all()}

