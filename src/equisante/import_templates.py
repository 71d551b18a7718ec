"""Templates (« modèles ») of the import forms: the French headers of each importer and one example
row, as XLSX (with its « À propos » sheet saying how to fill it) and as CSV (« ; », decimal comma,
UTF-8 with BOM), written by :mod:`equisante.exports` from the same column descriptions as the exports.

Each template is read back as it is by its importer (the tests check it): the headers are those the
importer knows (:data:`equisante.actionsheets.exchange.HEADERS`, :data:`equisante.calls.reading.HEADERS`,
:data:`equisante.allocation.reading.HEADERS`, :data:`equisante.followup.importing.HEADERS`, the
indicator and territory columns of :data:`equisante.exports.COLUMNS`).

Pure: no Django (the follow-up headers are imported lazily, their module uses the ORM).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from equisante import exports

FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class Template:
    """One template: ``key`` (in the address), ``title`` (French), file ``stem``, ``columns`` (key →
    :class:`~equisante.exports.Column`, in file order), ``example`` (key → value) and ``instructions``
    (the « À propos » sheet). ``formats``: those the importer reads."""

    key: str
    title: str
    stem: str
    columns: dict[str, exports.Column]
    example: dict
    instructions: str
    formats: tuple[str, ...] = FORMATS
    notes: dict[str, str] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([{k: self.example.get(k, "") for k in self.columns}], columns=list(self.columns))


def _exact(column: exports.Column) -> exports.Column:
    """A column written without rounding (what is typed is what is imported)."""
    if column.kind in (exports.DECIMAL, exports.EUROS):
        return exports.Column(column.header, exports.DECIMAL, None)
    return column


def _described(keys, headers: dict[str, str] | None = None, kinds: dict[str, exports.Column] | None = None):
    out = {}
    for key in keys:
        if kinds and key in kinds:
            out[key] = kinds[key]
        elif headers and key in headers:
            out[key] = exports.text(headers[key])
        else:
            out[key] = _exact(exports.describe(key))
    return out


def _values() -> Template:
    from equisante.indicators.reading import LONG_COLUMNS

    keys = [k for k in LONG_COLUMNS if k not in ("name", "state")]
    return Template(
        "valeurs", "Valeurs d'indicateurs", "modele-valeurs-indicateurs",
        _described(keys, kinds={"level": exports.text("Niveau"), "sex": exports.text("Sexe")}),
        {"indicator": "part_65_ans_plus", "level": "commune", "code": "01001", "vintage": 2024, "period": "2021",
         "numerator": 180, "denominator": 850},
        "Une ligne par valeur : code de l'indicateur (déclaré dans le catalogue), niveau (région, département, "
        "EPCI, commune…), code du territoire, période (ex. 2021 ou 2019-2021), numérateur et dénominateur, ou "
        "directement la valeur et ses bornes. Sexe (F, H, vide pour l'ensemble) et classe d'âge sont facultatifs. "
        "Remplacez la ligne d'exemple par vos données.")


def _catalogue() -> Template:
    from equisante.indicators.reading import CATALOGUE_COLUMNS

    return Template(
        "catalogue", "Catalogue des indicateurs", "modele-catalogue-indicateurs",
        _described(CATALOGUE_COLUMNS, kinds={"polarity": exports.text("Sens de lecture"),
                                             "levels": exports.text("Niveaux disponibles")}),
        {"code": "part_65_ans_plus", "label": "Part des 65 ans et plus",
         "definition": "Habitants de 65 ans ou plus rapportés à la population", "source": "Recensement",
         "unit": "%", "polarity": "neutre", "multiplier": 100, "numerator_label": "65 ans ou plus",
         "denominator_label": "habitants", "theme": "démographie", "levels": "commune"},
        "Une ligne par indicateur : code (lettres, chiffres, tirets), libellé, définition, source, unité, sens "
        "de lecture (favorable, défavorable ou neutre), multiplicateur (100 pour un pourcentage, 100000 pour un "
        "taux pour 100 000), libellés du numérateur et du dénominateur, thématique, niveaux disponibles.")


def _territories() -> Template:
    return Template(
        "territoires", "Territoires (table générique)", "modele-territoires",
        {"code": exports.text("Code"), "name": exports.text("Nom"), "parent": exports.text("Territoire parent"),
         "parent_level": exports.text("Niveau du parent"), "zone_type": exports.text("Type de zone")},
        {"code": "200000001", "name": "Communauté de communes d'exemple", "parent": "01",
         "parent_level": "département", "zone_type": ""},
        "Une ligne par territoire d'un même niveau (choisi dans le formulaire) : code, nom, et facultativement "
        "le code du territoire parent (déjà importé) et son niveau ; « Type de zone » pour les zones seulement. "
        "Le fichier se dépose en CSV (séparateur « ; » ou « , »).", formats=("csv",))


def _action_sheets() -> Template:
    from equisante.actionsheets.exchange import COLUMNS, HEADERS

    return Template(
        "fiches", "Fiches-action", "modele-fiches-action",
        _described(COLUMNS, HEADERS),
        {"contract": "CLS-01-EXEMPLE", "code": "FA-1.1", "axis": "1. Accès aux droits et aux soins",
         "title": "Permanence d'accès aux droits", "description": "Permanence hebdomadaire en centre social",
         "publics": "Personnes sans complémentaire santé", "partners": "CPAM; Centre social",
         "themes": "Accès aux soins", "determinants": "D5.1.2", "strategies": "S4.1.5",
         "approach": "groupes-defavorises"},
        "Une ligne par fiche-action : contrat (code existant), code de la fiche, axe, titre ; puis description, "
        "publics, partenaires, thématiques, déterminants et stratégies de la grille (codes séparés par « ; »), "
        "approche. Une fiche déjà présente (même contrat, même code) est mise à jour.")


def _applications() -> Template:
    from equisante.calls.reading import COLUMNS, HEADERS

    return Template(
        "candidatures", "Candidatures à un appel à projets", "modele-candidatures",
        _described(COLUMNS, HEADERS, kinds={"requested": exports.Column(HEADERS["requested"], exports.DECIMAL, None),
                                            "total_cost": exports.Column(HEADERS["total_cost"], exports.DECIMAL,
                                                                         None)}),
        {"reference": "CAND-2025-001", "title": "Ateliers nutrition en quartier prioritaire",
         "promoter": "Association Bien manger ensemble", "promoter_kind": "Association",
         "territories": "01001; 01002", "requested": 12000, "total_cost": 20000.5,
         "summary": "Douze ateliers de cuisine avec les habitants."},
        "Une ligne par candidature : référence (unique dans l'appel), titre, porteur, type de porteur, codes des "
        "territoires concernés (séparés par « ; »), montant demandé en euros ; coût total et résumé facultatifs.")


def _grants() -> Template:
    from equisante.allocation.reading import EXAMPLE, HEADERS

    kinds = {"amount": exports.Column(HEADERS["amount"], exports.DECIMAL, None),
             "year": exports.integer(HEADERS["year"])}
    return Template(
        "subventions", "Registre des subventions", "modele-subventions", _described(HEADERS, HEADERS, kinds),
        dict(EXAMPLE),
        "Une ligne par subvention : code du territoire, niveau (commune par défaut), année, programme, "
        "financeur, montant en euros ; la référence (facultative) évite qu'un second import ne la compte deux "
        "fois.")


def _followup(table: str) -> Callable[[], Template]:
    titles = {"indicateurs": "Suivi : indicateurs des fiches-action", "avancement": "Suivi : avancement des "
              "fiches-action", "financements": "Suivi : financements des fiches-action"}
    help_texts = {
        "indicateurs": "Une ligne par indicateur de fiche (et par année mesurée) : contrat, fiche, libellé de "
                       "l'indicateur, type (processus, resultat ou impact), unité, source, valeur initiale et sa "
                       "date, cible et sa date, année et valeur mesurée.",
        "avancement": "Une ligne par fiche et par année : contrat, fiche, année, état (non-commencee, en-cours, "
                      "realisee ou abandonnee), avancement en %, dates de début et de fin.",
        "financements": "Une ligne par fiche, financeur et année : montants demandé, accordé et dépensé en euros.",
    }

    def build() -> Template:
        from equisante.followup.importing import EXAMPLES, HEADERS, TABLES

        integers = {"annee", "pourcentage", "demande", "accorde", "depense"}
        numbers = {"valeur_initiale", "cible", "valeur"}
        dates = {"date_initiale", "date_cible", "debut", "fin"}
        columns = {k: (exports.integer(HEADERS[k]) if k in integers else
                       exports.Column(HEADERS[k], exports.DECIMAL, None) if k in numbers else
                       exports.date(HEADERS[k]) if k in dates else exports.text(HEADERS[k]))
                   for k in TABLES[table]}
        return Template(f"suivi-{table}", titles[table], f"modele-suivi-{table}", columns, dict(EXAMPLES[table]),
                        help_texts[table] + " Les dates s'écrivent JJ/MM/AAAA ou AAAA-MM-JJ.")

    return build


#: Template key → builder.
BUILDERS: dict[str, Callable[[], Template]] = {
    "valeurs": _values, "catalogue": _catalogue, "territoires": _territories, "fiches": _action_sheets,
    "candidatures": _applications, "subventions": _grants, "suivi-indicateurs": _followup("indicateurs"),
    "suivi-avancement": _followup("avancement"), "suivi-financements": _followup("financements"),
}


def template(key: str) -> Template:
    """The template ``key`` (:data:`BUILDERS`); KeyError when there is none."""
    return BUILDERS[key]()


def template_file(key: str, fmt: str) -> tuple[str, bytes, str]:
    """(file name, content, content type) of template ``key`` in ``fmt`` (``xlsx`` or ``csv``);
    KeyError for an unknown template or a format its importer does not read."""
    chosen = template(key)
    if fmt not in chosen.formats:
        raise KeyError(fmt)
    table = chosen.table()
    if fmt == "csv":
        data = exports.to_french_csv_bytes(table, columns=chosen.columns)
    else:
        about = exports.About(title=f"Modèle d'import : {chosen.title}",
                              notes={"mode_d_emploi": chosen.instructions, **chosen.notes})
        data = exports.to_xlsx_bytes({"Modèle": table}, columns=chosen.columns, about=about)
    return f"{chosen.stem}.{fmt}", data, exports.FORMATS[fmt]
