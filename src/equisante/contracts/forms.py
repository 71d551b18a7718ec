"""Forms of the contracts pages: an action sheet, its coding on the grid, the import of a file.

Every form carries the ``version`` of the sheet it was built from (hidden): the service refuses a
save prepared on an older version (:class:`~equisante.contracts.services.StaleEdit`).
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from equisante.actionsheets.model import SECTORS
from equisante.contracts import vocabulary as v
from equisante.contracts.models import Actor, StrategicAxis, code_validator
from equisante.contracts.services import Funding
from equisante.grid import load_grid
from equisante.territories.models import Territory

YES_NO = [("", _("Non renseigné")), ("oui", _("Oui")), ("non", _("Non"))]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def to_yes_no(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


def from_yes_no(text: str) -> bool | None:
    return None if not text else text == "oui"


class SheetForm(DsfrBaseForm):
    """The content of an action sheet (everything but its coding)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label=_("Code de la fiche"), max_length=40, validators=[code_validator],
                           help_text=_("Unique dans le contrat, par exemple FA-2.3."))
    title = forms.CharField(label=_("Intitulé"), max_length=300)
    axis = forms.ModelChoiceField(label=_("Axe stratégique"), queryset=StrategicAxis.objects.none(), required=False,
                                  empty_label=_("— sans axe —"))
    objectives = forms.CharField(label=_("Objectifs"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    quantified_targets = forms.CharField(
        label=_("Cibles chiffrées"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("Valeur de départ, cible et échéance, par exemple « 300 enfants dépistés par an d'ici 2027 »."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    publics = forms.CharField(label=_("Publics visés"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              help_text=_("Un public par ligne."))
    territories = forms.ModelMultipleChoiceField(label=_("Territoires de l'action"), queryset=Territory.objects.none(),
                                                 required=False, widget=forms.CheckboxSelectMultiple,
                                                 help_text=_("Parmi le périmètre du contrat ; aucun : tout le périmètre."))
    lead = forms.ModelChoiceField(label=_("Porteur"), queryset=Actor.objects.order_by("name"), required=False,
                                  empty_label=_("— non renseigné —"))
    partners = forms.ModelMultipleChoiceField(label=_("Partenaires (annuaire)"), queryset=Actor.objects.order_by("name"),
                                              required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
                                              help_text=_("Ctrl ou Cmd + clic pour en choisir plusieurs."))
    other_partners = forms.CharField(label=_("Autres partenaires (hors annuaire)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Un par ligne."))
    budget = forms.IntegerField(label=_("Budget total (€)"), min_value=0, required=False)
    funding = forms.CharField(
        label=_("Financements"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une ligne par financeur : « nom ; montant en € ; année ; acquis ou demandé », par exemple "
                    "« Agence régionale de santé ; 12000 ; 2025 ; acquis »."))
    indicators = forms.CharField(label=_("Indicateurs de suivi"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False, help_text=_("Un indicateur par ligne."))
    starts_on = forms.DateField(label=_("Début"), required=False, widget=forms.DateInput(attrs={"type": "date"},
                                                                                        format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("Fin"), required=False, widget=forms.DateInput(attrs={"type": "date"},
                                                                                    format="%Y-%m-%d"))
    status = forms.ChoiceField(label=_("État d'avancement"), choices=v.SHEET_STATUSES)
    ists_contribution = forms.ChoiceField(label=_("La fiche dit comment elle réduit les inégalités de santé"),
                                          choices=YES_NO, required=False)
    resident_participation = forms.ChoiceField(label=_("Les habitants ou usagers participent à l'action"),
                                               choices=YES_NO, required=False)
    evaluation_planned = forms.ChoiceField(label=_("Une évaluation est prévue"), choices=YES_NO, required=False)

    def __init__(self, *args, contract, sheet=None, **kwargs):
        self.contract = contract
        self.sheet = sheet
        if sheet is not None and "initial" not in kwargs and not args and "data" not in kwargs:
            kwargs["initial"] = self.initial_from(sheet)
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = StrategicAxis.objects.filter(contract=contract)
        perimeter = contract.perimeter.all()
        self.fields["territories"].queryset = perimeter.order_by("level", "name")

    @staticmethod
    def initial_from(sheet) -> dict:
        return {
            "version": sheet.version, "code": sheet.code, "title": sheet.title, "axis": sheet.axis_id,
            "objectives": sheet.objectives, "quantified_targets": sheet.quantified_targets,
            "description": sheet.description, "publics": "\n".join(sheet.publics or []),
            "territories": list(sheet.territories.values_list("pk", flat=True)), "lead": sheet.lead_id,
            "partners": list(sheet.partners.values_list("pk", flat=True)),
            "other_partners": "\n".join(sheet.other_partners or []), "budget": sheet.budget,
            "funding": "\n".join(
                f"{line.funder_label} ; {line.amount if line.amount is not None else ''} ; {line.year or ''} ; "
                f"{'acquis' if line.secured else 'demandé'}" for line in sheet.funding_lines.select_related("funder")),
            "indicators": sheet.indicators, "starts_on": sheet.starts_on, "ends_on": sheet.ends_on,
            "status": sheet.status, "ists_contribution": to_yes_no(sheet.ists_contribution),
            "resident_participation": to_yes_no(sheet.resident_participation),
            "evaluation_planned": to_yes_no(sheet.evaluation_planned),
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        others = self.contract.sheets.filter(code=code)
        if self.sheet is not None:
            others = others.exclude(pk=self.sheet.pk)
        if others.exists():
            raise forms.ValidationError(_("Le contrat a déjà une fiche « %(code)s ».") % {"code": code})
        return code

    def clean_funding(self):
        lines = []
        actors = {a.name.casefold(): a for a in Actor.objects.all()}
        errors = []
        for number, line in enumerate(_lines(self.cleaned_data.get("funding", "")), start=1):
            parts = [p.strip() for p in line.split(";")]
            parts += [""] * (4 - len(parts))
            name, amount, year, state = parts[:4]
            if not name or len(parts) > 4:
                errors.append(_("ligne %(n)s : écrire « nom ; montant ; année ; acquis ou demandé ».") % {"n": number})
                continue
            amount_value = year_value = None
            if amount:
                digits = re.sub(r"[\s\u202f\u00a0€]", "", amount)
                if not digits.isdigit():
                    errors.append(_("ligne %(n)s : le montant « %(a)s » n'est pas un nombre entier d'euros.") % {
                        "n": number, "a": amount})
                    continue
                amount_value = int(digits)
            if year:
                if not (year.isdigit() and 1990 <= int(year) <= 2100):
                    errors.append(_("ligne %(n)s : l'année « %(y)s » n'est pas plausible.") % {"n": number, "y": year})
                    continue
                year_value = int(year)
            if state and state.casefold() not in ("acquis", "demandé", "demande"):
                errors.append(_("ligne %(n)s : écrire « acquis » ou « demandé », pas « %(s)s ».") % {
                    "n": number, "s": state})
                continue
            actor = actors.get(name.casefold())
            lines.append(Funding(funder=actor, funder_name="" if actor else name, amount=amount_value, year=year_value,
                                 secured=state.casefold() == "acquis"))
        if errors:
            raise forms.ValidationError(errors)
        return lines

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("La fin précède le début."))
        return data

    def values(self) -> tuple[dict, dict, list[Funding]]:
        """(field values, many-to-many relations, funding lines) for the services."""
        d = self.cleaned_data
        values = {
            "code": d["code"], "title": d["title"], "axis": d["axis"], "objectives": d["objectives"],
            "quantified_targets": d["quantified_targets"], "description": d["description"],
            "publics": _lines(d["publics"]), "lead": d["lead"], "other_partners": _lines(d["other_partners"]),
            "budget": d["budget"], "indicators": "\n".join(_lines(d["indicators"])), "starts_on": d["starts_on"],
            "ends_on": d["ends_on"], "status": d["status"],
            "ists_contribution": from_yes_no(d["ists_contribution"]),
            "resident_participation": from_yes_no(d["resident_participation"]),
            "evaluation_planned": from_yes_no(d["evaluation_planned"]),
        }
        m2m = {"territories": d["territories"], "partners": [a for a in d["partners"] if a != d["lead"]]}
        return values, m2m, d["funding"]


class CodingForm(forms.Form):
    """The coding of a sheet: determinants and strategies (grid node ids), approach, themes, partner
    sectors, a note. Rendered by hand (a tree of checkboxes) in ``contracts/sheet_coding.html``."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    determinants = forms.MultipleChoiceField(label=_("Déterminants"), required=False)
    strategies = forms.MultipleChoiceField(label=_("Stratégies"), required=False)
    approach = forms.ChoiceField(label=_("Type d'approche"), required=False)
    themes = forms.MultipleChoiceField(label=_("Thématiques de santé"), required=False)
    partner_sectors = forms.MultipleChoiceField(label=_("Secteurs partenaires"), required=False,
                                                choices=list(SECTORS.items()))
    publics = forms.CharField(label=_("Publics visés"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    coding_note = forms.CharField(label=_("Note sur le codage"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, grid_version: str, **kwargs):
        super().__init__(*args, **kwargs)
        grid = load_grid(grid_version)
        self.fields["determinants"].choices = [(n.id, f"{n.id} {n.label}") for n in grid.determinants()]
        self.fields["strategies"].choices = [(n.id, f"{n.id} {n.label}") for n in grid.strategies()]
        self.fields["approach"].choices = [("", _("non codé"))] + [(n.id, n.label) for n in grid.approaches()]
        self.fields["themes"].choices = [(n.id, n.label) for n in grid.themes()]

    @staticmethod
    def initial_from(sheet) -> dict:
        return {"version": sheet.version, "determinants": list(sheet.determinants),
                "strategies": list(sheet.strategies), "approach": sheet.approach, "themes": list(sheet.themes),
                "partner_sectors": list(sheet.partner_sectors), "publics": "\n".join(sheet.publics or []),
                "coding_note": sheet.coding_note}

    def coding(self) -> dict:
        d = self.cleaned_data
        return {"determinants": d["determinants"], "strategies": d["strategies"], "approach": d["approach"],
                "themes": d["themes"], "partner_sectors": d["partner_sectors"], "coding_note": d["coding_note"]}


class ImportForm(DsfrBaseForm):
    file = forms.FileField(label=_("Fichier de fiches-action (CSV ou XLSX)"),
                           help_text=_("Une ligne par fiche-action ; colonnes contract, code, axis, title, description, "
                                       "publics, partners, themes, determinants, strategies, approach."))
    format = forms.ChoiceField(label=_("Format"), required=False,
                               choices=[("", _("d'après l'extension du fichier")), ("csv", "CSV"), ("xlsx", "XLSX")])
