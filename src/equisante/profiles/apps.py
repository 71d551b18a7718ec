from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "equisante.profiles"
    label = "profiles"
    verbose_name = _("Profils ISTS des contrats")
