from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "equisante.portal"
    label = "portal"
    verbose_name = _("Portail")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from equisante.portal.search import register_sqlite_functions

        # The accent-insensitive search needs its folding function on every SQLite connection.
        connection_created.connect(register_sqlite_functions, dispatch_uid="equisante-sqlite-fold")
        # Every committed write to the data bumps the data version read by the page cache.
        from equisante.portal.caching import watch_writes

        connection_created.connect(watch_writes, dispatch_uid="equisante-data-version")
