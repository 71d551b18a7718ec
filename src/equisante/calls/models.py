"""Calls for projects (AAP) and for expressions of interest (AMI): the call, its funders, criteria and
coverage wishes; the applications and their territories; the instruction (assignments, conflicts of
interest, scores); the committee's selection and the decisions; the history of every change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from equisante.calls import vocabulary as v
from equisante.territories.models import Territory


class Call(models.Model):
    """One call: AAP or AMI, its calendar, eligibility rules and coverage wishes."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("intitulé"), max_length=250)
    kind = models.CharField(_("type d'appel"), max_length=3, choices=v.CALL_KINDS, default="aap")
    description = models.TextField(_("objet de l'appel"), blank=True)
    state = models.CharField(_("état"), max_length=12, choices=v.CALL_STATES, default=v.DRAFTED)
    # calendar
    opens_on = models.DateField(_("ouverture"), null=True, blank=True)
    closes_on = models.DateField(_("clôture des candidatures"), null=True, blank=True)
    instruction_until = models.DateField(_("fin de l'instruction"), null=True, blank=True)
    committee_on = models.DateField(_("comité de sélection"), null=True, blank=True)
    notification_on = models.DateField(_("notification"), null=True, blank=True)
    # eligibility
    eligible_territories = models.ManyToManyField(
        Territory, verbose_name=_("territoires éligibles"), blank=True, related_name="+",
        help_text=_("Vide : toute la région. Une commune est éligible quand son département est listé."))
    eligible_promoter_kinds = models.JSONField(_("types de porteurs éligibles"), default=list, blank=True)
    min_amount = models.DecimalField(_("montant plancher (€)"), max_digits=12, decimal_places=2,
                                     null=True, blank=True)
    max_amount = models.DecimalField(_("montant plafond (€)"), max_digits=12, decimal_places=2,
                                     null=True, blank=True)
    # coverage wishes
    cover_by = models.CharField(_("couverture par"), max_length=20, choices=v.COVER_CHOICES, blank=True)
    min_per_group = models.PositiveSmallIntegerField(_("projets retenus au moins par groupe"), default=0)
    reserved_for = models.CharField(_("part réservée à"), max_length=20, choices=v.RESERVED_CHOICES, blank=True)
    reserved_share = models.FloatField(_("part réservée de l'enveloppe (%)"), default=0.0)
    fictional = models.BooleanField(_("fictif"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        ordering = ["-opens_on", "code"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", args=[self.code])

    @property
    def envelope(self) -> float:
        return float(sum(f.envelope for f in self.funders.all()))

    @property
    def accepts_applications(self) -> bool:
        return self.state == v.OPENED


class Funder(models.Model):
    """A funder of the call and its envelope (ARS, DREETS, CAF, DRAC…)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="funders")
    name = models.CharField(_("financeur"), max_length=200)
    envelope = models.DecimalField(_("enveloppe (€)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("financeur")
        verbose_name_plural = _("financeurs")
        ordering = ["call", "-envelope", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.envelope} €)"


class Criterion(models.Model):
    """A weighted criterion with its French wording and scale (0 to ``scale_max``)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("ordre"), default=1)
    label = models.CharField(_("critère"), max_length=250)
    guidance = models.TextField(_("ce qui est attendu"), blank=True)
    weight = models.FloatField(_("pondération"), default=1.0)
    scale_max = models.PositiveSmallIntegerField(_("note maximale"), default=5)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["call", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class Application(models.Model):
    """An application to a call, tied to its territories."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    reference = models.CharField(_("référence"), max_length=40)
    title = models.CharField(_("intitulé du projet"), max_length=250)
    promoter = models.CharField(_("porteur"), max_length=200)
    promoter_kind = models.CharField(_("type de porteur"), max_length=40, choices=v.PROMOTER_KIND_CHOICES)
    summary = models.TextField(_("résumé du projet"), blank=True)
    requested = models.DecimalField(_("montant demandé (€)"), max_digits=12, decimal_places=2)
    total_cost = models.DecimalField(_("coût total (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    territories = models.ManyToManyField(Territory, verbose_name=_("territoires"), related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    source = models.CharField(_("origine"), max_length=20, default="site")
    # selection
    proposed = models.BooleanField(_("proposé par l'optimisation"), null=True, blank=True)
    override = models.BooleanField(_("choix du comité"), null=True, blank=True,
                                   help_text=_("Vide : la proposition est suivie."))
    override_reason = models.TextField(_("motif du choix du comité"), blank=True)
    # decision
    decision = models.CharField(_("décision"), max_length=30, choices=v.DECISIONS, blank=True)
    decision_reason = models.TextField(_("motivation"), blank=True)
    granted = models.DecimalField(_("montant attribué (€)"), max_digits=12, decimal_places=2, null=True,
                                  blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    funding_sheet = models.ForeignKey("contracts.ActionSheet", verbose_name=_("fiche-action financée"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="call_applications")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["call", "reference"]
        constraints = [models.UniqueConstraint(fields=["call", "reference"], name="call_application_unique")]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("calls:application", args=[self.call.code, self.reference])

    @property
    def in_selection(self) -> bool:
        """Retained in the committee's current choice (its override, else the proposal)."""
        return bool(self.override if self.override is not None else self.proposed)


class Assignment(models.Model):
    """A reviewer assigned to an application; the declaration of a conflict of interest and the opinion."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_assignments")
    organisation = models.CharField(_("organisme"), max_length=100, blank=True)
    conflict = models.BooleanField(_("conflit d'intérêts déclaré"), default=False)
    conflict_statement = models.TextField(_("déclaration"), blank=True)
    declared_at = models.DateTimeField(_("déclaré le"), null=True, blank=True)
    opinion = models.TextField(_("avis motivé"), blank=True)
    submitted_at = models.DateTimeField(_("avis rendu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["application", "reviewer__username"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="call_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.application.reference} : {self.reviewer}"


class Score(models.Model):
    """A reviewer's score on one criterion."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("note"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="call_score_unique")]


class Event(models.Model):
    """The history: every change of a call and of its applications (who, when, what)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="events")
    at = models.DateTimeField(_("date"), auto_now_add=True)
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    action = models.CharField(_("action"), max_length=40)
    detail = models.TextField(_("détail"), blank=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("historique")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        return str(v.EVENT_ACTIONS.get(self.action, self.action))
