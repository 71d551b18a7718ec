"""What an action sheet (« fiche-action ») of a local health contract is, once coded on the grid, and
the few facts about its contract that the portfolio checks need. Pure Python: no Django.

:class:`ActionSheet` — one row of the exchange format (:mod:`equisante.actionsheets.exchange`):

- ``contract``: the contract's code (e.g. ``CLS-93-BOB``), non-empty; ``code``: the sheet's code,
  unique within its contract (``FA-3.2``); together they identify the sheet.
- ``axis``: the strategic axis as written in the contract (free text, may be empty).
- ``title`` (non-empty) and ``description``: free French text.
- ``publics``, ``partners``: free-text lists (who is aimed at; which organisations take part).
- ``themes``: ids of the sixteen Figure 1 health themes (``acces-aux-soins``, ``sante-mentale``…).
- ``determinants``: grid node ids of part 1 (``D1`` … ``D6.3``, any depth).
- ``strategies``: grid node ids of part 2 (``S1`` … ``S5.3``, any depth); empty = strategy not
  specified (counted as « NS » in the published Figure 2).
- ``approach``: one approach id (``groupes-defavorises``, ``universalisme``,
  ``universalisme-proportionne``) or ``None`` when not coded.

Optional action-level facts used by the checks (``None`` always means « non renseigné », never
« non »):

- ``partner_sectors``: ids of :data:`SECTORS` (the sectors of the partners: health, social, housing…).
- ``objectives``: the sheet's objectives as written.
- ``quantified_targets``: the objectives carry a number (target, baseline or indicator value).
- ``ists_contribution``: the sheet states how it contributes to reducing social inequalities in health.
- ``resident_participation``: residents / users take part in designing or evaluating the action.
- ``evaluation_planned``: the sheet foresees an evaluation (indicators, who evaluates, when).
- ``funding_identified``: the sheet has identified funding (not « affichage »).
- ``status``: free label of the sheet's progress (``prévue``, ``en cours``, ``réalisée``…).
- ``logic_model``: the sheet's logic model (inputs → activities → outputs → outcomes) is complete
  (True), started but incomplete (False), absent (None).

Lists are tuples (the dataclasses are frozen and hashable); lists given as ``list`` are turned into
tuples on creation, so ``ActionSheet(..., themes=["nutrition"])`` works.

:class:`ContractFacts` — contract-level facts of DOMAIN §5 (each ``None`` = not filled in).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

#: Sectors of partners (id → French label). Everything but ``sante`` is a non-health sector
#: (recommendations 2, 7, 10, 11 of seed 004 ask for partners beyond the health sector).
SECTORS: dict[str, str] = {
    "sante": "Santé et soins",
    "social": "Action sociale",
    "protection-sociale": "Protection sociale (CPAM, CAF…)",
    "logement": "Logement et habitat",
    "education": "Éducation et petite enfance",
    "emploi-insertion": "Emploi et insertion",
    "urbanisme-environnement": "Urbanisme, environnement, transports",
    "etat": "Services de l'État (préfecture, politique de la ville…)",
    "collectivite": "Collectivités (services municipaux, département)",
    "associatif": "Associations et habitants",
    "culture-sport-loisirs": "Culture, sport et loisirs",
    "recherche-appui": "Recherche et appui méthodologique",
    "autre": "Autre",
}
HEALTH_SECTOR = "sante"

#: Contract generations (id → French label).
GENERATIONS: dict[str, str] = {
    "prefiguration": "CLS de préfiguration",
    "1": "CLS de 1re génération",
    "2": "CLS de 2e génération",
    "3": "CLS de 3e génération",
}

_TUPLE_FIELDS_SHEET = ("publics", "partners", "themes", "determinants", "strategies", "partner_sectors")


def _freeze(instance, names) -> None:
    # Frozen dataclass: lists given by callers are stored as tuples so that instances stay hashable
    # and compare equal whatever sequence type built them.
    for name in names:
        value = getattr(instance, name)
        if value is None:
            object.__setattr__(instance, name, ())
        elif not isinstance(value, tuple):
            object.__setattr__(instance, name, tuple(value))


@dataclass(frozen=True)
class ActionSheet:
    """One coded action sheet (see the module docstring for each field's contract)."""

    contract: str
    code: str
    axis: str = ""
    title: str = ""
    description: str = ""
    publics: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    determinants: tuple[str, ...] = ()
    strategies: tuple[str, ...] = ()
    approach: str | None = None
    # --- optional facts for the checks (None = non renseigné) ---
    partner_sectors: tuple[str, ...] = ()
    objectives: str = ""
    quantified_targets: bool | None = None
    ists_contribution: bool | None = None
    resident_participation: bool | None = None
    evaluation_planned: bool | None = None
    funding_identified: bool | None = None
    status: str = ""
    logic_model: bool | None = None

    def __post_init__(self) -> None:
        _freeze(self, _TUPLE_FIELDS_SHEET)

    @property
    def key(self) -> tuple[str, str]:
        """(contract, code): the sheet's identity."""
        return (self.contract, self.code)


@dataclass(frozen=True)
class ContractFacts:
    """Contract-level facts used by the checks of DOMAIN §5 (``None`` = non renseigné).

    - ``code``: the contract code (the ``contract`` of its sheets); ``name``; ``departement``: the
      département code (``93``, ``2A``); ``generation``: a key of :data:`GENERATIONS` or ``""``.
    - ``ists_objective``: ISTS reduction is an explicit general objective of the contract (rec. 1).
    - ``diagnosis_with_residents``: residents took part in the diagnosis (rec. 8).
    - ``residents_in_copil``: residents or user representatives sit on the steering committee (rec. 8).
    - ``diagnosis_covers_determinants``: the diagnosis covers housing, employment, education,
      environment — not only care supply and health indicators (rec. 9).
    - ``diagnosis_public``: the shared diagnosis was presented publicly or debated (B1).
    - ``coordinator_fte``: the coordinator post in full-time equivalents (0 = no post) (rec. 6).
    - ``project_team_pluridisciplinary``: the project team is not only health specialists (rec. 6).
    - ``shared_responsibility_stated``: the contract states that non-health sectors share the
      responsibility for health (rec. 7).
    - ``other_ars_directions``: ARS directions beyond prevention take part (rec. 10).
    - ``regional_plans_articulated``: articulation with regional plans / contrat de ville stated (rec. 11).
    - ``evaluation_plan``: an evaluation plan exists (indicators, intermediate results, who) (rec. 12).
    - ``methodological_support``: methodological or research support identified (rec. 12).
    - ``copil_meetings_per_year``: steering-committee meetings in the last year (B2).
    - ``technical_committee``: a technical committee exists (B4).
    - ``perimeter_whole_town_with_qpv``: the perimeter covers the whole town with a focus on its
      priority neighbourhoods (B10, room for proportionate universalism).
    - ``yearly_review_held``: the review of the last complete year was validated by the partners
      (rec. 12; None when the contract has no complete year yet).
    """

    code: str
    name: str = ""
    departement: str = ""
    generation: str = ""
    ists_objective: bool | None = None
    diagnosis_with_residents: bool | None = None
    residents_in_copil: bool | None = None
    diagnosis_covers_determinants: bool | None = None
    diagnosis_public: bool | None = None
    coordinator_fte: float | None = None
    project_team_pluridisciplinary: bool | None = None
    shared_responsibility_stated: bool | None = None
    other_ars_directions: bool | None = None
    regional_plans_articulated: bool | None = None
    evaluation_plan: bool | None = None
    methodological_support: bool | None = None
    copil_meetings_per_year: int | None = None
    technical_committee: bool | None = None
    perimeter_whole_town_with_qpv: bool | None = None
    yearly_review_held: bool | None = None


def sheet_field_names() -> tuple[str, ...]:
    """Names of the :class:`ActionSheet` fields, in declaration order."""
    return tuple(f.name for f in fields(ActionSheet))
