from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "equisante.api"
    label = "api"
    verbose_name = "API et données ouvertes"
