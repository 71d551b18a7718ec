"""Forms of the calls pages (French labels; DSFR rendering through django-dsfr)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from equisante.calls import vocabulary as v
from equisante.calls.models import Application, Call, Criterion, Funder
from equisante.territories.models import Territory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallForm(forms.ModelForm, DsfrBaseForm):
    eligible_promoter_kinds = forms.MultipleChoiceField(
        label=_("Types de porteurs éligibles"), choices=v.PROMOTER_KIND_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Aucun coché : tous les types."))
    eligible_codes = forms.CharField(
        label=_("Territoires éligibles (codes séparés par « ; »)"), required=False,
        help_text=_("Vide : toute la région. Exemple : 93;95 pour deux départements."))

    class Meta:
        model = Call
        fields = ["code", "title", "kind", "description", "opens_on", "closes_on", "instruction_until",
                  "committee_on", "notification_on", "eligible_promoter_kinds", "min_amount", "max_amount",
                  "cover_by", "min_per_group", "reserved_for", "reserved_share"]
        widgets = {name: DATE for name in ("opens_on", "closes_on", "instruction_until", "committee_on",
                                            "notification_on")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["eligible_codes"].initial = ";".join(
                self.instance.eligible_territories.values_list("code", flat=True))
            self.fields["code"].disabled = True

    def clean_eligible_codes(self):
        codes = [c.strip() for c in self.cleaned_data["eligible_codes"].split(";") if c.strip()]
        found = {t.code: t for t in Territory.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(_("Codes de territoire inconnus : %(codes)s."),
                                        params={"codes": ", ".join(unknown)})
        return [found[c] for c in codes]

    def clean_reserved_share(self):
        share = self.cleaned_data["reserved_share"]
        if share is not None and not 0 <= share <= 100:
            raise forms.ValidationError(_("Une part est comprise entre 0 et 100 %."))
        return share

    def save(self, commit=True):
        call = super().save(commit=commit)
        if commit:
            call.eligible_territories.set(self.cleaned_data["eligible_codes"])
        return call


class _PartForm(forms.ModelForm, DsfrBaseForm):
    pass


FunderFormSet = inlineformset_factory(Call, Funder, form=_PartForm, fields=["name", "envelope"], extra=2,
                                      can_delete=True)
CriterionFormSet = inlineformset_factory(Call, Criterion, form=_PartForm,
                                         fields=["order", "label", "guidance", "weight", "scale_max"], extra=2,
                                         can_delete=True)


class ApplicationForm(forms.ModelForm, DsfrBaseForm):
    territory_codes = forms.CharField(label=_("Territoires (codes séparés par « ; »)"),
                                      help_text=_("Communes, QPV ou EPCI où le projet se déroule, ex. 93001;93005."))

    class Meta:
        model = Application
        fields = ["title", "promoter", "promoter_kind", "summary", "requested", "total_cost"]

    def clean_territory_codes(self):
        codes = [c.strip() for c in self.cleaned_data["territory_codes"].split(";") if c.strip()]
        if not codes:
            raise forms.ValidationError(_("Indiquer au moins un territoire."))
        found = {}
        for territory in Territory.objects.filter(code__in=codes).order_by("-vintage"):
            current = found.get(territory.code)
            if current is None or territory.level == "commune":
                found[territory.code] = territory
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(_("Codes de territoire inconnus : %(codes)s."), params={"codes": ", ".join(unknown)})
        return [found[c] for c in codes]

    def clean(self):
        data = super().clean()
        requested, total = data.get("requested"), data.get("total_cost")
        if requested is not None and total is not None and requested > total:
            self.add_error("requested", _("Le montant demandé dépasse le coût total du projet."))
        return data


class ImportForm(DsfrBaseForm):
    file = forms.FileField(label=_("Fichier des candidatures (CSV ou XLSX)"))


class AssignForm(DsfrBaseForm):
    application = forms.ModelChoiceField(label=_("Candidature"), queryset=Application.objects.none())
    reviewer = forms.CharField(label=_("Identifiant de l'instructeur"))
    organisation = forms.CharField(label=_("Organisme"), required=False, help_text=_("ARS, DREETS, CAF, DRAC…"))

    def __init__(self, call, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = call.applications.all()

    def clean_reviewer(self):
        username = self.cleaned_data["reviewer"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("Aucun compte ne porte l'identifiant « %(u)s »."), params={"u": username})
        return user


class ConflictForm(DsfrBaseForm):
    statement = forms.CharField(label=_("Nature du conflit d'intérêts"), widget=forms.Textarea(attrs={"rows": 3}))


class ScoreForm(DsfrBaseForm):
    opinion = forms.CharField(label=_("Avis motivé"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, criteria, *args, initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.TypedChoiceField(
                label=f"{c.label} (pondération {c.weight:g}, note de 0 à {c.scale_max})",
                choices=[(i, str(i)) for i in range(c.scale_max + 1)], coerce=int,
                initial=(initial_values or {}).get(c.pk), help_text=c.guidance)
        self.order_fields([f"c{c.pk}" for c in self.criteria] + ["opinion"])

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class OverrideForm(DsfrBaseForm):
    CHOICES = [("retenir", _("Retenir")), ("ecarter", _("Écarter")), ("proposition", _("Suivre la proposition"))]
    choice = forms.ChoiceField(label=_("Choix du comité"), choices=CHOICES)
    reason = forms.CharField(label=_("Motif"), required=False, widget=forms.TextInput())

    def clean(self):
        data = super().clean()
        if data.get("choice") in ("retenir", "ecarter") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Un motif écrit est obligatoire pour modifier la proposition."))
        return data


class DecisionForm(DsfrBaseForm):
    decision = forms.ChoiceField(label=_("Décision"), choices=[("", _("— choisir —"))] + v.DECISIONS)
    reason = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 3}))
    granted = forms.DecimalField(label=_("Montant attribué (€)"), required=False, min_value=0, decimal_places=2,
                                 help_text=_("Vide : le montant demandé (sans objet pour un refus)."))
