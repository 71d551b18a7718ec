"""Who may start which job (the page checks again what each job touches)."""

from __future__ import annotations

from equisante.contracts import permissions

#: Django permission of the observatory analysts: import indicators and territories from the site.
IMPORT_DATA = "jobs.import_data"


def can_import_data(user) -> bool:
    """Import indicators (catalogue, values) and territories: regional administrators and analysts."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return permissions.is_regional_admin(user) or user.has_perm(IMPORT_DATA)


def import_formats(user) -> list[str]:
    """The import formats ``user`` may use from the site."""
    out = []
    if can_import_data(user):
        out += ["catalogue", "valeurs", "territoires", "cog"]
    if user is not None and user.is_authenticated and permissions.can_import(user):
        out.append("fiches")
    return out


def can_see_job(user, job) -> bool:
    return user.is_authenticated and (job.owner_id == user.pk or user.is_superuser)
