"""``equisante portfolio report``: the ISTS profile of a contract, or the overview of a selection of
contracts, as a standalone HTML report, a PDF or an XLSX workbook (thin wrapper over
:mod:`equisante.profiles`).

    equisante portfolio report --contract CLS-93-BOB --format pdf -o profil.pdf
    equisante portfolio report --departement 93 --format xlsx -o seine-saint-denis.xlsx
    equisante portfolio report --actions fiches.csv --format html -o portefeuille.html

From the database, one contract gives its profile (compared with every other contract of the
database); several contracts, a département or nothing give the overview of that selection. With
``--actions`` the sheets are read from an exchange file (``docs/actionsheets.md``) and no database
is used: the contracts are those of the file (``--contract`` keeps some of them), without their
governance facts, so the contract-level checks read « non renseigné ».
"""

from __future__ import annotations

from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.cli.french import fail, group, option
from equisante.cli.options import contract_option, format_option, output_option, plural

FORMATS = ("html", "pdf", "xlsx")


@group(name="portfolio")
def portfolio() -> None:
    """Analyse de portefeuille de fiches-action : tableaux publiés, trois stratégies, vérifications."""


@portfolio.command("report")
@contract_option(help="Code du contrat (option répétable). Un seul contrat : son profil ISTS.")
@option("--departement", "departements", multiple=True, metavar="CODE",
              help="Code du département : ses contrats (option répétable).")
@option("--generation", type=click.Choice(["prefiguration", "1", "2", "3"]),
              help="Ne garder que les contrats de cette génération.")
@option("--published", is_flag=True, help="Ne garder que les contrats publiés (ce que voit le public).")
@option("--actions", "actions_file", type=click.Path(dir_okay=False), metavar="FICHIER",
              help="Fichier de fiches-action (CSV ou XLSX, format d'échange) à analyser sans base de données.")
@format_option(formats=FORMATS, help="Format du rapport ; par défaut d'après l'extension de -o (html sinon).")
@output_option(required=True)
def report_command(contracts: tuple[str, ...], departements: tuple[str, ...], generation: str | None,
                   published: bool, actions_file: str | None, fmt: str | None, output: str) -> None:
    """Écrire le profil ISTS d'un contrat ou la synthèse d'une sélection de contrats (HTML, PDF, XLSX).

    Le rapport contient les deux tableaux publiés (thématiques ; déterminants × stratégies),
    l'équilibre des trois stratégies, les types d'approche, les fiches à risque d'accroître les
    inégalités, les vérifications tirées des douze préconisations et la comparaison des contrats.
    """
    setup_django()
    import equisante.profiles.problems  # noqa: F401  (declares the error codes used here)
    from equisante.errors import EquisanteError, InputRejected

    suffix = Path(output).suffix.lower().lstrip(".")
    fmt = fmt or (suffix if suffix in FORMATS else "html")
    try:
        if output == "-":
            raise EquisanteError("profile_output_invalid", format=fmt.upper())
        if actions_file:
            if departements:
                raise EquisanteError("profile_actions_departement")
            presentation, what = _from_file(actions_file, contracts)
        else:
            presentation, what = _from_database(contracts, departements, generation, published)
        from equisante.profiles import reports

        data = reports.render(presentation, fmt)
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise EquisanteError("profile_write_failed", path=output, reason=exc.strerror or str(exc)) from exc
    except InputRejected as exc:
        fail(exc)
    except EquisanteError as exc:
        fail(exc)
    click.echo(f"{what} : {plural(presentation.report.n_actions, 'fiche-action', 'fiches-action')}, "
               f"{plural(len(presentation.report.contracts), 'contrat')} ; rapport {fmt.upper()} écrit dans {output}.",
               err=True)


def _from_file(path: str, codes: tuple[str, ...]):
    """A report over the sheets of an exchange file (no database)."""
    from django.utils import timezone

    from equisante.errors import EquisanteError
    from equisante.portfolio import load_actions, portfolio_report
    from equisante.profiles.presentation import present

    if not Path(path).is_file():
        raise EquisanteError("file_not_found", path=path)
    sheets = load_actions(path)
    known = sorted({s.contract for s in sheets})
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise EquisanteError("profile_contract_unknown", code=", ".join(unknown), where=f" dans « {path} »",
                             known=", ".join(known) or "aucun")
    if codes:
        sheets = [s for s in sheets if s.contract in codes]
    chosen = sorted({s.contract for s in sheets})
    single = len(chosen) == 1
    title = (f"Profil ISTS du contrat {chosen[0]}" if single
             else f"Analyse de portefeuille : {len(chosen)} contrats")
    report = portfolio_report(sheets, title=title)
    selection = [
        f"Fiches-action lues dans le fichier « {Path(path).name} » : {plural(len(sheets), 'fiche')}, "
        + (f"{'contrat' if len(chosen) < 2 else 'contrats'} {', '.join(chosen)}." if chosen else "aucun contrat."),
        "Sans base de données : les faits des contrats (gouvernance, diagnostic, évaluation) sont inconnus, "
        "les vérifications du contrat sont donc « non renseigné ».",
        f"Grille d'analyse version {report.grid_version} (annexe 3 du rapport d'évaluation des CLS d'Île-de-France, 2014).",
    ]
    presentation = present(report, kind="profile" if single else "overview", selection=selection,
                           generated=timezone.localtime(), highlight=chosen[0] if single else None,
                           contract={"code": chosen[0]} if single else None)
    return presentation, (f"Profil du contrat {chosen[0]}" if single else "Analyse de portefeuille")


def _from_database(codes: tuple[str, ...], departements: tuple[str, ...], generation: str | None,
                   published: bool):
    """A profile (one contract) or an overview (several, a département, all) from the database."""
    from equisante.contracts.models import Contract
    from equisante.errors import EquisanteError
    from equisante.profiles.building import overview_presentation, profile_presentation

    every = Contract.objects.all()
    known = list(every.order_by("code").values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise EquisanteError("profile_contract_unknown", code=", ".join(unknown), where="",
                             known=", ".join(known) or "aucun")
    with_contracts = set(every.exclude(departement=None).values_list("departement__code", flat=True))
    missing = [d for d in departements if d not in with_contracts]
    if missing:
        raise EquisanteError("profile_departement_unknown", code=", ".join(missing),
                             known=", ".join(sorted(with_contracts)) or "aucun")
    selected = every
    if codes or departements:
        selected = every.filter(code__in=codes) | every.filter(departement__code__in=departements)
    filters = []
    if generation:
        from equisante.actionsheets.model import GENERATIONS

        selected = selected.filter(generation=generation)
        filters.append(GENERATIONS[generation])
    if published:
        selected = selected.filter(published=True)
        filters.append("contrats publiés")
    selected = selected.distinct()
    if not selected.exists():
        words = [*(f"contrat {c}" for c in codes), *(f"département {d}" for d in departements), *filters]
        raise EquisanteError("profile_selection_empty", selection=", ".join(words) or "tous les contrats")
    comparable = every.filter(published=True) if published else every
    if codes and not departements and len(codes) == 1:
        contract = selected.select_related("departement").get()
        scope = "les contrats publiés de la base" if published else "tous les contrats de la base"
        return (profile_presentation(contract, comparable, scope=scope, links=False),
                f"Profil du contrat {contract.code}")
    scope = ("les contrats choisis" if codes or departements else "tous les contrats de la base")
    presentation, _listing = overview_presentation(selected, filters=filters, scope=scope, links=False)
    return presentation, "Synthèse des contrats"
