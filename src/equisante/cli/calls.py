"""``equisante calls import|select|report``: calls for projects from the command line.

- ``import``: an applications file (CSV / XLSX) into a call, all or nothing;
- ``select``: the committee's optimal proposal, either for a call of the database (``--call``, with
  ``--store`` to record it as the page does) or for a plain CSV / XLSX table without a database;
- ``report``: the call's statistics and decisions (XLSX or CSV), and optionally the notification letters
  (PDF, one per decided application) in a folder.
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from equisante.cli import setup_django
from equisante.cli.french import fail, group, option
from equisante.cli.options import format_option, output_option, plural, write_bytes, write_table


_fail = fail


def _write(data: bytes | str, output: str | None, fmt: str) -> None:
    """Already rendered bytes (the call's statistics workbook) to ``output``; never a workbook on stdout."""
    if output in (None, "-") and fmt != "csv":
        raise click.UsageError(f"Le format {fmt.upper()} s'écrit dans un fichier, pas sur la sortie standard : "
                               f"préciser -o FICHIER.{fmt}.")
    write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"), output, "Bilan")


@group(name="calls")
def calls() -> None:
    """Appels à projets (AAP) et à manifestation d'intérêt (AMI) : candidatures, sélection, bilan."""


@calls.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@option("--call", "code", required=True, metavar="CODE", help="Code de l'appel.")
@format_option(formats=("csv", "xlsx"), help="Format du fichier ; par défaut d'après son extension.")
def import_command(file: Path, code: str, fmt: str | None) -> None:
    """Importer des candidatures (colonnes Référence, Titre, Porteur, Type de porteur, Territoires, Montant
    demandé ; facultatives Coût total, Résumé). Tout ou rien ; réimporter le même fichier ne change rien."""
    setup_django()
    from equisante.calls import services
    from equisante.errors import EquisanteError

    try:
        call = services.get_call(code)
        counts = services.import_applications(call, file, name=file.name, fmt=fmt)
    except EquisanteError as exc:
        _fail(exc)
    click.echo(f"{file.name} : {plural(counts['created'], 'candidature créée', 'candidatures créées')}, "
               f"{plural(counts['updated'], 'mise à jour', 'mises à jour')}, "
               f"{plural(counts['unchanged'], 'inchangée', 'inchangées')}.")


@calls.command("select")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@option("--call", "code", metavar="CODE", help="Code de l'appel (sinon : le fichier FICHIER, sans base de données).")
@option("--store", is_flag=True, help="Avec --call : enregistrer la proposition (comme le bouton de la page).")
@option("--budget", type=float, help="Enveloppe en euros (fichier ; par défaut celle de l'appel).")
@option("--score", default="score", show_default=True, help="Colonne de la note (fichier).")
@option("--cost", default="cost", show_default=True, help="Colonne du montant (fichier).")
@option("--cover", metavar="COLONNE", help="Colonne dont chaque valeur doit avoir des projets retenus (fichier).")
@option("--min-per-group", type=int, default=0, show_default=True, help="Projets retenus au moins par valeur de --cover.")
@format_option()
@output_option()
def select_command(file: Path | None, code: str | None, store: bool, budget: float | None, score: str, cost: str,
                   cover: str | None, min_per_group: int, fmt: str, output: str | None) -> None:
    """La proposition optimale : la note totale la plus élevée sous l'enveloppe et la couverture demandée,
    avec le rang de chaque candidature et le motif des candidatures bien notées écartées."""
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
        write_table(table, output, fmt, unit=("candidature écrite", "candidatures écrites"))
    except EquisanteError as exc:
        _fail(exc)
    from equisante.calls import euros

    click.echo(f"{plural(int(table['selected'].astype(bool).sum()), 'projet retenu', 'projets retenus')} pour {euros(spent)} € sur "
               f"{euros(envelope)} €.", err=True)


@calls.command("report")
@option("--call", "code", required=True, metavar="CODE", help="Code de l'appel.")
@format_option(formats=("xlsx", "csv"),
               help="xlsx : synthèse, tableaux par département, type de porteur, classe de priorité, décisions ; "
                    "csv : les décisions. Par défaut d'après l'extension de -o (xlsx sinon).")
@output_option()
@option("--letters", type=click.Path(file_okay=False, path_type=Path), metavar="DOSSIER",
        help="Écrire aussi une lettre de notification PDF par candidature décidée dans ce dossier.")
def report_command(code: str, fmt: str, output: str | None, letters: Path | None) -> None:
    """Bilan d'un appel : candidatures reçues, montants demandés, projets retenus, montants attribués, par
    département, type de porteur et classe de priorité, part de l'enveloppe aux territoires les plus défavorisés."""
    setup_django()
    from equisante.calls import euros, services
    from equisante.errors import EquisanteError

    if fmt is None:
        fmt = "csv" if str(output or "").lower().endswith(".csv") else "xlsx"
    try:
        call = services.get_call(code)
        if fmt == "xlsx":
            _write(services.statistics_xlsx(call), output, fmt)
        else:
            write_table(services.statistics_tables(call)[services.DECISIONS_SHEET], output, "csv",
                        unit=("décision écrite", "décisions écrites"))
        written = 0
        if letters:
            letters.mkdir(parents=True, exist_ok=True)
            for application in call.applications.exclude(decision=""):
                (letters / f"notification-{application.reference}.pdf").write_bytes(services.letter_pdf(application))
                written += 1
        summary = services.statistics(call)["summary"]
    except EquisanteError as exc:
        _fail(exc)
    click.echo(f"{call.title} : {plural(summary['received'], 'candidature')}, "
               f"{plural(summary['retained'], 'retenue')}, "
               f"{euros(summary['granted'])} € attribués sur {euros(summary['envelope'])} €"
               + (f" ; {plural(written, 'lettre écrite', 'lettres écrites')} dans {letters}" if letters else "") + ".", err=True)
