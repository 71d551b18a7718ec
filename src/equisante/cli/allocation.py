"""``equisante allocation run|compare|grants``: allocation by proportionate universalism from the command
line (thin wrapper over :mod:`equisante.allocation`).

    equisante allocation run --input communes.csv --total 12000 --unit 1 --weight besoin --floor 10 -o doses.csv
    equisante allocation run --total 1000000 --measure index:idh2 --weighting gradient --cap 50000 -o budget.xlsx
    equisante allocation run --scenario "Doses +10 %" -o doses.xlsx
    equisante allocation compare "Doses +10 %" "Doses à parts égales" -o comparaison.xlsx
    equisante allocation grants subventions.xlsx
"""

from __future__ import annotations

from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.cli.french import CommandError, fail, group, option
from equisante.cli.options import plural
from equisante.cli.options import level_option, output_option, write_table


_fail = fail


def _write(tables: dict, output: str | None, notes: dict | None = None) -> None:
    """The allocation tables through the command line's one table writer (first table only in CSV)."""
    write_table(tables, output, notes=notes)


def _scenario(reference: str):
    from equisante.allocation.models import Scenario

    found = Scenario.objects.filter(pk=int(reference)).first() if reference.isdigit() else None
    found = found or Scenario.objects.filter(name=reference).order_by("-updated_at").first()
    if found is None:
        fail(f"Aucun scénario enregistré « {reference} » (nom ou numéro).")
    return found


@group(name="allocation")
def allocation() -> None:
    """Allocation des ressources (universalisme proportionné) et registre des subventions."""


@allocation.command("run")
@option("--input", "input_path", type=click.Path(dir_okay=False, path_type=Path),
        help="Table des territoires (CSV ou XLSX) : calcul sans base de données.")
@option("--scenario", "reference", metavar="NOM", help="Scénario enregistré (nom ou numéro) à recalculer.")
@option("--total", type=float, help="Total à répartir.")
@option("--unit", type=float, help="Unité entière (1 poste, 10 doses…) ; sinon montants continus.")
@option("--population", default="population", show_default=True, help="Colonne de la population (--input).")
@option("--weight", metavar="COLONNE", help="Colonne du poids du besoin (--input).")
@option("--floor", metavar="NOMBRE|COLONNE", help="Plancher par territoire (un nombre, ou une colonne avec --input).")
@option("--cap", metavar="NOMBRE|COLONNE", help="Plafond par territoire (un nombre, ou une colonne avec --input).")
@option("--resource", type=click.Choice(["euros", "doses", "posts", "hours"]), default="euros", show_default=True,
        help="Ressource (base de données).")
@level_option(default="commune", show_default=True, help="Niveau des territoires (base de données).")
@option("--area", metavar="NIVEAU:CODE", help="Seulement dans ce territoire, ex. departement:93.")
@option("--measure", metavar="index:CODE|indicator:CODE", help="Mesure du besoin (base de données).")
@option("--weighting", type=click.Choice(["flat", "gradient", "proportional"]), default="flat", show_default=True,
        help="Pondération par le besoin.")
@option("--high", type=float, default=1.5, show_default=True, help="Poids de la classe la plus défavorisée.")
@option("--low", type=float, default=1.0, show_default=True, help="Poids de la classe la moins défavorisée.")
@option("--adjust", multiple=True, metavar="TEXTE",
        help="Ajustement daté « territoires ; +10 % ; début ; fin ; motif » (répétable).")
@option("--on", "on", metavar="AAAA-MM-JJ", help="Date d'application des ajustements.")
@option("--save", metavar="NOM", help="Enregistrer le scénario sous ce nom (base de données).")
@output_option(help="Fichier CSV, XLSX ou ODS ; « - » (défaut) : la sortie standard, en CSV.")
def run_command(input_path, reference, total, unit, population, weight, floor, cap, resource, level, area, measure,
                weighting, high, low, adjust, on, save, output) -> None:
    """Répartir un total entre territoires : proportionnel à population × poids, entre plancher et
    plafond, en unités entières par plus forts restes, avec les ajustements datés."""
    from datetime import date

    from equisante.errors import EquisanteError

    def bound(text):
        if text is None:
            return None
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text

    when = None
    if on:
        try:
            when = date.fromisoformat(on)
        except ValueError:
            raise CommandError(f"« {on} » n'est pas une date (AAAA-MM-JJ).") from None
    if input_path is not None:
        from equisante.allocation import allocate, apply_adjustments
        from equisante.cli.stats import read_table

        if total is None:
            raise CommandError("Indiquer --total.")
        try:
            table = read_table(input_path)
            if adjust:
                from equisante.allocation.adjustments import parse_adjustments

                departements = set(table["departement"].astype(str)) if "departement" in table else set()
                table = apply_adjustments(table, parse_adjustments("\n".join(adjust), departements), on=when,
                                          weight=weight)
                weight = "adjusted_weight"
            result = allocate(table, total, population=population, weight=weight, floor=bound(floor), cap=bound(cap),
                              unit=unit)
        except EquisanteError as exc:
            _fail(exc)
        _write({"allocation": result}, output)
        return

    setup_django()
    from django import forms as django_forms

    from equisante.allocation.building import build
    from equisante.allocation.forms import parse_adjustments
    from equisante.allocation.models import Scenario
    from equisante.allocation.views import export_frame, export_notes
    from equisante.territories.models import Territory

    if reference:
        scenario = _scenario(reference)
    else:
        if total is None:
            raise CommandError("Indiquer --total (ou --scenario).")
        kind, _sep, code = (measure or "").partition(":")
        scenario = Scenario(resource=resource, total=total, unit=unit, level=level, weighting=weighting,
                            measure_kind=kind if code else "", measure=code, gradient_high=high, gradient_low=low,
                            floor=bound(floor), cap=bound(cap), applies_on=when)
        if area:
            area_level, _sep, area_code = area.partition(":")
            scenario.area = Territory.objects.filter(level=area_level, code=area_code).order_by("-vintage").first()
            if scenario.area is None:
                raise CommandError(f"Territoire inconnu : {area}.")
        try:
            scenario.adjustments = [a.to_dict() for a in parse_adjustments("\n".join(adjust), level)]
        except django_forms.ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
    try:
        result = build(scenario)
    except EquisanteError as exc:
        _fail(exc)
    if save:
        scenario.name = save
        scenario.save()
        click.echo(f"Scénario « {save} » enregistré (n° {scenario.pk}).", err=True)
    tables = {"allocation": export_frame(result)}
    if len(result.classes):
        tables["quintiles"] = result.classes
    _write(tables, output, export_notes(result))
    share = result.summary["most_deprived_share"]
    if share == share:  # not NaN
        click.echo(f"Part du quintile le plus défavorisé : {100 * share:.1f} % (part égale par habitant : "
                   f"{100 * result.flat_summary['most_deprived_share']:.1f} %).".replace(".", ","), err=True)


@allocation.command("compare")
@click.argument("first")
@click.argument("second")
@output_option(default=None, help="Fichier CSV, XLSX ou ODS de la comparaison territoire par territoire.")
def compare_command(first: str, second: str, output: str | None) -> None:
    """Comparer deux scénarios enregistrés (nom ou numéro) : qui gagne, qui perd, part du quintile le
    plus défavorisé et indice de concentration de chacun."""
    setup_django()
    from equisante.allocation.building import build
    from equisante.allocation.comparison import compare
    from equisante.errors import EquisanteError

    a, b = _scenario(first), _scenario(second)
    try:
        ra, rb = build(a), build(b)
    except EquisanteError as exc:
        _fail(exc)
    table = compare(ra.frame, rb.frame)
    for scenario, result in ((a, ra), (b, rb)):
        ci = result.summary["concentration_per_capita"] or {}
        click.echo(f"{scenario.name} : quintile le plus défavorisé {100 * result.summary['most_deprived_share']:.1f} %"
                   f", indice de concentration par habitant {ci.get('value', float('nan')):.3f} "
                   f"[{ci.get('lower', float('nan')):.3f} ; {ci.get('upper', float('nan')):.3f}]".replace(".", ","),
                   err=True)
    more = int((table['difference'] > 0).sum())
    click.echo(f"{plural(more, 'territoire reçoit', 'territoires reçoivent')} plus dans « {b.name} », "
               f"{int((table['difference'] < 0).sum())} moins.", err=True)
    if output:
        _write({"comparaison": table}, output)


@allocation.command("grants")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def grants_command(file: Path) -> None:
    """Importer des subventions versées (colonnes code, niveau, annee, programme, financeur, montant,
    reference, note). Tout ou rien ; réimporter le même fichier ne change rien."""
    setup_django()
    from equisante.allocation.services import import_grants
    from equisante.errors import EquisanteError

    try:
        added = import_grants(file, file.name)
    except EquisanteError as exc:
        _fail(exc)
    click.echo(f"{file.name} : {plural(added, 'subvention ajoutée', 'subventions ajoutées')}.")
