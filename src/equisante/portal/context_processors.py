"""Context shared by every page: the site identity read by the DSFR templates, the main menu
(:mod:`equisante.portal.navigation`, filtered by what the person may open) and the footer links."""

from django.db import DatabaseError
from django.utils.translation import gettext as _

from equisante import __version__


def site(request):
    from equisante.portal import navigation

    user = getattr(request, "user", None)
    try:
        menu = navigation.for_user(user, request.path)
    except DatabaseError:  # an error page while the database is down still gets the public menu
        menu = navigation.for_user(None, request.path)
    return {
        "SITE_CONFIG": {
            "site_title": "equisante",
            "site_tagline": _("Observer, planifier et évaluer la réduction des inégalités de santé"),
            "footer_description": _(
                "equisante est une plateforme libre pour les agences régionales de santé, les collectivités "
                "et les coordinations de contrats locaux de santé."
            ),
        },
        "NAVIGATION": menu,
        "FOOTER_LINKS": navigation.footer_links(),
        "EQUISANTE_VERSION": __version__,
    }
