"""Local health contracts (CLS), their governance and their action sheets coded on the analysis grid.

- :class:`Actor`: the directory of organisations (each with its sector) that sign, sit on
  committees, lead or take part in actions, or fund them.
- :class:`Contract`: perimeter (communes, EPCI, QPV), signatories, dates, generation, status, the
  diagnosis and the evaluation plan, ``published`` for the public.
- Governance: :class:`Committee` (steering, technical…), :class:`CommitteeMember`, :class:`Meeting`
  (date and minutes), :class:`CoordinatorPost` (FTE and funding).
- :class:`StrategicAxis` and :class:`ActionSheet` (« fiche-action »), with its :class:`FundingLine`\\ s
  and its coding: grid node ids (strings, checked against the grid version kept beside them).
- :class:`SuggestionRecord`: every automatic suggestion shown to a person, and the decision taken.
- :class:`ChangeRecord`: the history (who, when, through what, what: a field-level diff), written by
  :mod:`equisante.contracts.services` and :mod:`equisante.contracts.editing` (site, import, API, jobs)
  and by the administration (:mod:`equisante.contracts.admin`); it can be neither changed nor deleted.
- Deleting a contract, a sheet, an actor or a governance element is a soft delete (:class:`SoftDeletable`).
- :class:`RoleAssignment`: who may do what (see :mod:`equisante.contracts.permissions`).

Changes to contracts and sheets go through :mod:`equisante.contracts.services`, which keeps the
history and refuses stale edits (``ActionSheet.version``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from equisante.contracts import vocabulary as v
from equisante.immutable import ImmutableModel, refuse_cascade
from equisante.jobs.models import CHANNELS
from equisante.territories.models import Territory

#: A contract code: letters, digits and hyphens (it appears in addresses and files), e.g. CLS-X1-VAL.
code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Code invalide : lettres sans accent, chiffres, points, tirets ou soulignés, sans espace."),
)

#: Codes that would shadow the pages of /contrats/ and /contrats/<code>/fiches/.
RESERVED_CONTRACT_CODES = {"grille", "importer", "export", "nouveau", "acteurs", "corbeille"}
RESERVED_SHEET_CODES = {"nouvelle"}

def code_sort_key(code: str) -> tuple:
    """Sort key putting FA-1.2 before FA-1.10 (numbers compared as numbers)."""
    import re

    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", code or "") if part)


#: Grid version of new codings.
DEFAULT_GRID_VERSION = "v1"


class LiveManager(models.Manager):
    """The elements not deleted (the default everywhere: pages, exports, relations)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeletable(models.Model):
    """Deleting keeps the row (and its history): ``deleted_at``/``deleted_by`` say when and by whom, and
    an administrator can restore it from the site (:mod:`equisante.contracts.recycling`).
    ``objects`` holds the live rows, ``all_objects`` every row."""

    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True, db_index=True, editable=False)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("supprimé par"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    #: Fields unique among every row, deleted ones included: (field names, message when a deleted row holds them).
    DELETED_UNIQUE: tuple = ()

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude=exclude)
        for fields in self.DELETED_UNIQUE:
            if exclude and any(f in exclude for f in fields):
                continue
            lookup = {f"{name}_id" if self._meta.get_field(name).is_relation else name:
                      getattr(self, f"{name}_id" if self._meta.get_field(name).is_relation else name)
                      for name in fields}
            clash = type(self).all_objects.filter(deleted_at__isnull=False, **lookup).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({fields[-1]: _("Un élément supprimé porte déjà cette valeur : un "
                                                     "administrateur peut le restaurer depuis la corbeille, "
                                                     "sinon en choisir une autre.")})


class Actor(SoftDeletable):
    """An organisation of the directory (ARS, town, CPAM, association…) with its sector."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    sector = models.CharField(_("secteur"), max_length=40, choices=v.SECTOR_CHOICES)
    kind = models.CharField(_("type"), max_length=100, blank=True,
                            help_text=_("Par exemple : caisse d'assurance maladie, centre social, bailleur social."))
    departement = models.ForeignKey(Territory, verbose_name=_("département"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    limit_choices_to={"level": "departement"})
    description = models.TextField(_("description"), blank=True)
    fictional = models.BooleanField(_("fictif"), default=False)

    DELETED_UNIQUE = (("name",),)

    class Meta:
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_health(self) -> bool:
        return self.sector == "sante"


class Contract(SoftDeletable):
    """A local health contract (« contrat local de santé », CLS)."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator],
                            help_text=_("Identifiant court et stable, par exemple CLS-93-BOB."))
    name = models.CharField(_("nom"), max_length=200)
    departement = models.ForeignKey(Territory, verbose_name=_("département"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="contracts_in_departement",
                                    limit_choices_to={"level": "departement"})
    perimeter = models.ManyToManyField(Territory, verbose_name=_("périmètre"), blank=True,
                                       related_name="contracts",
                                       help_text=_("Communes, EPCI et quartiers prioritaires couverts."))
    signatories = models.ManyToManyField(Actor, verbose_name=_("signataires"), blank=True,
                                         related_name="signed_contracts")
    generation = models.CharField(_("génération"), max_length=20, choices=v.GENERATION_CHOICES, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=v.CONTRACT_STATUSES, default="preparation")
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    summary = models.TextField(_("présentation"), blank=True)
    # --- kind of local scheme and the fields proper to each kind (vocabulary.SCHEME_FIELDS) ---
    kind = models.CharField(_("type de dispositif"), max_length=20, choices=v.SCHEME_KINDS, default=v.SCHEME_CLS,
                            db_index=True)
    local_plan_title = models.CharField(_("plan local de santé publique (atelier santé ville)"), max_length=300,
                                        blank=True)
    local_plan_adopted_on = models.DateField(_("plan local de santé publique adopté le"), null=True, blank=True)
    psychiatry_sector = models.CharField(_("secteur de psychiatrie (contrat local de santé mentale)"),
                                         max_length=200, blank=True)
    city_contract = models.CharField(_("contrat de ville de rattachement (volet santé)"), max_length=200, blank=True)
    agreement_subject = models.CharField(_("objet de la convention de partenariat"), max_length=300, blank=True)
    # --- reduction of social and territorial inequalities in health (ISTS) ---
    ists_objective = models.BooleanField(
        _("réduction des ISTS affichée comme objectif"), null=True, blank=True,
        help_text=_("Le contrat affiche-t-il la réduction des inégalités sociales et territoriales de santé "
                    "comme objectif général ? Vide : non renseigné."))
    ists_objective_text = models.TextField(_("objectif de réduction des ISTS (texte du contrat)"), blank=True)
    # --- diagnosis ---
    diagnosis_summary = models.TextField(_("diagnostic local de santé"), blank=True)
    diagnosis_date = models.DateField(_("date du diagnostic"), null=True, blank=True)
    diagnosis_with_residents = models.BooleanField(_("habitants associés au diagnostic"), null=True, blank=True)
    diagnosis_covers_determinants = models.BooleanField(
        _("le diagnostic couvre les déterminants (logement, emploi, éducation, environnement)"),
        null=True, blank=True)
    diagnosis_public = models.BooleanField(_("diagnostic restitué publiquement"), null=True, blank=True)
    # --- intersectoral commitments ---
    shared_responsibility_stated = models.BooleanField(
        _("responsabilité partagée de la santé affirmée"), null=True, blank=True,
        help_text=_("Le contrat affirme que les secteurs hors santé partagent la responsabilité de la santé."))
    other_ars_directions = models.BooleanField(_("autres directions de l'ARS associées"), null=True, blank=True)
    regional_plans_articulated = models.BooleanField(
        _("articulation avec les plans régionaux et le contrat de ville"), null=True, blank=True)
    project_team_pluridisciplinary = models.BooleanField(_("équipe projet pluridisciplinaire"), null=True, blank=True)
    # --- evaluation ---
    evaluation_plan = models.BooleanField(_("évaluation prévue"), null=True, blank=True,
                                          help_text=_("Un plan d'évaluation existe (indicateurs, résultats "
                                                      "intermédiaires, qui évalue)."))
    evaluation_note = models.TextField(_("modalités d'évaluation"), blank=True)
    methodological_support = models.BooleanField(_("appui méthodologique ou de recherche"), null=True, blank=True)
    published = models.BooleanField(_("publié"), default=False,
                                    help_text=_("Visible par le public (sans connexion)."))
    fictional = models.BooleanField(_("fictif"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    DELETED_UNIQUE = (("code",),)

    class Meta:
        verbose_name = _("contrat local de santé")
        verbose_name_plural = _("contrats locaux de santé")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.code])

    @property
    def departement_code(self) -> str:
        return self.departement.code if self.departement_id else ""

    def clean(self):
        if self.code and self.code.lower() in RESERVED_CONTRACT_CODES:
            raise ValidationError({"code": _("Ce code est réservé aux pages du site : en choisir un autre.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin précède le début.")})
        if self.departement_id and self.departement.level != "departement":
            raise ValidationError({"departement": _("Choisir un territoire de niveau département.")})


class Committee(SoftDeletable):
    """A governance body of a contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="committees")
    kind = models.CharField(_("type"), max_length=20, choices=v.COMMITTEE_KINDS)
    name = models.CharField(_("intitulé"), max_length=200, blank=True)
    chair = models.CharField(_("présidence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("instance de gouvernance")
        verbose_name_plural = _("instances de gouvernance")
        ordering = ["contract", "kind", "name"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class CommitteeMember(SoftDeletable):
    """A member of a committee: an actor of the directory, or a person (resident, user representative)."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    actor = models.ForeignKey(Actor, verbose_name=_("acteur"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="committee_seats")
    person = models.CharField(_("personne ou fonction"), max_length=200, blank=True)
    role = models.CharField(_("rôle"), max_length=100, blank=True)
    resident = models.BooleanField(_("habitant ou représentant des usagers"), default=False)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["committee", "id"]

    def __str__(self) -> str:
        return " — ".join(x for x in (str(self.actor or ""), self.person) if x) or "?"

    def clean(self):
        if not self.actor_id and not self.person:
            raise ValidationError(_("Indiquer un acteur de l'annuaire ou une personne."))


class Meeting(SoftDeletable):
    """A meeting of a committee, with its minutes."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    agenda = models.CharField(_("ordre du jour"), max_length=300, blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.committee} — {self.date:%d/%m/%Y}"


class CoordinatorPost(SoftDeletable):
    """The coordination post of a contract: full-time equivalents and how it is funded (€ per year)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="coordinator_posts")
    holder = models.CharField(_("titulaire"), max_length=200, blank=True)
    employer = models.ForeignKey(Actor, verbose_name=_("employeur"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    fte = models.DecimalField(_("équivalent temps plein"), max_digits=4, decimal_places=2,
                              validators=[MinValueValidator(0)])
    annual_cost = models.PositiveIntegerField(_("coût annuel (€)"), null=True, blank=True)
    ars_funding = models.PositiveIntegerField(_("financement ARS (€ par an)"), null=True, blank=True)
    other_funding = models.CharField(_("autres financements"), max_length=300, blank=True)
    since = models.DateField(_("depuis"), null=True, blank=True)

    class Meta:
        verbose_name = _("poste de coordination")
        verbose_name_plural = _("postes de coordination")

    def __str__(self) -> str:
        return f"{self.holder or _('Coordination')} ({self.fte} ETP)"


class StrategicAxis(SoftDeletable):
    """A strategic axis of a contract; action sheets hang from it."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="axes")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("axe stratégique")
        verbose_name_plural = _("axes stratégiques")
        ordering = ["contract", "number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="axis_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ActionSheet(SoftDeletable):
    """An action sheet (« fiche-action ») of a contract and its coding on the analysis grid.

    The coding stores grid node ids (``D2.3.1``, ``S4.1.5``), approach and theme ids as they are in
    grid version ``grid_version``; :meth:`clean` checks them. ``version`` grows by one at each save
    (optimistic locking: an edit based on an older version is refused)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="sheets")
    axis = models.ForeignKey(StrategicAxis, verbose_name=_("axe stratégique"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="sheets")
    code = models.CharField(_("code"), max_length=40, validators=[code_validator],
                            help_text=_("Unique dans le contrat, par exemple FA-2.3."))
    title = models.CharField(_("intitulé"), max_length=300)
    objectives = models.TextField(_("objectifs"), blank=True)
    quantified_targets = models.TextField(_("cibles chiffrées"), blank=True,
                                          help_text=_("Objectifs chiffrés (valeur de départ, cible, échéance)."))
    description = models.TextField(_("description"), blank=True)
    publics = models.JSONField(_("publics visés"), default=list, blank=True)
    territories = models.ManyToManyField(Territory, verbose_name=_("territoires de l'action"), blank=True,
                                         related_name="action_sheets")
    lead = models.ForeignKey(Actor, verbose_name=_("porteur"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="led_sheets")
    partners = models.ManyToManyField(Actor, verbose_name=_("partenaires"), blank=True, related_name="partner_sheets")
    other_partners = models.JSONField(_("autres partenaires (hors annuaire)"), default=list, blank=True)
    budget = models.PositiveIntegerField(_("budget total (€)"), null=True, blank=True)
    indicators = models.TextField(_("indicateurs de suivi"), blank=True, help_text=_("Un indicateur par ligne."))
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("état d'avancement"), max_length=20, choices=v.SHEET_STATUSES, default="prevue")
    ists_contribution = models.BooleanField(_("contribution à la réduction des ISTS explicitée"), null=True, blank=True)
    resident_participation = models.BooleanField(_("participation des habitants ou usagers"), null=True, blank=True)
    evaluation_planned = models.BooleanField(_("évaluation prévue"), null=True, blank=True)
    # --- coding on the grid ---
    determinants = models.JSONField(_("déterminants"), default=list, blank=True)
    strategies = models.JSONField(_("stratégies"), default=list, blank=True)
    approach = models.CharField(_("type d'approche"), max_length=40, blank=True)
    themes = models.JSONField(_("thématiques de santé"), default=list, blank=True)
    partner_sectors = models.JSONField(_("secteurs partenaires"), default=list, blank=True)
    coding_note = models.TextField(_("note sur le codage"), blank=True,
                                   help_text=_("Sur quoi s'appuie le codage : passages de la fiche, doutes."))
    grid_version = models.CharField(_("version de la grille"), max_length=10, default=DEFAULT_GRID_VERSION)
    coding_source = models.CharField(_("origine du codage"), max_length=10, choices=v.CODING_SOURCES, blank=True)
    coding_validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("codage validé par"), null=True,
                                            blank=True, on_delete=models.SET_NULL, related_name="+")
    coding_validated_at = models.DateTimeField(_("codage validé le"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    DELETED_UNIQUE = (("contract", "code"),)

    class Meta:
        verbose_name = _("fiche-action")
        verbose_name_plural = _("fiches-action")
        ordering = ["contract", "code"]
        constraints = [models.UniqueConstraint(fields=["contract", "code"], name="sheet_unique_code_per_contract")]
        indexes = [models.Index(fields=["coding_validated_at"])]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:sheet", args=[self.contract.code, self.code])

    @property
    def is_coded(self) -> bool:
        return bool(self.determinants or self.strategies or self.approach or self.themes)

    @property
    def coding_validated(self) -> bool:
        return self.coding_validated_at is not None

    def coding_text(self) -> str:
        """The text the suggestions read: title, objectives and description."""
        return "\n".join(part for part in (self.title, self.objectives, self.description) if part and part.strip())

    def clean(self):
        from equisante.contracts.coding import coding_problems

        problems = coding_problems(self.grid_version, determinants=self.determinants, strategies=self.strategies,
                                   approach=self.approach, themes=self.themes, partner_sectors=self.partner_sectors)
        if problems:
            raise ValidationError(problems)
        if self.code and self.code.lower() in RESERVED_SHEET_CODES:
            raise ValidationError({"code": _("Ce code est réservé aux pages du site : en choisir un autre.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin précède le début.")})
        if self.axis_id and self.contract_id and self.axis.contract_id != self.contract_id:
            raise ValidationError({"axis": _("Cet axe appartient à un autre contrat.")})


class FundingLine(models.Model):
    """One funder of an action sheet: who, how much (€), for which year, secured or requested."""

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="funding_lines")
    funder = models.ForeignKey(Actor, verbose_name=_("financeur"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="funded_lines")
    funder_name = models.CharField(_("financeur (hors annuaire)"), max_length=200, blank=True)
    amount = models.PositiveIntegerField(_("montant (€)"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    secured = models.BooleanField(_("acquis"), default=False, help_text=_("Acquis, ou seulement demandé."))

    class Meta:
        verbose_name = _("ligne de financement")
        verbose_name_plural = _("lignes de financement")
        ordering = ["sheet", "year", "id"]

    def __str__(self) -> str:
        return f"{self.funder or self.funder_name} {self.amount or ''} €"

    @property
    def funder_label(self) -> str:
        return self.funder.name if self.funder_id else self.funder_name


class SuggestionRecord(models.Model):
    """An automatic coding suggestion shown to a person for a sheet, and what they decided.

    A suggestion is never applied by itself: it stays « en attente » until a person accepts or
    rejects it; accepting puts the code in the coding form, which the person still has to save."""

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="suggestions")
    family = models.CharField(_("famille"), max_length=20, choices=list(v.CODING_FAMILIES.items()))
    node_id = models.CharField(_("code proposé"), max_length=40)
    score = models.FloatField(_("score"), help_text=_("Probabilité calibrée, de 0 à 1."))
    evidence = models.TextField(_("indices"), blank=True)
    evidence_data = models.JSONField(_("indices (détail)"), default=dict, blank=True)
    grid_version = models.CharField(_("version de la grille"), max_length=10)
    text_hash = models.CharField(_("empreinte du texte"), max_length=64, db_index=True)
    rank = models.PositiveSmallIntegerField(_("rang"), default=1)
    shown_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    shown_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    decision = models.CharField(_("décision"), max_length=12, choices=v.DECISIONS, default="en-attente")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion de codage")
        verbose_name_plural = _("suggestions de codage")
        ordering = ["sheet", "family", "rank"]

    def __str__(self) -> str:
        return f"{self.node_id} ({self.score:.2f}) — {self.get_decision_display()}"


class ChangeRecord(ImmutableModel):
    """One change of a contract or of one of its sheets: who, when, what (field-level diff).

    ``changes`` is a list of ``{"field", "label", "before", "after"}`` with values written as text.
    ``version`` is the sheet's version after the change (0 for changes of the contract itself)."""

    ACTIONS = [
        ("creation", _("création")),
        ("modification", _("modification")),
        ("codage", _("codage")),
        ("validation", _("validation du codage")),
        ("import", _("import")),
        ("suppression", _("suppression")),
        ("suggestion", _("décision sur une suggestion")),
        ("restauration", _("restauration")),
    ]

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="changes")
    sheet = models.ForeignKey(ActionSheet, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    object_label = models.CharField(_("objet"), max_length=300)
    action = models.CharField(_("action"), max_length=20, choices=ACTIONS)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    changes = models.JSONField(_("modifications"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    channel = models.CharField(_("par quel moyen"), max_length=12, choices=CHANNELS, default="site")

    class Meta:
        verbose_name = _("modification")
        verbose_name_plural = _("historique des modifications")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.object_label}"

    @property
    def user_label(self) -> str:
        if self.user_id is None:
            return str(_("système"))
        full = self.user.get_full_name()
        return f"{full} ({self.user.get_username()})" if full else self.user.get_username()


class RoleAssignment(models.Model):
    """A role held by a person: regional administrator (no scope), départemental referent (one
    département), coordinator or partner (one contract). The public needs no assignment."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contract_roles")
    role = models.CharField(_("rôle"), max_length=30, choices=v.ROLES)
    departement = models.ForeignKey(Territory, verbose_name=_("département"), null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="+",
                                    limit_choices_to={"level": "departement"})
    contract = models.ForeignKey(Contract, verbose_name=_("contrat"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="roles")

    class Meta:
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "departement", "contract"], name="role_unique"),
        ]

    def __str__(self) -> str:
        scope = self.contract or self.departement or ""
        return f"{self.user} : {self.get_role_display()} {scope}".strip()

    def clean(self):
        if self.role == v.DEPARTMENTAL_REFERENT and not self.departement_id:
            raise ValidationError({"departement": _("Un référent départemental a un département.")})
        if self.role in (v.COORDINATOR, v.PARTNER) and not self.contract_id:
            raise ValidationError({"contract": _("Ce rôle porte sur un contrat : le choisir.")})
        if self.role == v.REGIONAL_ADMIN and (self.contract_id or self.departement_id):
            raise ValidationError(_("L'administrateur régional n'a ni contrat ni département."))


class TextVector(models.Model):
    """The embedding of a text read by the suggestions, kept so that each validated sheet is embedded
    once and not again in every new process (``key``: :func:`equisante.grid.embeddings.text_key`;
    ``model``: the embedding model it was computed with; ``vector``: float32 bytes)."""

    key = models.CharField(max_length=40)
    model = models.CharField(max_length=100)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vecteur de texte")
        verbose_name_plural = _("vecteurs de texte")
        constraints = [models.UniqueConstraint(fields=["key", "model"], name="text_vector_unique")]


# History rows never leave with what they describe (deleting a contract is a soft delete): a cascade
# that would take them is refused, except while replacing the demonstration data or restoring a backup.
models.signals.pre_delete.connect(refuse_cascade, sender=ChangeRecord, dispatch_uid="history_refuse_cascade")
