"""Context shared by every page: the site identity read by the DSFR templates and the navigation."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from equisante import __version__

#: Main navigation: (label, url name). Areas add their entry here when they ship a page.
NAVIGATION = [
    (_("Accueil"), "portal:home"),
    (_("Territoires"), "territories:list"),
    (_("Indicateurs"), "indicators:list"),
    (_("Priorisation"), "prioritisation:index"),
    (_("Contrats"), "contracts:list"),
    (_("Grille d'analyse"), "contracts:grid"),
    (_("Profils ISTS"), "profiles:overview"),
    (_("Bilans annuels"), "followup:rollup"),
    (_("Base des actions"), "followup:actions"),
    (_("Appels à projets"), "calls:list"),
    (_("Allocation"), "allocation:index"),
]


def site(request):
    items = []
    for label, name in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"label": label, "url": url, "current": current})
    # Only the most specific entry is current (/contrats/grille/ is under /contrats/).
    longest = max((item for item in items if item["current"]), key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["current"] = item is longest
    return {
        "SITE_CONFIG": {
            "site_title": "equisante",
            "site_tagline": _("Observer, planifier et évaluer la réduction des inégalités de santé"),
            "footer_description": _(
                "equisante est une plateforme libre pour les agences régionales de santé, les collectivités "
                "et les coordinations de contrats locaux de santé."
            ),
        },
        "NAVIGATION": items,
        "EQUISANTE_VERSION": __version__,
    }
