"""Forms of the editing pages: a contract (with its territory and signatory pickers), a governance
element (committee, member, meeting, coordinator post), a strategic axis, an actor of the directory.

Every form carries, hidden, the edit token of the state it was built from (``version``, see
:mod:`equisante.contracts.editing`). Field checks answer in French under the field concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from dsfr.forms import DsfrBaseForm

from equisante.contracts import vocabulary as v
from equisante.contracts.forms import YES_NO, from_yes_no, to_yes_no
from equisante.contracts.models import (
    RESERVED_CONTRACT_CODES,
    Actor,
    Committee,
    Contract,
    StrategicAxis,
    code_validator,
)
from equisante.portal.search import Folded, fold_query
from equisante.territories.levels import LABELS, Level
from equisante.territories.models import Territory

#: Levels a contract's perimeter is made of.
PERIMETER_LEVELS = ("commune", "epci", "qpv")
#: Results shown by one search of a picker (the person narrows the search beyond that).
PICKER_LIMIT = 25


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def _text(label, rows=3, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _yes_no(label, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=YES_NO, required=False, **kwargs)


class EditForm(DsfrBaseForm):
    """A form carrying the edit token of what it shows (hidden field ``version``)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def add_model_errors(self, error) -> None:
        """A model ValidationError shown under the fields it names (elsewhere: above the form)."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                target = name if name in self.fields and name != "version" else None
                for item in errors:
                    self.add_error(target, item)
        else:
            self.add_error(None, error)


def posted_initial(form_class, data, *, skip=()) -> dict:
    """The posted values as ``initial`` of an unbound form: the input is shown again as typed, without
    the field errors a half-filled form would raise (after a search in a picker)."""
    initial = {}
    for name, item in form_class.base_fields.items():
        if name in skip:
            continue
        if isinstance(item, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            initial[name] = data.getlist(name)
        elif isinstance(item, forms.BooleanField):
            initial[name] = name in data
        else:
            initial[name] = data.get(name, "")
    return initial


# --- pickers --------------------------------------------------------------------------------------------

def search_territories(text: str, *, level: str = "", departement: Territory | None = None, exclude=(),
                       limit: int = PICKER_LIMIT) -> list[Territory]:
    """Communes, EPCI and QPV whose name contains ``text`` (accents and case ignored) or whose code
    starts with it; within ``departement`` when given; best matches first."""
    folded = fold_query(text)
    if not folded:
        return []
    levels = [level] if level in PERIMETER_LEVELS else list(PERIMETER_LEVELS)
    queryset = Territory.objects.filter(level__in=levels).exclude(pk__in=list(exclude)).select_related("parent")
    if departement is not None:
        # communes and EPCI hang from their département, QPV from their commune
        queryset = queryset.filter(Q(parent=departement) | Q(parent__parent=departement))
    code = text.strip().upper()
    queryset = queryset.annotate(folded_name=Folded("name")).filter(
        Q(folded_name__contains=folded) | Q(code__istartswith=code)).annotate(match=Case(
            When(code__iexact=code, then=Value(0)), When(folded_name=folded, then=Value(1)),
            When(folded_name__startswith=folded, then=Value(2)), default=Value(3), output_field=IntegerField()))
    return list(queryset.order_by("match", "level", "name", "code")[:limit])


def search_actors(text: str, *, sector: str = "", exclude=(), limit: int = PICKER_LIMIT) -> list[Actor]:
    """Actors of the directory whose name or type contains ``text`` (accents and case ignored)."""
    folded = fold_query(text)
    queryset = Actor.objects.exclude(pk__in=list(exclude))
    if sector:
        queryset = queryset.filter(sector=sector)
    if folded:
        queryset = queryset.annotate(folded_name=Folded("name"), folded_kind=Folded("kind")).filter(
            Q(folded_name__contains=folded) | Q(folded_kind__contains=folded))
    elif not sector:
        return []
    return list(queryset.order_by("name")[:limit])


def territory_label(territory: Territory) -> str:
    label = f"{territory.name} — {LABELS[Level(territory.level)]} {territory.code}"
    if territory.level == "qpv" and territory.parent_id:
        label += " " + _("(commune : %(name)s)") % {"name": territory.parent.name}
    return label


@dataclass
class Picker:
    """A multiple choice among many (territories, actors): the chosen items as ticked boxes, a search
    that adds unticked ones, all in the same form so that searching loses nothing typed."""

    name: str
    legend: str
    hint: str
    query_label: str
    button_label: str
    filter_name: str
    filter_label: str
    filter_options: list[tuple[str, str]]
    query: str = ""
    filter_value: str = ""
    searched: bool = False
    selected: list[tuple[str, str]] = field(default_factory=list)   # (pk, label), ticked
    found: list[tuple[str, str]] = field(default_factory=list)      # (pk, label), not ticked
    errors: list[str] = field(default_factory=list)

    @property
    def query_name(self) -> str:
        return f"{self.name}_q"

    @property
    def action(self) -> str:
        return f"search-{self.name}"


def _ids(values) -> list[int]:
    out = []
    for value in values or []:
        try:
            out.append(int(getattr(value, "pk", value)))
        except (TypeError, ValueError):
            continue
    return out


def build_pickers(form: "ContractForm", data=None, action: str = "") -> list[Picker]:
    """The perimeter and signatory pickers of ``form``; ``data``/``action``: the posted search, if any."""
    data = data or {}
    perimeter = Picker(
        name="perimeter", legend=_("Périmètre du contrat"),
        hint=_("Communes, EPCI et quartiers prioritaires (QPV) couverts. Décochez pour retirer ; cherchez pour "
               "ajouter."),
        query_label=_("Chercher une commune, un EPCI ou un QPV (nom ou code)"),
        button_label=_("Chercher dans les territoires"), filter_name="perimeter_level",
        filter_label=_("Niveau"),
        filter_options=[("", _("Communes, EPCI et QPV"))] + [(lv, LABELS[Level(lv)]) for lv in PERIMETER_LEVELS],
        query=data.get("perimeter_q", ""), filter_value=data.get("perimeter_level", ""))
    chosen = _ids(form["perimeter"].value())
    territories = {t.pk: t for t in Territory.objects.filter(pk__in=chosen).select_related("parent")}
    perimeter.selected = [(str(t.pk), territory_label(t))
                          for t in sorted(territories.values(), key=lambda t: (PERIMETER_LEVELS.index(t.level)
                                          if t.level in PERIMETER_LEVELS else 9, t.name))]
    if action == perimeter.action:
        perimeter.searched = True
        departement = form.chosen_departement()
        perimeter.found = [(str(t.pk), territory_label(t)) for t in search_territories(
            perimeter.query, level=perimeter.filter_value, departement=departement, exclude=chosen)]
        if not fold_query(perimeter.query):
            perimeter.errors.append(_("Écrire au moins une lettre ou un chiffre du nom ou du code à chercher."))
    perimeter.errors += [str(e) for e in form.errors.get("perimeter", [])] if form.is_bound else []

    signatories = Picker(
        name="signatories", legend=_("Signataires"),
        hint=_("Les organisations signataires, choisies dans l’annuaire des acteurs."),
        query_label=_("Chercher un acteur de l’annuaire (nom ou type)"),
        button_label=_("Chercher dans l’annuaire"), filter_name="signatories_sector", filter_label=_("Secteur"),
        filter_options=[("", _("Tous les secteurs"))] + [(k, str(label)) for k, label in v.SECTOR_CHOICES],
        query=data.get("signatories_q", ""), filter_value=data.get("signatories_sector", ""))
    chosen = _ids(form["signatories"].value())
    signatories.selected = [(str(a.pk), f"{a.name} — {a.get_sector_display()}")
                            for a in Actor.objects.filter(pk__in=chosen).order_by("name")]
    if action == signatories.action:
        signatories.searched = True
        signatories.found = [(str(a.pk), f"{a.name} — {a.get_sector_display()}") for a in search_actors(
            signatories.query, sector=signatories.filter_value, exclude=chosen)]
        if not fold_query(signatories.query) and not signatories.filter_value:
            signatories.errors.append(_("Écrire une partie du nom ou choisir un secteur."))
    signatories.errors += [str(e) for e in form.errors.get("signatories", [])] if form.is_bound else []
    return [perimeter, signatories]


# --- the contract ---------------------------------------------------------------------------------------

class ContractForm(EditForm):
    """Everything about a contract but its governance, axes and sheets (edited on their own)."""

    code = forms.CharField(label=_l("Code du contrat"), max_length=40, validators=[code_validator],
                           help_text=_l("Identifiant court et stable, dans les adresses et les fichiers : lettres "
                                        "sans accent, chiffres et tirets, par exemple CLS-01-VEY."))
    name = forms.CharField(label=_l("Nom du contrat"), max_length=200)
    departement = forms.ModelChoiceField(label=_l("Département"), queryset=Territory.objects.none(),
                                         empty_label=_l("— choisir un département —"))
    generation = forms.ChoiceField(label=_l("Génération"), required=False,
                                   choices=[("", _l("Non renseignée"))] + v.GENERATION_CHOICES)
    status = forms.ChoiceField(label=_l("Statut"), choices=v.CONTRACT_STATUSES)
    published = forms.BooleanField(label=_l("Publié : visible par le public, sans connexion"), required=False)
    summary = _text(_l("Présentation"), rows=3)
    kind = forms.ChoiceField(label=_l("Type de dispositif"), choices=v.SCHEME_KINDS, initial=v.SCHEME_CLS,
                             required=False)
    local_plan_title = forms.CharField(label=_l("Plan local de santé publique (atelier santé ville)"), max_length=300,
                                       required=False)
    local_plan_adopted_on = _date_field(_l("Plan local de santé publique adopté le"))
    psychiatry_sector = forms.CharField(label=_l("Secteur de psychiatrie (contrat local de santé mentale)"),
                                        max_length=200, required=False)
    city_contract = forms.CharField(label=_l("Contrat de ville de rattachement (volet santé)"), max_length=200,
                                    required=False)
    agreement_subject = forms.CharField(label=_l("Objet de la convention de partenariat"), max_length=300,
                                        required=False)
    signed_on = _date_field(_l("Date de signature"))
    starts_on = _date_field(_l("Début"))
    ends_on = _date_field(_l("Fin"))
    perimeter = forms.ModelMultipleChoiceField(label=_l("Périmètre"), required=False,
                                               queryset=Territory.objects.filter(level__in=PERIMETER_LEVELS))
    signatories = forms.ModelMultipleChoiceField(label=_l("Signataires"), required=False, queryset=Actor.objects.all())
    ists_objective = _yes_no(_l("Le contrat affiche la réduction des inégalités sociales et territoriales de santé "
                                "(ISTS) comme objectif"))
    ists_objective_text = _text(_l("Objectif de réduction des ISTS (texte du contrat)"), rows=2)
    diagnosis_summary = _text(_l("Diagnostic local de santé (synthèse)"), rows=5)
    diagnosis_date = _date_field(_l("Date du diagnostic"))
    diagnosis_with_residents = _yes_no(_l("Les habitants ont participé au diagnostic"))
    diagnosis_covers_determinants = _yes_no(_l("Le diagnostic couvre les déterminants (logement, emploi, éducation, "
                                               "environnement)"))
    diagnosis_public = _yes_no(_l("Le diagnostic a été restitué publiquement"))
    shared_responsibility_stated = _yes_no(_l("Le contrat affirme la responsabilité partagée de la santé par les "
                                              "secteurs hors santé"))
    other_ars_directions = _yes_no(_l("D’autres directions de l’ARS sont associées"))
    regional_plans_articulated = _yes_no(_l("Le contrat s’articule avec les plans régionaux et le contrat de ville"))
    project_team_pluridisciplinary = _yes_no(_l("L’équipe projet est pluridisciplinaire"))
    evaluation_plan = _yes_no(_l("Une évaluation est prévue"),
                              help_text=_l("Un plan d’évaluation existe : indicateurs, résultats intermédiaires, qui "
                                           "évalue."))
    evaluation_note = _text(_l("Modalités d’évaluation"), rows=3)
    methodological_support = _yes_no(_l("Appui méthodologique ou de recherche"))

    YES_NO_FIELDS = ("ists_objective", "diagnosis_with_residents", "diagnosis_covers_determinants",
                     "diagnosis_public", "shared_responsibility_stated", "other_ars_directions",
                     "regional_plans_articulated", "project_team_pluridisciplinary", "evaluation_plan",
                     "methodological_support")
    PLAIN_FIELDS = ("code", "name", "generation", "status", "published", "summary", "signed_on", "starts_on",
                    "ends_on", "ists_objective_text", "diagnosis_summary", "diagnosis_date", "evaluation_note",
                    "kind", "local_plan_title", "local_plan_adopted_on", "psychiatry_sector", "city_contract",
                    "agreement_subject")

    def __init__(self, *args, departements, contract: Contract | None = None, lock_departement: bool = False,
                 **kwargs):
        """``departements``: the départements the person may file a contract in; ``lock_departement``:
        the person keeps the contract in its département (a coordinator)."""
        self.contract = contract
        if contract is not None and not args and "data" not in kwargs and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(contract)
        super().__init__(*args, **kwargs)
        queryset = departements
        if contract is not None and contract.departement_id:
            queryset = queryset | Territory.objects.filter(pk=contract.departement_id)
        self.fields["departement"].queryset = queryset.distinct().order_by("code")
        if lock_departement:
            # a disabled field takes its value from ``initial``, posted or not
            self.initial.setdefault("departement", contract.departement_id if contract else None)
            self.fields["departement"].disabled = True
            self.fields["departement"].help_text = _("Seuls l’administration régionale et le référent "
                                                     "départemental changent le département d’un contrat.")

    @classmethod
    def initial_from(cls, contract: Contract) -> dict:
        from equisante.contracts.editing import contract_token

        initial = {name: getattr(contract, name) for name in cls.PLAIN_FIELDS}
        initial.update({name: to_yes_no(getattr(contract, name)) for name in cls.YES_NO_FIELDS})
        initial.update(version=contract_token(contract), departement=contract.departement_id,
                       perimeter=list(contract.perimeter.values_list("pk", flat=True)),
                       signatories=list(contract.signatories.values_list("pk", flat=True)))
        return initial

    def chosen_departement(self) -> Territory | None:
        """The département currently chosen in the form (posted or initial), for the territory search."""
        value = self["departement"].value()
        try:
            return Territory.objects.get(pk=int(getattr(value, "pk", value)), level="departement")
        except (TypeError, ValueError, Territory.DoesNotExist):
            return None

    def clean_kind(self):
        return self.cleaned_data.get("kind") or v.SCHEME_CLS

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code.lower() in RESERVED_CONTRACT_CODES:
            raise forms.ValidationError(_("« %(code)s » est réservé aux pages du site : choisir un autre code.")
                                        % {"code": code})
        others = Contract.objects.filter(code__iexact=code)
        if self.contract is not None:
            others = others.exclude(pk=self.contract.pk)
        other = others.first()
        if other is not None:
            raise forms.ValidationError(_("Le code « %(code)s » est déjà celui du contrat « %(name)s ».")
                                        % {"code": other.code, "name": other.name})
        return code

    def clean(self):
        data = super().clean()
        start, end, signed = data.get("starts_on"), data.get("ends_on"), data.get("signed_on")
        if start and end and end < start:
            self.add_error("ends_on", _("La fin (%(end)s) précède le début (%(start)s).") % {
                "end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")})
        if signed and end and signed > end:
            self.add_error("signed_on", _("La signature ne peut pas suivre la fin du contrat."))
        if data.get("ists_objective_text") and data.get("ists_objective") == "non":
            self.add_error("ists_objective", _("Un texte d’objectif de réduction des ISTS est écrit : répondre « Oui » "
                                               "ou effacer le texte."))
        return data

    def values(self) -> tuple[dict, dict]:
        """(field values, many-to-many relations) for the services."""
        d = self.cleaned_data
        values = {name: d[name] for name in self.PLAIN_FIELDS}
        values.update({name: from_yes_no(d[name]) for name in self.YES_NO_FIELDS})
        values["departement"] = d["departement"]
        return values, {"perimeter": list(d["perimeter"]), "signatories": list(d["signatories"])}


# --- governance elements and axes -----------------------------------------------------------------------

class PartForm(EditForm):
    """A governance element or an axis of ``contract`` (``instance``: the element edited, None to add)."""

    FIELDS: tuple[str, ...] = ()

    def __init__(self, *args, contract: Contract, instance=None, **kwargs):
        self.contract = contract
        self.instance = instance
        if instance is not None and not args and "data" not in kwargs and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)

    def initial_from(self, obj) -> dict:
        from equisante.contracts.editing import part_token

        initial = {name: getattr(obj, name) for name in self.FIELDS}
        for name in self.FIELDS:
            related = getattr(initial[name], "pk", None)
            if related is not None:
                initial[name] = related
        initial["version"] = part_token(obj)
        return initial

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class CommitteeForm(PartForm):
    FIELDS = ("kind", "name", "chair")
    kind = forms.ChoiceField(label=_l("Type d’instance"), choices=v.COMMITTEE_KINDS)
    name = forms.CharField(label=_l("Intitulé"), max_length=200, required=False,
                           help_text=_l("Vide : le type d’instance sert d’intitulé."))
    chair = forms.CharField(label=_l("Présidence"), max_length=200, required=False,
                            help_text=_l("Par exemple : co-présidence ARS et maire."))

    def values(self) -> dict:
        return {**super().values(), "contract": self.contract}


def _committees(contract: Contract):
    return Committee.objects.filter(contract=contract).order_by("kind", "name")


class MemberForm(PartForm):
    FIELDS = ("committee", "actor", "person", "role", "resident")
    committee = forms.ModelChoiceField(label=_l("Instance"), queryset=Committee.objects.none(),
                                       empty_label=_l("— choisir une instance —"))
    actor = forms.ModelChoiceField(label=_l("Acteur de l’annuaire"), queryset=Actor.objects.order_by("name"),
                                   required=False, empty_label=_l("— hors annuaire —"))
    person = forms.CharField(label=_l("Personne ou fonction"), max_length=200, required=False,
                             help_text=_l("Par exemple : directrice du centre social, conseil citoyen."))
    role = forms.CharField(label=_l("Rôle dans l’instance"), max_length=100, required=False,
                           help_text=_l("Par exemple : co-président, secrétariat."))
    resident = forms.BooleanField(label=_l("Habitant ou représentant des usagers"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = _committees(self.contract)

    def clean(self):
        data = super().clean()
        if not data.get("actor") and not (data.get("person") or "").strip():
            self.add_error("actor", _("Choisir un acteur de l’annuaire ou écrire le nom d’une personne ci-dessous."))
        committee, actor = data.get("committee"), data.get("actor")
        if committee and actor:
            twice = committee.members.filter(actor=actor)
            if self.instance is not None:
                twice = twice.exclude(pk=self.instance.pk)
            if twice.exists():
                self.add_error("actor", _("« %(actor)s » est déjà membre de « %(committee)s ».") % {
                    "actor": actor, "committee": committee})
        return data


class MeetingForm(PartForm):
    FIELDS = ("committee", "date", "agenda", "minutes")
    committee = forms.ModelChoiceField(label=_l("Instance réunie"), queryset=Committee.objects.none(),
                                       empty_label=_l("— choisir une instance —"))
    date = forms.DateField(label=_l("Date de la réunion"), widget=forms.DateInput(attrs={"type": "date"},
                                                                                 format="%Y-%m-%d"))
    agenda = forms.CharField(label=_l("Ordre du jour"), max_length=300, required=False)
    minutes = _text(_l("Compte rendu"), rows=10, help_text=_l("Décisions, points d’étape, présents."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = _committees(self.contract)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if not 1990 <= date.year <= 2100:
            raise forms.ValidationError(_("L’année %(year)s n’est pas plausible pour une réunion.")
                                        % {"year": date.year})
        return date


class PostForm(PartForm):
    FIELDS = ("holder", "employer", "fte", "annual_cost", "ars_funding", "other_funding", "since")
    holder = forms.CharField(label=_l("Titulaire ou intitulé du poste"), max_length=200, required=False)
    employer = forms.ModelChoiceField(label=_l("Employeur"), queryset=Actor.objects.order_by("name"), required=False,
                                      empty_label=_l("— non renseigné —"))
    fte = forms.DecimalField(label=_l("Équivalent temps plein (ETP)"), max_digits=4, decimal_places=2, localize=True,
                             help_text=_l("Par exemple 0,8 pour un temps partiel à 80 %."))
    annual_cost = forms.IntegerField(label=_l("Coût annuel du poste (€)"), min_value=0, required=False)
    ars_funding = forms.IntegerField(label=_l("Financement de l’ARS (€ par an)"), min_value=0, required=False)
    other_funding = forms.CharField(label=_l("Autres financements"), max_length=300, required=False,
                                    help_text=_l("Par exemple : commune 20 000 € par an, contrat de ville 5 000 €."))
    since = _date_field(_l("En poste depuis"))

    def clean_fte(self):
        fte = self.cleaned_data["fte"]
        if fte <= 0:
            raise forms.ValidationError(_("Le temps de travail doit être positif (par exemple 0,5)."))
        if fte > 10:
            raise forms.ValidationError(_("Plus de 10 ETP pour un poste : écrire un poste par personne."))
        return fte

    def clean(self):
        data = super().clean()
        cost, ars = data.get("annual_cost"), data.get("ars_funding")
        if cost is not None and ars is not None and ars > cost:
            self.add_error("ars_funding", _("Le financement de l’ARS (%(ars)s €) dépasse le coût annuel du poste "
                                            "(%(cost)s €).") % {"ars": ars, "cost": cost})
        return data

    def values(self) -> dict:
        return {**super().values(), "contract": self.contract}


class AxisForm(PartForm):
    FIELDS = ("number", "title", "description")
    number = forms.IntegerField(label=_l("Numéro de l’axe"), min_value=1, max_value=99)
    title = forms.CharField(label=_l("Intitulé"), max_length=300)
    description = _text(_l("Description"), rows=3)

    def clean_number(self):
        number = self.cleaned_data["number"]
        others = StrategicAxis.objects.filter(contract=self.contract, number=number)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        other = others.first()
        if other is not None:
            raise forms.ValidationError(_("Le contrat a déjà un axe n° %(n)s (« %(title)s ») : choisir un autre "
                                          "numéro.") % {"n": number, "title": other.title})
        return number

    def values(self) -> dict:
        return {**super().values(), "contract": self.contract}


# --- the actors directory -------------------------------------------------------------------------------

class ActorForm(EditForm):
    FIELDS = ("name", "sector", "kind", "departement", "description")
    name = forms.CharField(label=_l("Nom de l’organisation"), max_length=200)
    sector = forms.ChoiceField(label=_l("Secteur"), choices=[("", _l("— choisir un secteur —"))] + v.SECTOR_CHOICES)
    kind = forms.CharField(label=_l("Type"), max_length=100, required=False,
                           help_text=_l("Par exemple : caisse d’assurance maladie, centre social, bailleur social."))
    departement = forms.ModelChoiceField(label=_l("Département"), required=False, empty_label=_l("— aucun —"),
                                         queryset=Territory.objects.filter(level="departement").order_by("code"))
    description = _text(_l("Description"), rows=3)

    def __init__(self, *args, instance: Actor | None = None, **kwargs):
        self.instance = instance
        if instance is not None and not args and "data" not in kwargs and "initial" not in kwargs:
            from equisante.contracts.editing import part_token

            kwargs["initial"] = {"name": instance.name, "sector": instance.sector, "kind": instance.kind,
                                 "departement": instance.departement_id, "description": instance.description,
                                 "version": part_token(instance)}
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Actor.objects.filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        other = others.first()
        if other is not None:
            raise forms.ValidationError(_("L’annuaire a déjà un acteur nommé « %(name)s ».") % {"name": other.name})
        return name

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ActorFilterForm(forms.Form):
    """Search and sector filter of the directory (GET)."""

    q = forms.CharField(label=_l("Nom ou type"), required=False)
    sector = forms.ChoiceField(label=_l("Secteur"), required=False,
                               choices=[("", _l("Tous les secteurs"))] + v.SECTOR_CHOICES)
