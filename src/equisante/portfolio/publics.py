"""Who a sheet aims at, read from the words of its publics (and title): life-course stages
(recommendation 3 of seed 004) and the publics of a wide definition of precarity (recommendation 4).

Matching is accent- and case-insensitive on whole words or word starts (« enfant » matches
« enfants », not « parenfant »). The vocabularies are plain data: a caller may pass its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from equisante.actionsheets.model import ActionSheet
from equisante.grid.lexicon import fold


@dataclass(frozen=True)
class PublicGroup:
    """A group of publics recognised by word starts (folded: lower case, no accents)."""

    id: str
    label: str
    words: tuple[str, ...]


#: Stages of the life course (recommendation 3: act early, from childhood, and all life long).
LIFE_STAGES: tuple[PublicGroup, ...] = (
    PublicGroup("perinatalite", "Périnatalité", ("perinat", "grossesse", "enceinte", "futures meres", "future mere",
                "futurs parents", "post partum", "1000 premiers jours", "naissance", "maternite", "accouch")),
    PublicGroup("petite-enfance", "Petite enfance et parents", ("petite enfance", "nourrisson", "bebe", "creche",
                "tout petit", "tout-petit", "0 3 ans", "0 6 ans", "moins de 6 ans", "pmi", "parent", "parentalite")),
    PublicGroup("enfance", "Enfants", ("enfant", "eleve", "ecole", "scolaire", "maternelle", "ecolier")),
    PublicGroup("jeunesse", "Jeunes", ("jeune", "adolescen", "ados", "college", "lyceen", "lycee", "etudiant",
                "mission locale", "16 25 ans")),
    PublicGroup("adultes", "Adultes", ("adulte", "salarie", "travailleur", "actif", "demandeur d emploi",
                "demandeurs d emploi", "allocataire", "rsa", "parents isoles", "aidants")),
    PublicGroup("personnes-agees", "Personnes âgées", ("personnes agees", "personne agee", "senior", "retraite",
                "vieilliss", "vieillir", "ehpad", "plus de 60", "plus de 65", "perte d autonomie")),
)
#: The stages that make an early-childhood action (recommendation 3, first check).
EARLY_STAGES = ("perinatalite", "petite-enfance", "enfance")

#: Publics of a wide definition of precarity (recommendation 4; chômeurs and familles monoparentales
#: were noted as missing in the contracts studied).
PRECARITY_PUBLICS: tuple[PublicGroup, ...] = (
    PublicGroup("detenus", "Personnes détenues ou sortant de prison", ("detenu", "prison", "carceral",
                "sortant de prison", "sortants de prison", "sous main de justice")),
    PublicGroup("etrangers", "Étrangers en situation irrégulière, migrants, demandeurs d'asile",
                ("sans papier", "situation irreguliere", "migrant", "demandeur d asile", "demandeurs d asile",
                 "exile", "refugie", "primo arrivant")),
    PublicGroup("prostitution", "Personnes se prostituant", ("prostitu", "travail du sexe", "travailleuses du sexe",
                "travailleurs du sexe")),
    PublicGroup("emploi-precaire", "Personnes en emploi précaire", ("emploi precaire", "emplois precaires",
                "travailleurs pauvres", "travailleur pauvre", "interimaire", "contrats courts", "temps partiel subi")),
    PublicGroup("jeunes-rupture", "Jeunes en rupture ou en insertion", ("jeunes en rupture", "en insertion", "decrocheur", "decrochage", "mission locale", "neet", "jeunes insertion")),
    PublicGroup("familles-monoparentales", "Familles monoparentales", ("monoparental", "mere isolee",
                "meres isolees", "pere isole", "peres isoles", "parent isole", "parents isoles", "parent seul")),
    PublicGroup("chomeurs", "Personnes au chômage", ("chomeur", "chomage", "demandeur d emploi",
                "demandeurs d emploi", "sans emploi", "privees d emploi", "prives d emploi", "france travail",
                "pole emploi")),
)
#: The two groups the seed explicitly found missing in the contracts it studied.
NOTED_MISSING = ("chomeurs", "familles-monoparentales")

_NON_WORD = re.compile(r"[^a-z0-9]+")


def _folded(text: str) -> str:
    # One space between words, around the text too, so that a cue matches at a word start only.
    return " " + _NON_WORD.sub(" ", fold(text)[0]).strip() + " "


@functools.lru_cache(maxsize=2048)
def _cue(word: str) -> str:
    return " " + _NON_WORD.sub(" ", fold(word)[0]).strip()


def sheet_text(sheet: ActionSheet, fields: Sequence[str] = ("publics", "title")) -> str:
    """The words of a sheet that say whom it aims at (publics and title by default)."""
    parts = []
    for name in fields:
        value = getattr(sheet, name)
        parts.extend(value if isinstance(value, tuple) else [value])
    return " ; ".join(p for p in parts if p)


def groups_in(text: str, groups: Iterable[PublicGroup]) -> list[str]:
    """Ids of the groups one of whose words starts a word of ``text``."""
    folded = _folded(text)
    return [g.id for g in groups if any(_cue(w) in folded for w in g.words)]


def groups_of_portfolio(
    sheets: Iterable[ActionSheet], groups: Sequence[PublicGroup], fields: Sequence[str] = ("publics", "title")
) -> dict[str, list[str]]:
    """Group id → codes (« contract/code ») of the sheets aiming at it, for every group (empty list
    when none)."""
    found: dict[str, list[str]] = {g.id: [] for g in groups}
    for sheet in sheets:
        for id in groups_in(sheet_text(sheet, fields), groups):
            found[id].append(f"{sheet.contract}/{sheet.code}")
    return found


def group_labels(groups: Sequence[PublicGroup]) -> Mapping[str, str]:
    return {g.id: g.label for g in groups}
