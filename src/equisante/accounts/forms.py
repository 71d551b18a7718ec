from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from equisante.contracts import vocabulary as v
from equisante.contracts.models import Contract
from equisante.territories.models import Territory


class InviteForm(forms.Form):
    username = forms.RegexField(label=_("Identifiant"), max_length=150, regex=r"^[\w.@+-]+$",
                                help_text=_("Lettres, chiffres et . @ + - _ ; par exemple prenom.nom."))
    email = forms.EmailField(label=_("Adresse électronique"), help_text=_("Le lien pour choisir le mot de passe y est envoyé."))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Cet identifiant est déjà pris."))
        return username


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=v.ROLES)
    departement = forms.ModelChoiceField(label=_("Département (référent départemental)"), required=False,
                                         queryset=Territory.objects.filter(level="departement").order_by("code"))
    contract = forms.ModelChoiceField(label=_("Contrat (coordinateur ou partenaire)"), required=False,
                                      queryset=Contract.objects.order_by("code"))


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    email = forms.EmailField(label=_("Adresse électronique"), required=False)
    analyst = forms.BooleanField(label=_("Analyste de l'observatoire (importe indicateurs et territoires)"),
                                 required=False)
