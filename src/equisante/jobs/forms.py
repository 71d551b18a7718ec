from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from equisante.jobs.imports import FORMATS
from equisante.territories.levels import LABELS, Level


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=_("Que contient le fichier ?"), widget=forms.RadioSelect)
    file = forms.FileField(label=_("Fichier"), help_text=_("CSV, XLSX, ODS ou GeoJSON selon le type, 50 Mo au plus."))
    level = forms.ChoiceField(label=_("Niveau des territoires"), required=False,
                              choices=[("", "—")] + [(lv.value, LABELS[lv]) for lv in Level],
                              help_text=_("Pour les territoires seulement."))
    vintage = forms.IntegerField(label=_("Millésime du COG"), required=False, min_value=1943, max_value=2100,
                                 help_text=_("Pour les territoires seulement, par exemple 2024."))
    period = forms.CharField(label=_("Période"), required=False, max_length=20,
                             help_text=_("Pour des valeurs sans colonne « period », par exemple 2021."))

    def __init__(self, *args, formats: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [(code, FORMATS[code].label) for code in formats]

    def clean(self):
        data = super().clean()
        fmt, upload = data.get("format"), data.get("file")
        if fmt and upload:
            extension = "".join(Path(upload.name).suffixes[-1:]).lstrip(".").lower()
            allowed = FORMATS[fmt].extensions
            if extension not in allowed:
                self.add_error("file", _("Extension « .%(ext)s » inattendue pour ce type : %(allowed)s.") % {
                    "ext": extension, "allowed": ", ".join(f".{a}" for a in allowed)})
        if fmt in ("territoires", "cog"):
            if not data.get("level"):
                self.add_error("level", _("Choisir le niveau des territoires du fichier."))
            if not data.get("vintage"):
                self.add_error("vintage", _("Indiquer le millésime du COG."))
        return data
