from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "equisante.calls"
    label = "calls"
    verbose_name = _("Appels à projets et à manifestation d'intérêt")
