"""A small hand-made follow-up on the contracts sample (``contracts.sample``): CLS-01-VEY followed in
2024 and 2025.

- FA-1.1 (axis 1): indicator « Personnes accompagnées » (process, baseline 0, target 200), values
  2024 = 80, 2025 = 150; progress 2024 en cours 40 %, 2025 en cours 75 %; money 2025: ARS requested
  12 000 granted 10 000 spent 7 500; Ville requested 3 000 granted 3 000 spent 3 000.
- FA-1.2 (axis 1): indicator « Enfants examinés » (result, baseline 100, target 400), value 2025 = 500;
  progress 2025 réalisée (no percent); money 2025: ARS requested 5 000 granted 4 000 spent 4 000.
- FA-2.1 (axis 2): no indicator; progress 2025 non commencée; money 2024: Ville 2 000 / 2 000 / 2 000.
"""

from __future__ import annotations

from contracts.sample import build_registry
from equisante.followup.models import IndicatorMeasure, SheetFunding, SheetIndicator, SheetProgress


def build_followup() -> dict:
    data = build_registry()
    sheets, actors = data["sheets"], data["actors"]
    ars, ville = actors["ARS de démonstration"], actors["Ville de Saint-Étienne-du-Bois"]
    people = SheetIndicator.objects.create(sheet=sheets["FA-1.1"], label="Personnes accompagnées", kind="processus",
                                           unit="personnes", source="Tableau de bord du centre social",
                                           baseline=0, target=200)
    IndicatorMeasure.objects.create(indicator=people, year=2024, value=80)
    IndicatorMeasure.objects.create(indicator=people, year=2025, value=150)
    children = SheetIndicator.objects.create(sheet=sheets["FA-1.2"], label="Enfants examinés", kind="resultat",
                                             baseline=100, target=400)
    IndicatorMeasure.objects.create(indicator=children, year=2025, value=500)
    SheetProgress.objects.create(sheet=sheets["FA-1.1"], year=2024, state="en-cours", percent=40)
    SheetProgress.objects.create(sheet=sheets["FA-1.1"], year=2025, state="en-cours", percent=75)
    SheetProgress.objects.create(sheet=sheets["FA-1.2"], year=2025, state="realisee")
    SheetProgress.objects.create(sheet=sheets["FA-2.1"], year=2025, state="non-commencee")
    SheetFunding.objects.create(sheet=sheets["FA-1.1"], funder=ars, year=2025, requested=12000, granted=10000,
                                spent=7500)
    SheetFunding.objects.create(sheet=sheets["FA-1.1"], funder=ville, year=2025, requested=3000, granted=3000,
                                spent=3000)
    SheetFunding.objects.create(sheet=sheets["FA-1.2"], funder=ars, year=2025, requested=5000, granted=4000,
                                spent=4000)
    SheetFunding.objects.create(sheet=sheets["FA-2.1"], funder=ville, year=2024, requested=2000, granted=2000,
                                spent=2000)
    data["indicators"] = {"people": people, "children": children}
    return data
