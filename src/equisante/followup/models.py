"""Follow-up of the action sheets year by year, the annual review of a contract, and the search
index of the public database of actions.

- :class:`SheetIndicator` (label, kind, unit, source, baseline and target with their dates) and its
  :class:`IndicatorMeasure`\\ s (one value per period, a year);
- :class:`SheetProgress`: where a sheet stands in a year (state, percentage, dates);
- :class:`SheetFunding`: money of one funder for a sheet and a year (requested, granted, spent);
- :class:`LogicModel`: the optional logic model of a sheet (inputs → activities → outputs → outcomes);
- :class:`AnnualReview` (« bilan annuel ») of a contract and year, its workflow (brouillon → soumis →
  validé → archivé) and :class:`ReviewApproval`: each signatory's approval;
- :class:`ActionEntry`: one published action in the public database (folded, stemmed text and the
  facets), kept up to date by :mod:`equisante.followup.search`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from equisante.contracts.models import ActionSheet, Actor, Contract, Meeting
from equisante.followup.figures import INDICATOR_KINDS, PROGRESS_STATES

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class SheetIndicator(models.Model):
    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="followup_indicators")
    label = models.CharField(_("indicateur"), max_length=300)
    kind = models.CharField(_("type"), max_length=12, choices=list(INDICATOR_KINDS.items()), default="processus")
    unit = models.CharField(_("unité"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    baseline = models.FloatField(_("valeur initiale"), null=True, blank=True)
    baseline_date = models.DateField(_("date de la valeur initiale"), null=True, blank=True)
    target = models.FloatField(_("cible"), null=True, blank=True)
    target_date = models.DateField(_("échéance de la cible"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicateur de fiche-action")
        verbose_name_plural = _("indicateurs de fiche-action")
        ordering = ["sheet", "id"]

    def __str__(self) -> str:
        return self.label


class IndicatorMeasure(models.Model):
    indicator = models.ForeignKey(SheetIndicator, on_delete=models.CASCADE, related_name="measures")
    year = models.PositiveSmallIntegerField(_("année"), validators=YEAR_VALIDATORS)
    value = models.FloatField(_("valeur"))
    note = models.CharField(_("commentaire"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateur")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="measure_unique_year")]


class SheetProgress(models.Model):
    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="progress")
    year = models.PositiveSmallIntegerField(_("année"), validators=YEAR_VALIDATORS)
    state = models.CharField(_("état"), max_length=16, choices=list(PROGRESS_STATES.items()))
    percent = models.PositiveSmallIntegerField(_("avancement (%)"), null=True, blank=True,
                                               validators=[MaxValueValidator(100)])
    started_on = models.DateField(_("commencée le"), null=True, blank=True)
    ended_on = models.DateField(_("terminée le"), null=True, blank=True)
    note = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("avancement annuel")
        verbose_name_plural = _("avancements annuels")
        ordering = ["sheet", "year"]
        constraints = [models.UniqueConstraint(fields=["sheet", "year"], name="progress_unique_year")]


class SheetFunding(models.Model):
    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="funding_followup")
    funder = models.ForeignKey(Actor, verbose_name=_("financeur"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    funder_name = models.CharField(_("financeur (hors annuaire)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), validators=YEAR_VALIDATORS)
    requested = models.PositiveIntegerField(_("demandé (€)"), null=True, blank=True)
    granted = models.PositiveIntegerField(_("accordé (€)"), null=True, blank=True)
    spent = models.PositiveIntegerField(_("dépensé (€)"), null=True, blank=True)

    class Meta:
        verbose_name = _("financement annuel")
        verbose_name_plural = _("financements annuels")
        ordering = ["sheet", "year", "id"]

    @property
    def funder_label(self) -> str:
        return self.funder.name if self.funder_id else self.funder_name


class LogicModel(models.Model):
    sheet = models.OneToOneField(ActionSheet, on_delete=models.CASCADE, related_name="logic_model")
    inputs = models.TextField(_("ressources mobilisées"), blank=True)
    activities = models.TextField(_("activités"), blank=True)
    outputs = models.TextField(_("réalisations"), blank=True)
    outcomes = models.TextField(_("effets attendus"), blank=True)

    class Meta:
        verbose_name = _("modèle logique")
        verbose_name_plural = _("modèles logiques")

    @property
    def complete(self) -> bool:
        return all(x.strip() for x in (self.inputs, self.activities, self.outputs, self.outcomes))


class MeetingAttendance(models.Model):
    """Who came to a governance meeting: people present, among them residents or user representatives."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="attendance")
    attendees = models.PositiveSmallIntegerField(_("participants"), null=True, blank=True)
    residents = models.PositiveSmallIntegerField(_("dont habitants ou usagers"), null=True, blank=True)

    class Meta:
        verbose_name = _("présence à une réunion")
        verbose_name_plural = _("présences aux réunions")


REVIEW_DRAFT, REVIEW_SUBMITTED, REVIEW_VALIDATED, REVIEW_ARCHIVED = "brouillon", "soumis", "valide", "archive"
REVIEW_STATUSES = [
    (REVIEW_DRAFT, _("Brouillon")),
    (REVIEW_SUBMITTED, _("Soumis aux partenaires")),
    (REVIEW_VALIDATED, _("Validé par les partenaires")),
    (REVIEW_ARCHIVED, _("Archivé")),
]


class AnnualReview(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="annual_reviews")
    year = models.PositiveSmallIntegerField(_("année"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("état"), max_length=12, choices=REVIEW_STATUSES, default=REVIEW_DRAFT)
    summary = models.TextField(_("synthèse de l'année"), blank=True)
    participation = models.TextField(_("participation des habitants et des partenaires"), blank=True)
    axis_texts = models.JSONField(_("texte par axe"), default=dict, blank=True)
    snapshot = models.JSONField(_("chiffres figés"), default=dict, blank=True,
                                help_text=_("Les chiffres du bilan au moment de sa validation."))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("bilan annuel")
        verbose_name_plural = _("bilans annuels")
        ordering = ["contract", "-year"]
        constraints = [models.UniqueConstraint(fields=["contract", "year"], name="review_unique_year")]

    def __str__(self) -> str:
        return f"{self.contract.code} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("followup:review", args=[self.contract.code, self.year])

    @property
    def editable(self) -> bool:
        return self.status == REVIEW_DRAFT


class ReviewApproval(models.Model):
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="approvals")
    signatory = models.ForeignKey(Actor, verbose_name=_("signataire"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("le"), auto_now_add=True)
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("approbation")
        verbose_name_plural = _("approbations")
        ordering = ["review", "at"]
        constraints = [models.UniqueConstraint(fields=["review", "signatory"], name="approval_unique_signatory")]


class ActionEntry(models.Model):
    """A published action in the public database (rebuilt from its sheet when the sheet changes)."""

    sheet = models.OneToOneField(ActionSheet, on_delete=models.CASCADE, related_name="public_entry")
    sheet_updated_at = models.DateTimeField()
    contract_updated_at = models.DateTimeField()
    title = models.CharField(max_length=300)
    search_text = models.TextField(help_text="stems between spaces (equisante.followup.text)")
    folded_text = models.TextField(help_text="folded words, read by PostgreSQL full-text search")
    facets = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("action publiée")
        verbose_name_plural = _("actions publiées")
