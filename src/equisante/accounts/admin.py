"""The Django administration is kept for the technical team: retitled, without the design system's
configuration models (people and roles are managed on the site, under /compte/utilisateurs/)."""

from django.contrib import admin

admin.site.site_header = "equisante — administration technique"
admin.site.site_title = "equisante — administration technique"
admin.site.index_title = "Réservé à l'équipe technique : les comptes et les rôles se gèrent sur le site"

try:
    from dsfr.models import DsfrConfig

    admin.site.unregister(DsfrConfig)
except (ImportError, admin.sites.NotRegistered):  # pragma: no cover - depends on django-dsfr's version
    pass
