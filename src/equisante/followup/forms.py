"""Forms of the follow-up pages (French labels, DSFR rendering)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from dsfr.forms import DsfrBaseForm

from equisante.contracts.models import Actor
from equisante.followup.figures import INDICATOR_KINDS, PROGRESS_STATES


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _text(label, rows=3) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


class IndicatorForm(DsfrBaseForm):
    label = forms.CharField(label=_l("Intitulé de l’indicateur"), max_length=300)
    kind = forms.ChoiceField(label=_l("Type"), choices=list(INDICATOR_KINDS.items()))
    unit = forms.CharField(label=_l("Unité"), max_length=60, required=False,
                           help_text=_l("Par exemple : personnes, ateliers, %."))
    source = forms.CharField(label=_l("Source"), max_length=200, required=False)
    baseline = forms.FloatField(label=_l("Valeur initiale"), required=False)
    baseline_date = _date(_l("Date de la valeur initiale"))
    target = forms.FloatField(label=_l("Cible"), required=False)
    target_date = _date(_l("Échéance de la cible"))


class YearForm(DsfrBaseForm):
    """The progress of the sheet for one year and the value of each indicator that year (fields
    ``value_<id>`` added per indicator)."""

    state = forms.ChoiceField(label=_l("État d’avancement"), required=False,
                              choices=[("", _l("Non renseigné"))] + list(PROGRESS_STATES.items()))
    percent = forms.IntegerField(label=_l("Avancement (%)"), required=False, min_value=0, max_value=100)
    started_on = _date(_l("Commencée le"))
    ended_on = _date(_l("Terminée le"))
    note = _text(_l("Commentaire sur l’année"), rows=2)

    def __init__(self, *args, indicators=(), year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            label = _("%(label)s — valeur %(year)s") % {"label": indicator.label, "year": year}
            if indicator.unit:
                label += f" ({indicator.unit})"
            self.fields[f"value_{indicator.pk}"] = forms.FloatField(label=label, required=False)

    def value_fields(self):
        return [self[f"value_{i.pk}"] for i in self.indicators]

    def clean(self):
        data = super().clean()
        if data.get("percent") is not None and not data.get("state"):
            self.add_error("state", _("Indiquer l’état d’avancement avec le pourcentage."))
        if data.get("started_on") and data.get("ended_on") and data["ended_on"] < data["started_on"]:
            self.add_error("ended_on", _("La fin précède le début."))
        return data


class FundingForm(DsfrBaseForm):
    funder = forms.ModelChoiceField(label=_l("Financeur (annuaire)"), queryset=Actor.objects.order_by("name"),
                                    required=False, empty_label=_l("— hors annuaire —"))
    funder_name = forms.CharField(label=_l("Financeur hors annuaire"), max_length=200, required=False)
    year = forms.IntegerField(label=_l("Année"), min_value=1990, max_value=2100)
    requested = forms.IntegerField(label=_l("Demandé (€)"), min_value=0, required=False)
    granted = forms.IntegerField(label=_l("Accordé (€)"), min_value=0, required=False)
    spent = forms.IntegerField(label=_l("Dépensé (€)"), min_value=0, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("funder") and not (data.get("funder_name") or "").strip():
            self.add_error("funder", _("Choisir un financeur de l’annuaire ou écrire son nom."))
        return data


class LogicModelForm(DsfrBaseForm):
    inputs = _text(_l("Ressources mobilisées (intrants)"))
    activities = _text(_l("Activités"))
    outputs = _text(_l("Réalisations (produits)"))
    outcomes = _text(_l("Effets attendus (résultats)"))


class ReviewForm(DsfrBaseForm):
    summary = _text(_l("Synthèse de l’année"), rows=4)
    participation = _text(_l("Participation des habitants et des partenaires"), rows=3)

    def __init__(self, *args, axes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.axes = list(axes)
        for axis in self.axes:
            self.fields[f"axis_{axis.number}"] = _text(
                _("Axe %(n)s — %(title)s : commentaire de l’année") % {"n": axis.number, "title": axis.title})

    def axis_fields(self):
        return [self[f"axis_{a.number}"] for a in self.axes]

    def axis_texts(self) -> dict:
        return {str(a.number): self.cleaned_data.get(f"axis_{a.number}", "") for a in self.axes}


class ApprovalForm(DsfrBaseForm):
    signatory = forms.ModelChoiceField(label=_l("Signataire au nom duquel vous validez"), queryset=Actor.objects.none())
    comment = forms.CharField(label=_l("Commentaire (facultatif)"), max_length=500, required=False)

    def __init__(self, *args, signatories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signatory"].queryset = signatories
