from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrioritisationConfig(AppConfig):
    name = "equisante.prioritisation"
    label = "prioritisation"
    verbose_name = _("Priorisation des territoires")
