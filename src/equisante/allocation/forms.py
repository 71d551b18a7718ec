"""Forms of the allocation pages (French labels, DSFR rendering)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from dsfr.forms import DsfrBaseForm

from equisante.allocation.adjustments import Adjustment
from equisante.allocation.adjustments import parse_adjustments as parse_text
from equisante.allocation.errors import AllocationError
from equisante.allocation.models import RESOURCE_CHOICES, WEIGHTING_CHOICES, Grant, Scenario
from equisante.territories.levels import PLURALS, Level
from equisante.territories.models import Territory

ADJUSTMENT_HELP = _l("Un ajustement par ligne : territoires ; variation ; à partir du ; jusqu’au ; motif. "
                     "Exemple : « 93, 77, 95 ; +10 % ; 2021-02-15 ; ; sur-allocation aux départements les plus "
                     "défavorisés ». Des codes de départements s’appliquent à leurs communes.")


def _number(value: str) -> float:
    return float(str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))


def parse_adjustments(text: str, level: str) -> list[Adjustment]:
    """Adjustments from the text field (see :data:`ADJUSTMENT_HELP`); raises ValidationError in French."""
    departements = set() if level == "region" else set(
        Territory.objects.filter(level="departement").values_list("code", flat=True))
    try:
        return parse_text(text, departements)
    except AllocationError as error:
        raise forms.ValidationError(error.message) from None


def adjustments_text(adjustments: list[dict]) -> str:
    lines = []
    for data in adjustments or []:
        a = Adjustment.from_dict(data)
        change = (a.factor - 1) * 100
        lines.append(" ; ".join([", ".join(a.territories), f"{change:+g} %".replace(".", ","),
                                 a.starts.isoformat() if a.starts else "", a.ends.isoformat() if a.ends else "",
                                 a.reason]))
    return "\n".join(lines)


class ScenarioForm(DsfrBaseForm):
    """The parameters of a scenario (the page is a GET form: results follow the parameters)."""

    resource = forms.ChoiceField(label=_l("Ressource"), choices=RESOURCE_CHOICES)
    total = forms.CharField(label=_l("Total à répartir"), help_text=_l("Par exemple 1 500 000 (euros) ou 12 000 (doses)."))
    unit = forms.CharField(label=_l("Unité entière (facultatif)"), required=False,
                           help_text=_l("1 pour des postes ou des doses, 10 pour des boîtes de 10 ; vide pour des "
                                        "montants continus."))
    level = forms.ChoiceField(label=_l("Niveau des territoires"))
    area = forms.ChoiceField(label=_l("Dans le territoire"), required=False)
    zone = forms.ChoiceField(label=_l("Dans la zone"), required=False)
    selection = forms.CharField(label=_l("Seulement ces territoires (codes, facultatif)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.ChoiceField(label=_l("Mesure du besoin"), required=False)
    weighting = forms.ChoiceField(label=_l("Pondération par le besoin"), choices=WEIGHTING_CHOICES)
    gradient_high = forms.CharField(label=_l("Poids de la classe la plus défavorisée"), initial="1,5", required=False)
    gradient_low = forms.CharField(label=_l("Poids de la classe la moins défavorisée"), initial="1", required=False)
    deprivation = forms.ChoiceField(label=_l("Indice de défavorisation (comparaisons par quintile)"), required=False)
    floor = forms.CharField(label=_l("Plancher par territoire (facultatif)"), required=False)
    cap = forms.CharField(label=_l("Plafond par territoire (facultatif)"), required=False)
    adjustments = forms.CharField(label=_l("Ajustements datés (facultatif)"), required=False, help_text=ADJUSTMENT_HELP,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    applies_on = forms.DateField(label=_l("Date d’application"), required=False,
                                 help_text=_l("Date à laquelle les ajustements en vigueur sont appliqués ; vide : "
                                              "tous les ajustements s’appliquent."),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    outcome_indicator = forms.ChoiceField(label=_l("Indicateur de résultat, après coup (facultatif)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from equisante.indicators.models import Indicator
        from equisante.prioritisation.models import IndexDefinition

        levels = list(Territory.objects.order_by().values_list("level", flat=True).distinct())
        self.fields["level"].choices = [(lv.value, PLURALS[lv]) for lv in Level if lv.value in levels] or [
            ("commune", PLURALS[Level.COMMUNE])]
        areas = Territory.objects.filter(level__in=["region", "departement"]).order_by("level", "code")
        self.fields["area"].choices = [("", _("Tous"))] + [(f"{t.level}:{t.code}", f"{t.name} ({t.code})")
                                                           for t in areas]
        zones = Territory.objects.filter(level="zone").order_by("name")
        self.fields["zone"].choices = [("", _("Aucune"))] + [(t.code, t.name) for t in zones]
        indices = list(IndexDefinition.objects.order_by("code").values_list("code", "label"))
        indicators = list(Indicator.objects.order_by("label").values_list("code", "label"))
        self.fields["measure"].choices = [("", _("Aucune (part par habitant)"))] + [
            (_("Indices"), [(f"index:{c}", label) for c, label in indices]),
            (_("Indicateurs"), [(f"indicator:{c}", label) for c, label in indicators]),
        ]
        self.fields["deprivation"].choices = [("", _("Par défaut (IDH-2 s’il est calculé)"))] + indices
        self.fields["outcome_indicator"].choices = [("", _("Aucun"))] + indicators

    def _float(self, name, *, required=False, positive=True):
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            if required:
                self.add_error(name, _("Indiquer un nombre."))
            return None
        try:
            value = _number(text)
        except ValueError:
            self.add_error(name, _("« %(v)s » n’est pas un nombre.") % {"v": text})
            return None
        if positive and value < 0:
            self.add_error(name, _("Indiquer un nombre positif ou nul."))
            return None
        return value

    def clean(self):
        data = super().clean()
        data["total_value"] = self._float("total", required=True)
        data["unit_value"] = self._float("unit")
        if data["unit_value"] == 0:
            self.add_error("unit", _("L’unité doit être strictement positive."))
        data["floor_value"] = self._float("floor")
        data["cap_value"] = self._float("cap")
        data["gradient_high_value"] = self._float("gradient_high")
        data["gradient_low_value"] = self._float("gradient_low")
        try:
            data["adjustment_list"] = parse_adjustments(data.get("adjustments", ""), data.get("level", "commune"))
        except forms.ValidationError as error:
            self.add_error("adjustments", error)
        return data

    def scenario(self, instance: Scenario | None = None) -> Scenario:
        """An (unsaved) scenario with the form's parameters."""
        data = self.cleaned_data
        scenario = instance or Scenario()
        scenario.resource = data["resource"]
        scenario.total = data["total_value"]
        scenario.unit = data["unit_value"]
        scenario.level = data["level"]
        area = data.get("area") or ""
        scenario.area = Territory.objects.filter(level=area.split(":")[0], code=area.split(":")[-1]).order_by(
            "-vintage").first() if ":" in area else None
        scenario.zone = Territory.objects.filter(level="zone", code=data.get("zone")).first() if data.get("zone") else None
        scenario.selection = [c for c in re.split(r"[,;\s]+", data.get("selection") or "") if c]
        kind, _sep, code = (data.get("measure") or "").partition(":")
        scenario.measure_kind, scenario.measure = (kind, code) if code else ("", "")
        scenario.weighting = data["weighting"]
        scenario.gradient_high = data["gradient_high_value"] if data["gradient_high_value"] is not None else 1.5
        scenario.gradient_low = data["gradient_low_value"] if data["gradient_low_value"] is not None else 1.0
        scenario.deprivation = data.get("deprivation") or ""
        scenario.floor = data["floor_value"]
        scenario.cap = data["cap_value"]
        scenario.adjustments = [a.to_dict() for a in data.get("adjustment_list", [])]
        scenario.applies_on = data.get("applies_on")
        scenario.outcome_indicator = data.get("outcome_indicator") or ""
        return scenario


def initial_from(scenario: Scenario) -> dict:
    """The form's data for a saved scenario (to edit it or start a variant)."""
    def text(value):
        return "" if value is None else f"{value:g}".replace(".", ",")

    return {
        "resource": scenario.resource, "total": text(scenario.total), "unit": text(scenario.unit),
        "level": scenario.level, "area": f"{scenario.area.level}:{scenario.area.code}" if scenario.area_id else "",
        "zone": scenario.zone.code if scenario.zone_id else "", "selection": " ".join(scenario.selection or []),
        "measure": f"{scenario.measure_kind}:{scenario.measure}" if scenario.measure else "",
        "weighting": scenario.weighting, "gradient_high": text(scenario.gradient_high),
        "gradient_low": text(scenario.gradient_low), "deprivation": scenario.deprivation,
        "floor": text(scenario.floor), "cap": text(scenario.cap),
        "adjustments": adjustments_text(scenario.adjustments),
        "applies_on": scenario.applies_on.isoformat() if scenario.applies_on else "",
        "outcome_indicator": scenario.outcome_indicator,
    }


class SaveForm(DsfrBaseForm):
    name = forms.CharField(label=_l("Nom du scénario"), max_length=200)
    description = forms.CharField(label=_l("Description (facultatif)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class GrantForm(DsfrBaseForm, forms.ModelForm):
    territory_code = forms.CharField(label=_l("Code du territoire"), max_length=40)
    territory_level = forms.ChoiceField(label=_l("Niveau"), choices=[(lv.value, PLURALS[lv]) for lv in Level],
                                        initial="commune")

    class Meta:
        model = Grant
        fields = ["year", "programme", "funder", "amount", "note"]

    def clean(self):
        data = super().clean()
        code, level = (data.get("territory_code") or "").strip(), data.get("territory_level")
        territory = Territory.objects.filter(level=level, code=code).order_by("-vintage").first()
        if territory is None:
            self.add_error("territory_code", _("Aucun territoire de ce niveau n’a le code « %(code)s ».") % {"code": code})
        data["territory"] = territory
        if data.get("amount") is not None and data["amount"] < 0:
            self.add_error("amount", _("Indiquer un montant positif ou nul."))
        if data.get("year") is not None and not 1990 <= data["year"] <= 2100:
            self.add_error("year", _("Indiquer une année entre 1990 et 2100."))
        return data


class GrantImportForm(DsfrBaseForm):
    file = forms.FileField(label=_l("Fichier CSV ou XLSX"),
                           help_text=_l("Colonnes : code, niveau (facultatif, commune par défaut), annee, programme, "
                                        "financeur, montant, reference et note (facultatives)."))
