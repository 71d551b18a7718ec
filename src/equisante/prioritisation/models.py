"""Index definitions, computed index values and prioritisation rules, stored in the database.

- :class:`IndexDefinition` says which indicators of the store feed each input of an index
  (IDH-2, FDep, EDI or a user-defined composite), with the method's parameters and how values
  reach the levels above the base level (population-weighted mean, or computed directly).
- :class:`IndexResult` is one computation for one level and period: method, parameters actually
  used (bounds, loadings…), the periods of the input data, when it was computed; its
  :class:`IndexValue` rows hold one value per territory.
- :class:`PriorityRule` is a dated threshold rule ("IDH-2 < 0,52 depuis 2011") or a quantile
  classification; successive versions of one policy share a ``policy`` slug, and
  :class:`RuleException` lists the territories admitted despite the threshold, with the reason.

The thresholds are data, never code (DOMAIN §2.1): they are edited in the admin or with
``equisante indices rules``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from equisante.territories.models import LEVEL_CHOICES, Territory

METHOD_CHOICES = [
    ("idh2", _("IDH-2 (indice de développement humain, adaptation Île-de-France)")),
    ("fdep", _("FDep (indice de défavorisation, Rey et al. 2009)")),
    ("edi", _("EDI, version française (Pornet et al. 2012)")),
    ("composite", _("Indice composite défini par l'utilisateur")),
]
AGGREGATION_CHOICES = [
    ("weighted_mean", _("Moyenne pondérée par la population des valeurs du niveau de base")),
    ("direct", _("Calcul direct à chaque niveau à partir de ses propres indicateurs")),
]
KIND_CHOICES = [
    ("threshold", _("Règle de seuil datée")),
    ("quantile", _("Classes de quantiles")),
]
OPERATOR_CHOICES = [("<", "<"), ("<=", "≤"), (">", ">"), (">=", "≥")]
QUANTILE_METHOD_CHOICES = [
    ("weighted", _("Pondérées par la population (≈ même population par classe)")),
    ("phe", _("Méthode PHE (≈ même nombre de territoires par classe)")),
]


class IndexDefinition(models.Model):
    """What an index is made of: its method, the indicator feeding each input, its parameters.

    ``inputs`` maps each input role of the method to an indicator code of the catalogue, e.g.
    ``{"life_expectancy": "demo-esperance-vie", "diploma_share": …, "income": …}`` for IDH-2; for
    a composite it is a list of ``{"indicator", "direction", "weight"}``. ``parameters`` holds the
    method's options (``bounds``, ``log_income``, ``weights``, ``standardise``, ``reference``,
    ``normalisation``). ``higher_is_worse`` gives the direction of the index.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    method = models.CharField(_("méthode"), max_length=16, choices=METHOD_CHOICES)
    inputs = models.JSONField(_("indicateurs utilisés"), default=dict)
    parameters = models.JSONField(_("paramètres"), default=dict, blank=True)
    higher_is_worse = models.BooleanField(
        _("plus élevé = plus défavorisé"), default=False,
        help_text=_("Coché pour FDep et EDI ; décoché pour IDH-2 et les indices composites (plus élevé = mieux)."))
    base_level = models.CharField(_("niveau de base"), max_length=16, choices=LEVEL_CHOICES, default="commune")
    aggregation = models.CharField(_("niveaux supérieurs"), max_length=16, choices=AGGREGATION_CHOICES,
                                   default="weighted_mean")
    description = models.TextField(_("description"), blank=True)
    reference = models.TextField(_("référence"), blank=True)
    fictional = models.BooleanField(_("fictif"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("définition d'indice")
        verbose_name_plural = _("définitions d'indices")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class IndexResult(models.Model):
    """One computation of an index for one level and one reference period."""

    definition = models.ForeignKey(IndexDefinition, on_delete=models.CASCADE, related_name="results")
    level = models.CharField(_("niveau"), max_length=16, choices=LEVEL_CHOICES)
    period = models.CharField(_("période de référence"), max_length=20)
    input_periods = models.JSONField(_("périodes des données"), default=dict,
                                     help_text=_("Code d'indicateur → période des valeurs utilisées."))
    method = models.CharField(_("méthode"), max_length=255)
    parameters = models.JSONField(_("paramètres appliqués"), default=dict)
    aggregated_from = models.CharField(_("agrégé depuis le niveau"), max_length=16, blank=True)
    vintage = models.PositiveSmallIntegerField(_("millésime du COG"), null=True, blank=True)
    territories = models.PositiveIntegerField(_("territoires avec une valeur"), default=0)
    territories_missing = models.PositiveIntegerField(_("territoires sans valeur"), default=0)
    computed_at = models.DateTimeField(_("calculé le"))

    class Meta:
        verbose_name = _("résultat d'indice")
        verbose_name_plural = _("résultats d'indices")
        ordering = ["definition", "level", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "level", "period"], name="index_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.definition.code} {self.level} {self.period}"


class IndexValue(models.Model):
    """The value of an index for one territory; ``components`` holds sub-indices (IDH-2)."""

    result = models.ForeignKey(IndexResult, on_delete=models.CASCADE, related_name="values")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="index_values")
    value = models.FloatField(_("valeur"), null=True, blank=True)
    population = models.FloatField(_("population"), null=True, blank=True)
    components = models.JSONField(_("composantes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("valeur d'indice")
        verbose_name_plural = _("valeurs d'indices")
        constraints = [models.UniqueConstraint(fields=["result", "territory"], name="index_value_unique")]

    def __str__(self) -> str:
        return f"{self.result} {self.territory.code}"


class PriorityRule(models.Model):
    """A prioritisation rule on one index: a dated threshold, or quantile classes.

    Successive versions of a threshold rule share ``policy`` (e.g. ``cls-idh2``): the version in
    force on a date is found with :func:`equisante.indices.rule_in_force`. ``eligibility`` marks
    rules that decide eligibility for a local health contract (CLS). ``primary`` marks the rule
    used by default for the index (page default, territory portraits).
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    policy = models.SlugField(_("politique"), max_length=64,
                              help_text=_("Identifiant commun aux versions successives d'une même règle."))
    index = models.ForeignKey(IndexDefinition, verbose_name=_("indice"), on_delete=models.CASCADE,
                              related_name="rules")
    kind = models.CharField(_("type"), max_length=16, choices=KIND_CHOICES, default="threshold")
    operator = models.CharField(_("opérateur"), max_length=2, choices=OPERATOR_CHOICES, blank=True)
    threshold = models.FloatField(_("seuil"), null=True, blank=True)
    valid_from = models.DateField(_("en vigueur depuis le"), null=True, blank=True)
    valid_to = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)
    classes = models.PositiveSmallIntegerField(_("nombre de classes"), null=True, blank=True)
    quantile_method = models.CharField(_("méthode des quantiles"), max_length=16,
                                       choices=QUANTILE_METHOD_CHOICES, blank=True)
    level = models.CharField(
        _("niveau des territoires"), max_length=16, choices=LEVEL_CHOICES, blank=True,
        help_text=_("Niveau auquel un seuil s'applique (par exemple les communes) ; vide : le niveau de base de "
                    "l'indice. Aux autres niveaux, la règle de seuil est dite non applicable."))
    eligibility = models.BooleanField(
        _("décide l'éligibilité à un CLS"), default=False,
        help_text=_("Les territoires qui remplissent la règle peuvent signer un contrat local de santé."))
    primary = models.BooleanField(_("règle de référence de l'indice"), default=False)
    source = models.CharField(_("source"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    fictional = models.BooleanField(_("fictif"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("règle de priorisation")
        verbose_name_plural = _("règles de priorisation")
        ordering = ["index", "policy", "valid_from", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def applies_to(self) -> str:
        """The level of the territories a threshold rule decides (its own, else the index's base level)."""
        return self.level or self.index.base_level


class RuleException(models.Model):
    """A territory admitted under a threshold rule although it does not meet the threshold."""

    rule = models.ForeignKey(PriorityRule, on_delete=models.CASCADE, related_name="exceptions")
    territory = models.ForeignKey(Territory, verbose_name=_("territoire"), on_delete=models.CASCADE,
                                  related_name="rule_exceptions")
    reason = models.CharField(_("motif"), max_length=255)
    valid_from = models.DateField(_("depuis le"), null=True, blank=True)
    valid_to = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("exception à une règle")
        verbose_name_plural = _("exceptions aux règles")
        ordering = ["rule", "territory__code"]
        constraints = [models.UniqueConstraint(fields=["rule", "territory"], name="rule_exception_unique")]

    def __str__(self) -> str:
        return f"{self.rule} : {self.territory}"
