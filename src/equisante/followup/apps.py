from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "equisante.followup"
    label = "followup"
    verbose_name = _("Suivi des contrats et base publique des actions")
    default_auto_field = "django.db.models.BigAutoField"
