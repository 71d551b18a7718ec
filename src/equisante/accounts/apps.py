from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "equisante.accounts"
    verbose_name = "Comptes et rôles"
