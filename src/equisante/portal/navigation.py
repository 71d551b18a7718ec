"""The site's map: every area grouped as the main menu shows it, with who may open each entry.

One structure feeds the header menu (DSFR navigation with sub-menus), the home page's tiles and the
« Plan du site » page, so that a new page is added once and appears everywhere. An entry is shown
only to the people who can open it (:func:`for_user`): a visitor sees no link that would answer
« connexion requise » or « accès refusé »."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


def everyone(user) -> bool:
    return True


def logged_in(user) -> bool:
    return user is not None and user.is_authenticated


def regional_admin(user) -> bool:
    from equisante.contracts.permissions import is_regional_admin

    return is_regional_admin(user)


def may_import(user) -> bool:
    from equisante.jobs.access import import_formats

    return logged_in(user) and bool(import_formats(user))


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    description: str = ""
    allowed: Callable = everyone


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    description: str
    entries: tuple[Entry, ...] = field(default_factory=tuple)


#: The areas of the site, in menu order.
GROUPS: tuple[Group, ...] = (
    Group("observer", _("Observer"), _("Territoires, indicateurs et diagnostics partagés."), (
        Entry(_("Territoires"), "territories:list",
              _("Régions, départements, EPCI, communes, IRIS, quartiers prioritaires et zones.")),
        Entry(_("Indicateurs"), "indicators:list",
              _("Le catalogue, les cartes et les valeurs avec leur intervalle de confiance.")),
        Entry(_("Portraits de territoire"), "portraits:index",
              _("Le diagnostic partagé d’une commune, d’un EPCI ou du périmètre d’un contrat.")),
        Entry(_("Priorisation"), "prioritisation:index",
              _("Indices de défavorisation, classes de priorité et éligibilité aux contrats.")),
    )),
    Group("contrats", _("Contrats"), _("Contrats locaux de santé, fiches-action et suivi."), (
        Entry(_("Contrats locaux de santé"), "contracts:list",
              _("Le registre des contrats, leur gouvernance, leurs axes et leurs fiches-action.")),
        Entry(_("Annuaire des acteurs"), "contracts:actors",
              _("Les porteurs, partenaires et financeurs des contrats."), logged_in),
        Entry(_("Grille d’analyse"), "contracts:grid",
              _("La grille sur laquelle chaque fiche-action est codée.")),
        Entry(_("Profils ISTS"), "profiles:overview",
              _("L’équilibre des stratégies et les préconisations, pour un ou plusieurs contrats.")),
        Entry(_("Bilans annuels"), "followup:rollup", _("L’état des bilans annuels des contrats.")),
        Entry(_("Dispositifs"), "followup:schemes",
              _("Ateliers santé ville, contrats locaux de santé mentale, volets santé des contrats de ville.")),
    )),
    Group("financer", _("Financer"), _("Appels à projets, allocation et subventions."), (
        Entry(_("Appels à projets"), "calls:list",
              _("Appels à projets et à manifestation d’intérêt, candidatures et sélection.")),
        Entry(_("Allocation des ressources"), "allocation:index",
              _("Répartir un budget selon l’universalisme proportionné."), logged_in),
        Entry(_("Subventions versées"), "allocation:grants",
              _("Le registre des subventions et leur répartition."), logged_in),
    )),
    Group("publier", _("Données publiques"), _("Actions publiées, données ouvertes et API."), (
        Entry(_("Base des actions"), "followup:actions",
              _("Les fiches-action des contrats publiés, à rechercher sans compte.")),
        Entry(_("Données ouvertes"), "opendata:catalogue",
              _("Les jeux de données en CSV, XLSX, GeoJSON et Parquet (Licence Ouverte 2.0).")),
        Entry(_("API"), "api_docs", _("La documentation de l’API HTTP.")),
    )),
    Group("espace", _("Mon espace"), _("Votre tableau de bord, vos travaux et l’administration."), (
        Entry(_("Tableau de bord"), "portal:dashboard", _("Ce qui vous attend, selon vos rôles."), logged_in),
        Entry(_("Mes travaux"), "jobs:list", _("Rapports, imports et calculs lancés en arrière-plan."), logged_in),
        Entry(_("Importer des données"), "jobs:import", _("Indicateurs, territoires et fiches-action."),
              may_import),
        Entry(_("Mon compte"), "accounts:me", _("Mot de passe, rôles et jetons d’accès à l’API."), logged_in),
        Entry(_("Comptes et rôles"), "accounts:users", _("Inviter, donner des rôles, désactiver."),
              regional_admin),
        Entry(_("Corbeille"), "contracts:trash", _("Restaurer un contrat, une fiche ou un acteur supprimé."),
              regional_admin),
    )),
)

#: Pages of the footer (and of the site map), open to everyone.
FOOTER: tuple[Entry, ...] = (
    Entry(_("Accessibilité : partiellement conforme"), "portal:accessibility"),
    Entry(_("Mentions légales"), "portal:legal"),
    Entry(_("Données personnelles"), "portal:personal_data"),
    Entry(_("Plan du site"), "portal:sitemap"),
    Entry(_("Contact"), "portal:contact"),
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def for_user(user, path: str = "") -> list[dict]:
    """The menu groups with the entries ``user`` may open (empty groups left out); the entry whose
    address is the longest prefix of ``path`` is current, and so is its group."""
    groups = []
    for group in GROUPS:
        entries = []
        for entry in group.entries:
            url = _url(entry.url_name)
            if url is None or not entry.allowed(user):
                continue
            entries.append({"label": entry.label, "url": url, "description": entry.description, "current": False})
        if entries:
            groups.append({"key": group.key, "label": group.label, "description": group.description,
                           "entries": entries, "current": False})
    candidates = [(entry, group) for group in groups for entry in group["entries"]
                  if path and (path == entry["url"] or path.startswith(entry["url"]))]
    if candidates:
        entry, group = max(candidates, key=lambda pair: len(pair[0]["url"]))
        entry["current"] = group["current"] = True
    return groups


def footer_links() -> list[dict]:
    return [{"label": entry.label, "url": url} for entry in FOOTER if (url := _url(entry.url_name))]
