"""The indicator catalogue and values per territory, period and stratum."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from equisante.indicators.states import POLARITY_LABELS, STATE_LABELS, Polarity, State
from equisante.territories.models import Territory


class Indicator(models.Model):
    """One indicator of the catalogue: what it measures, where it comes from, its unit and direction.

    ``multiplier`` scales a ratio numerator/denominator into the published unit (100 for a percentage,
    100,000 for a rate per 100,000). ``levels`` lists the levels where values exist (comma-separated).
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label = models.CharField(_("libellé"), max_length=255)
    definition = models.TextField(_("définition"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    unit = models.CharField(_("unité"), max_length=64, blank=True)
    polarity = models.CharField(
        _("polarité"),
        max_length=16,
        choices=[(p.value, POLARITY_LABELS[p]) for p in Polarity],
        default=Polarity.ADVERSE,
    )
    multiplier = models.FloatField(_("multiplicateur"), default=1)
    numerator_label = models.CharField(_("numérateur"), max_length=255, blank=True)
    denominator_label = models.CharField(_("dénominateur"), max_length=255, blank=True)
    theme = models.CharField(_("thème"), max_length=120, blank=True)
    levels = models.CharField(_("niveaux disponibles"), max_length=120, blank=True)
    fictional = models.BooleanField(_("fictif"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    withholding_threshold = models.PositiveSmallIntegerField(
        _("seuil du secret statistique appliqué"), null=True, blank=True, editable=False,
        help_text=_("Seuil avec lequel les décisions de secret statistique des valeurs ont été prises."))
    withholding_updated_at = models.DateTimeField(_("secret statistique décidé le"), null=True, blank=True,
                                                  editable=False)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["theme", "label"]

    def __str__(self) -> str:
        return self.label

    @property
    def level_list(self) -> list[str]:
        return [lv for lv in self.levels.split(",") if lv]

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.code])


class Value(models.Model):
    """The value of an indicator for a territory, a period and a stratum (sex, age band).

    ``numerator`` and ``denominator`` are counts when known (they aggregate to parent levels);
    ``value`` is in the indicator's unit; ``lower`` / ``upper`` are 95 % confidence limits.
    An empty ``sex`` or ``age_band`` means all sexes or all ages.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="indicator_values")
    period = models.CharField(_("période"), max_length=20)
    sex = models.CharField(_("sexe"), max_length=1, blank=True, choices=[("", "Ensemble"), ("F", "Femmes"), ("H", "Hommes")])
    age_band = models.CharField(_("classe d'âge"), max_length=16, blank=True)
    numerator = models.FloatField(_("numérateur"), null=True, blank=True)
    denominator = models.FloatField(_("dénominateur"), null=True, blank=True)
    value = models.FloatField(_("valeur"), null=True, blank=True)
    lower = models.FloatField(_("borne inférieure"), null=True, blank=True)
    upper = models.FloatField(_("borne supérieure"), null=True, blank=True)
    state = models.CharField(
        _("état"), max_length=16, choices=[(s.value, STATE_LABELS[s]) for s in State], default=State.OK
    )
    #: The stored confidentiality decision over the indicator's whole published cube
    #: (:mod:`equisante.indicators.withholding`): "" published, ``primary`` withheld for itself,
    #: ``secondary`` withheld so that no published total gives a withheld count back.
    withheld = models.CharField(
        _("secret statistique"), max_length=10, blank=True, default="", db_default="", editable=False,
        choices=[("", _("publiée")), ("primary", _("secret primaire")), ("secondary", _("secret secondaire"))],
    )

    class Meta:
        verbose_name = _("valeur")
        verbose_name_plural = _("valeurs")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "territory", "period", "sex", "age_band"], name="value_unique_stratum"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.territory.code} {self.period}"
