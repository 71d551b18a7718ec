from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "equisante.allocation"
    label = "allocation"
    verbose_name = "Allocation et financements"
    default_auto_field = "django.db.models.BigAutoField"
