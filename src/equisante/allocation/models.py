"""Saved allocation scenarios and the register of grants actually handed out.

- :class:`Scenario` keeps the parameters of an allocation (resource, territories, need measure and
  gradient, bounds, unit, dated adjustments, optional outcome indicator for the check after the
  event); the allocation itself is recomputed from the store with :mod:`equisante.allocation.building`.
- :class:`Grant` is one amount handed out to a territory for a year, a programme and a funder, with
  its source (entered on the site, imported, a contract's funding line, a call for projects).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from equisante.territories.models import LEVEL_CHOICES, Territory

RESOURCE_CHOICES = [
    ("euros", _("euros")),
    ("doses", _("doses")),
    ("posts", _("postes")),
    ("hours", _("heures")),
]
#: Words for amounts of each resource (plural, for sentences and table headers).
RESOURCE_UNITS = {"euros": "€", "doses": "doses", "posts": "postes", "hours": "heures"}
WEIGHTING_CHOICES = [
    ("flat", _("Aucun : part égale par habitant")),
    ("gradient", _("Gradient par classe de défavorisation (quintiles de la mesure)")),
    ("proportional", _("Proportionnel à la mesure (plus élevée = plus de besoin)")),
    ("priority", _("Territoires prioritaires (règle d'éligibilité de l'indice) : poids fort, les autres poids faible")),
]
MEASURE_KIND_CHOICES = [("", _("aucune")), ("index", _("indice")), ("indicator", _("indicateur"))]
SOURCE_CHOICES = [
    ("entered", _("saisie sur le site")),
    ("import", _("import de fichier")),
    ("contract", _("ligne de financement d'un contrat")),
    ("call", _("appel à projets")),
    ("demo", _("démonstration")),
]


class Scenario(models.Model):
    """The parameters of an allocation, saved under a name."""

    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    resource = models.CharField(_("ressource"), max_length=10, choices=RESOURCE_CHOICES, default="euros")
    total = models.FloatField(_("total à répartir"))
    unit = models.FloatField(_("unité entière"), null=True, blank=True,
                             help_text=_("Par exemple 1 (un poste) ou 10 (une boîte de 10 doses) ; vide : montants continus."))
    level = models.CharField(_("niveau des territoires"), max_length=16, choices=LEVEL_CHOICES, default="commune")
    area = models.ForeignKey(Territory, verbose_name=_("dans le territoire"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    zone = models.ForeignKey(Territory, verbose_name=_("dans la zone"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    selection = models.JSONField(_("territoires choisis (codes)"), default=list, blank=True)
    population_year = models.PositiveSmallIntegerField(_("année de population"), null=True, blank=True)
    measure_kind = models.CharField(_("type de mesure du besoin"), max_length=10, choices=MEASURE_KIND_CHOICES,
                                    blank=True)
    measure = models.CharField(_("mesure du besoin (code)"), max_length=64, blank=True)
    measure_period = models.CharField(_("période de la mesure"), max_length=20, blank=True)
    weighting = models.CharField(_("pondération"), max_length=12, choices=WEIGHTING_CHOICES, default="flat")
    gradient_high = models.FloatField(_("poids de la classe la plus défavorisée"), default=1.5)
    gradient_low = models.FloatField(_("poids de la classe la moins défavorisée"), default=1.0)
    deprivation = models.CharField(_("indice de défavorisation pour les comparaisons"), max_length=64, blank=True)
    floor = models.FloatField(_("plancher par territoire"), null=True, blank=True)
    cap = models.FloatField(_("plafond par territoire"), null=True, blank=True)
    adjustments = models.JSONField(_("ajustements datés"), default=list, blank=True)
    applies_on = models.DateField(_("date d'application"), null=True, blank=True)
    outcome_indicator = models.CharField(_("indicateur de résultat (après coup)"), max_length=64, blank=True)
    outcome_period = models.CharField(_("période du résultat"), max_length=20, blank=True)
    fictional = models.BooleanField(_("fictif"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("scénario d'allocation")
        verbose_name_plural = _("scénarios d'allocation")
        ordering = ["-updated_at", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("allocation:scenario", args=[self.pk])


class Grant(models.Model):
    """An amount actually handed out to a territory (€)."""

    territory = models.ForeignKey(Territory, verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="grants")
    year = models.PositiveSmallIntegerField(_("année"))
    programme = models.CharField(_("programme"), max_length=200)
    funder = models.CharField(_("financeur"), max_length=200)
    amount = models.DecimalField(_("montant (€)"), max_digits=14, decimal_places=2)
    source = models.CharField(_("origine"), max_length=10, choices=SOURCE_CHOICES, default="entered")
    reference = models.CharField(_("référence de l'origine"), max_length=120, blank=True,
                                 help_text=_("Par exemple la ligne de financement ou la candidature d'origine : "
                                             "une même référence n'est enregistrée qu'une fois."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    fictional = models.BooleanField(_("fictif"), default=False)
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("subvention versée")
        verbose_name_plural = _("subventions versées")
        ordering = ["-year", "territory__name", "programme"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], condition=~models.Q(reference=""),
                                    name="grant_unique_reference"),
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.territory} {self.programme} {self.amount} €"
