"""``equisante calls import|select|report``: calls for projects from the command line.

- ``import``: an applications file (CSV / XLSX) into a call, all or nothing;
- ``select``: the committee's optimal proposal, either for a call of the database (``--call``, with
  ``--store`` to record it as the page does) or for a plain CSV / XLSX table without a database;
- ``report``: the call's statistics and decisions (XLSX or CSV), and optionally the notification letters
  (PDF, one per decided application) in a folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd

from equisante.cli import setup_django
from equisante.cli.french import group, option


def _fail(exc) -> None:
    click.echo(exc.report() if hasattr(exc, "report") else str(exc), err=True)
    sys.exit(1)


def _write(data: bytes | str, output: str | None, fmt: str) -> None:
    if output in (None, "-"):
        if fmt == "xlsx":
            from equisante.errors import EquisanteError

            raise EquisanteError("call_output_invalid", format=fmt.upper())
        click.echo(data if isinstance(data, str) else data.decode("utf-8-sig"), nl=False)
    else:
        Path(output).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


@group(name="calls")
def calls() -> None:
    """Appels à projets (AAP) et à manifestation d'intérêt (AMI) : candidatures, sélection, bilan."""


@calls.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@option("--call", "code", required=True, metavar="CODE", help="Code de l'appel.")
@option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), help="Format du fichier ; par défaut d'après son extension.")
def import_command(file: Path, code: str, fmt: str | None) -> None:
    """Importer des candidatures (colonnes reference, title, promoter, promoter_kind, territories,
    requested ; facultatives total_cost, summary). Tout ou rien ; réimporter le même fichier ne change rien."""
    setup_django()
    from equisante.calls import services
    from equisante.errors import EquisanteError

    try:
        call = services.get_call(code)
        counts = services.import_applications(call, file, name=file.name, fmt=fmt)
    except EquisanteError as exc:
        _fail(exc)
    click.echo(f"{file.name} : {counts['created']} candidature(s) créée(s), {counts['updated']} mise(s) à jour, "
               f"{counts['unchanged']} inchangée(s).")


@calls.command("select")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@option("--call", "code", metavar="CODE", help="Code de l'appel (sinon : le fichier FILE, sans base de données).")
@option("--store", is_flag=True, help="Avec --call : enregistrer la proposition (comme le bouton de la page).")
@option("--budget", type=float, help="Enveloppe en euros (fichier ; par défaut celle de l'appel).")
@option("--score", default="score", show_default=True, help="Colonne de la note (fichier).")
@option("--cost", default="cost", show_default=True, help="Colonne du montant (fichier).")
@option("--cover", metavar="COLONNE", help="Colonne dont chaque valeur doit avoir des projets retenus (fichier).")
@option("--min-per-group", type=int, default=0, show_default=True, help="Projets retenus au moins par valeur de --cover.")
@option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True,
        help="Format de la table écrite.")
@option("--output", "-o", metavar="FICHIER", help="Fichier à écrire (par défaut la sortie standard, en CSV).")
def select_command(file: Path | None, code: str | None, store: bool, budget: float | None, score: str, cost: str,
                   cover: str | None, min_per_group: int, fmt: str, output: str | None) -> None:
    """La proposition optimale : la note totale la plus élevée sous l'enveloppe et la couverture demandée,
    avec le rang de chaque candidature et le motif des candidatures bien notées écartées."""
    from equisante import exports
    from equisante.calls import explain, rank, select
    from equisante.errors import EquisanteError

    try:
        if code:
            setup_django()
            from equisante.calls import services

            call = services.get_call(code)
            view = services.run_selection(call) if store else services.compute_selection(call)
            if view.error:
                raise EquisanteError("call_solver_failed", message=view.error)
            table, reasons, spent, envelope = view.table, view.reasons, None, call.envelope
            table = table.join(reasons)
            table.index = [str(i) for i in table.index]
            columns = ["rank", "reference", "title", "departement", "score", "cost", "selected", "reason", "explanation"]
            table = table[[c for c in columns if c in table.columns]]
        else:
            if file is None:
                raise click.UsageError("indiquer un fichier ou --call CODE")
            if budget is None:
                raise click.UsageError("--budget est obligatoire pour un fichier")
            data = pd.read_excel(file) if file.suffix.lower() == ".xlsx" else pd.read_csv(file, sep=None, engine="python")
            result = select(data, budget=budget, score=score, cost=cost, cover=cover, min_per_group=min_per_group)
            reasons = explain(result, budget=budget, score=score, cost=cost, cover=cover, min_per_group=min_per_group)
            table = rank(result, score=score).join(reasons)
            envelope = budget
        spent = float(table.loc[table["selected"].astype(bool), "cost" if code else cost].sum())
        table = table.astype(object).where(table.notna(), "")
        data = exports.to_xlsx_bytes(table) if fmt == "xlsx" else exports.to_csv_bytes(table)
        _write(data, output, fmt)
    except EquisanteError as exc:
        _fail(exc)
    from equisante.calls import euros

    click.echo(f"{int(table['selected'].astype(bool).sum())} projet(s) retenu(s) pour {euros(spent)} € sur "
               f"{euros(envelope)} €.", err=True)


@calls.command("report")
@option("--call", "code", required=True, metavar="CODE", help="Code de l'appel.")
@option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
        help="xlsx : synthèse, tableaux par département, type de porteur, classe de priorité, décisions ; "
             "csv : les décisions.")
@option("--output", "-o", metavar="FICHIER", help="Fichier à écrire (CSV : sortie standard par défaut).")
@option("--letters", type=click.Path(file_okay=False, path_type=Path), metavar="DOSSIER",
        help="Écrire aussi une lettre de notification PDF par candidature décidée dans ce dossier.")
def report_command(code: str, fmt: str, output: str | None, letters: Path | None) -> None:
    """Bilan d'un appel : candidatures reçues, montants demandés, projets retenus, montants attribués, par
    département, type de porteur et classe de priorité, part de l'enveloppe aux territoires les plus défavorisés."""
    setup_django()
    from equisante import exports
    from equisante.calls import euros, services
    from equisante.errors import EquisanteError

    try:
        call = services.get_call(code)
        if fmt == "xlsx":
            data = services.statistics_xlsx(call)
        else:
            data = exports.to_csv_bytes(services.statistics_tables(call)["decisions"])
        _write(data, output, fmt)
        written = 0
        if letters:
            letters.mkdir(parents=True, exist_ok=True)
            for application in call.applications.exclude(decision=""):
                (letters / f"notification-{application.reference}.pdf").write_bytes(services.letter_pdf(application))
                written += 1
        summary = services.statistics(call)["summary"]
    except EquisanteError as exc:
        _fail(exc)
    click.echo(f"{call.title} : {summary['received']} candidature(s), {summary['retained']} retenue(s), "
               f"{euros(summary['granted'])} € attribués sur {euros(summary['envelope'])} €"
               + (f" ; {written} lettre(s) écrite(s) dans {letters}" if letters else "") + ".", err=True)
