"""``equisante indices``: define, compute and export composite indices; manage prioritisation rules.

Thin wrappers over :mod:`equisante.prioritisation` (which itself calls :mod:`equisante.indices`)::

    equisante indices list
    equisante indices define indices.yaml
    equisante indices compute --index idh2 --index fdep --level commune --level epci [--period 2021]
    equisante indices export --index idh2 --level commune [--rule cls-idh2] [--on 2014-02-17] -o idh2.xlsx
    equisante indices rules list | add | quantiles | except | remove
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from equisante.cli import setup_django
from equisante.cli.french import fail, group, option
from equisante.cli.options import (format_option, plural, index_option, level_option, output_option, period_option,
                                   table_format, threshold_option, write_table)
from equisante.errors import EquisanteError


_fail = fail


@group(name="indices")
def indices() -> None:
    """Indices composites (IDH-2, FDep, EDI, indices définis par l'utilisateur) et règles de priorisation."""


@indices.command(name="list")
def list_indices() -> None:
    """Lister les indices définis, leurs indicateurs et les résultats calculés."""
    setup_django()
    from equisante.prioritisation.definitions import indicator_codes
    from equisante.prioritisation.models import IndexDefinition

    definitions = list(IndexDefinition.objects.order_by("code").prefetch_related("results"))
    if not definitions:
        click.echo("Aucun indice défini (voir « equisante indices define » ou « equisante demo »).")
        return
    for definition in definitions:
        direction = "plus élevé = plus défavorisé" if definition.higher_is_worse else "plus élevé = mieux"
        click.echo(f"{definition.code} — {definition.label} [{definition.method}, {direction}]")
        inputs = definition.inputs
        pairs = ([(e.get("direction", ""), e["indicator"]) for e in inputs] if isinstance(inputs, list)
                 else list(indicator_codes(definition.method, inputs).items()))
        for role, code in pairs:
            click.echo(f"    {role} ← {code}")
        for result in sorted(definition.results.all(), key=lambda r: (r.level, r.period)):
            click.echo(f"    calculé : niveau {result.level}, période {result.period}, "
                       f"{plural(result.territories, 'territoire')} (+{result.territories_missing} sans valeur), le "
                       f"{result.computed_at:%Y-%m-%d %H:%M}")


@indices.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def define(file: Path) -> None:
    """Définir ou remplacer des indices et des règles depuis un fichier YAML (tout ou rien).

    Format : docs/prioritisation.md (listes « indices » et « rules »).
    """
    setup_django()
    from equisante.errors import EquisanteError
    from equisante.prioritisation.configuration import apply

    try:
        count_indices, count_rules = apply(file)
    except EquisanteError as exc:
        _fail(exc)
    click.echo(f"{plural(count_indices, 'indice')} et {plural(count_rules, 'règle')} enregistrés depuis {file}.")


@indices.command()
@index_option("--index", "codes", multiple=True,
              help="Code de l'indice (idh2, fdep, edi ou un indice défini) ; répétable. Par défaut : tous.")
@level_option("--level", "levels", multiple=True, default=("commune",), show_default=True,
              help="Niveau territorial (commune, epci, departement, region, qpv, zone, iris) ; répétable.")
@period_option(help="Année de référence (ex. 2021) ; par défaut la plus récente couverte par "
                               "toutes les données de l'indice.")
def compute(codes: tuple[str, ...], levels: tuple[str, ...], period: str | None) -> None:
    """Calculer des indices depuis les indicateurs importés et enregistrer les résultats.

    Aux niveaux supérieurs au niveau de base, les valeurs sont les moyennes des communes pondérées
    par la population (sauf indice défini en calcul direct).
    """
    setup_django()
    from equisante.errors import EquisanteError
    from equisante.prioritisation.computing import compute_levels, get_definition
    from equisante.prioritisation.models import IndexDefinition

    try:
        definitions = [get_definition(c) for c in codes] or list(IndexDefinition.objects.order_by("code"))
        if not definitions:
            raise EquisanteError("prioritisation_index_unknown", code="(aucun)", known="aucun")
        for definition in definitions:
            for level, result in compute_levels(definition, levels, period).items():
                periods = ", ".join(f"{c} {p}" for c, p in result.input_periods.items())
                click.echo(f"{definition.code} — niveau {level}, période {result.period} : {result.territories} "
                           f"{'territoire calculé' if result.territories < 2 else 'territoires calculés'}, {result.territories_missing} sans valeur (données : {periods}).")
    except EquisanteError as exc:
        _fail(exc)


@indices.command(name="export")
@index_option(required=True)
@level_option(default="commune", show_default=True)
@period_option(help="Période de référence ; par défaut la plus récente calculée.")
@option("--rule", "rule_code", metavar="CODE", help="Code de la règle ; par défaut la règle de référence de "
                                                    "l'indice ; « aucune » pour un simple classement.")
@option("--on", "on", metavar="AAAA-MM-JJ", help="Date d'application de la règle ; par défaut aujourd'hui.")
@threshold_option(help="Simuler un autre seuil pour la règle en vigueur.")
@format_option()
@output_option()
def export(code: str, level: str, period: str | None, rule_code: str | None, on: str | None,
           threshold: float | None, fmt: str | None, output: str) -> None:
    """Exporter le classement des territoires (rang, valeur, classe, éligibilité, motif) en CSV, XLSX ou ODS."""
    setup_django()
    from datetime import date

    from equisante.prioritisation.classing import classify
    from equisante.prioritisation.computing import check_level, get_definition
    from equisante.prioritisation.exporting import EXPORT_DESCRIPTIONS, export_frame, export_notes
    from equisante.prioritisation.results import latest_result, primary_rule
    from equisante.prioritisation.rules import get_rule

    fmt = table_format(fmt, None if output == "-" else output)
    if output == "-" and fmt != "csv":
        raise click.UsageError(f"Le format {fmt.upper()} s'écrit dans un fichier, pas sur la sortie standard : "
                               f"préciser -o FICHIER.{fmt}.")
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise click.BadParameter(f"« {on} » n'est pas une date (AAAA-MM-JJ).", param_hint="« --on »") from None
    definition = get_definition(code)
    check_level(level)
    result = latest_result(definition, level, period)
    if result is None:
        raise EquisanteError("prioritisation_result_missing", index=definition.code, level=level,
                             period_text=f" pour la période {period}" if period else "")
    rule = None if rule_code == "aucune" else (get_rule(rule_code) if rule_code else primary_rule(definition))
    classification = classify(result, rule, on=day, threshold=threshold)
    if classification.error:
        click.echo(f"Attention : {classification.error}", err=True)
    table = export_frame(classification.rows, result, classification, day)
    write_table(table, output, fmt, columns=EXPORT_DESCRIPTIONS, notes=export_notes(result, classification, day),
                unit=("territoire écrit", "territoires écrits"))


# --- rules ------------------------------------------------------------------------------------------

@indices.group(name="rules")
def rules_group() -> None:
    """Règles de priorisation : seuils datés avec exceptions, classes de quantiles."""


@rules_group.command(name="list")
@index_option(help="Seulement les règles de cet indice.")
def rules_list(code: str | None) -> None:
    """Lister les règles, leurs périodes de validité et leurs exceptions."""
    setup_django()
    from equisante.prioritisation.models import PriorityRule

    query = PriorityRule.objects.select_related("index").prefetch_related("exceptions__territory")
    if code:
        query = query.filter(index__code=code)
    found = False
    for rule in query.order_by("index__code", "policy", "valid_from"):
        found = True
        if rule.kind == "threshold":
            period = (f"du {rule.valid_from or '…'} au {rule.valid_to or '…'}")
            text = f"{rule.index.code} {rule.operator} {rule.threshold:g}, {period}"
        else:
            text = f"{rule.classes} classes ({rule.quantile_method}) de {rule.index.code}"
        flags = [f for f, on in (("éligibilité CLS", rule.eligibility), ("règle de référence", rule.primary)) if on]
        click.echo(f"{rule.code} — {rule.label} : {text}" + (f" [{', '.join(flags)}]" if flags else ""))
        for exception in rule.exceptions.all():
            click.echo(f"    exception {exception.territory.code} ({exception.territory.name}) : {exception.reason}")
    if not found:
        click.echo("Aucune règle.")


@rules_group.command(name="add")
@click.argument("code")
@index_option("--index", "index_code", required=True)
@option("--label", required=True, help="Libellé, ex. « IDH-2 < 0,52 ».")
@option("--operator", required=True, type=click.Choice(["<", "<=", ">", ">="]))
@threshold_option(required=True)
@option("--from", "valid_from", help="En vigueur depuis (AAAA-MM-JJ, inclus).")
@option("--to", "valid_to", help="En vigueur jusqu'au (AAAA-MM-JJ, inclus).")
@option("--policy", default="", help="Politique commune aux versions successives (par défaut : CODE).")
@option("--eligibility", is_flag=True, help="La règle décide l'éligibilité à un contrat local de santé.")
@option("--primary", is_flag=True, help="Règle de référence de l'indice (page et portraits).")
@option("--source", default="", help="Source de la règle.")
def rules_add(code, index_code, label, operator, threshold, valid_from, valid_to, policy, eligibility, primary,
              source) -> None:
    """Créer (ou remplacer) une règle de seuil datée CODE."""
    setup_django()
    from equisante.errors import EquisanteError
    from equisante.prioritisation.computing import get_definition
    from equisante.prioritisation.rules import save_rule

    try:
        rule = save_rule(get_definition(index_code), code=code, label=label, operator=operator, threshold=threshold,
                         valid_from=valid_from, valid_to=valid_to, policy=policy, eligibility=eligibility,
                         primary=primary, source=source)
    except EquisanteError as exc:
        _fail(exc)
    click.echo(f"Règle {rule.code} enregistrée : {rule.label}.")


@rules_group.command(name="quantiles")
@click.argument("code")
@index_option("--index", "index_code", required=True)
@option("--label", required=True, help="Libellé, ex. « Quintiles de FDep ».")
@option("--classes", default=5, show_default=True, type=int, help="Nombre de classes (2 à 10).")
@option("--method", default="weighted", show_default=True, type=click.Choice(["weighted", "phe"]),
              help="weighted : même population par classe ; phe : même nombre de territoires (méthode PHE).")
@option("--primary", is_flag=True, help="Règle de référence de l'indice.")
def rules_quantiles(code, index_code, label, classes, method, primary) -> None:
    """Créer (ou remplacer) une règle de classes de quantiles CODE (classe 1 = plus défavorisée)."""
    setup_django()
    from equisante.errors import EquisanteError
    from equisante.prioritisation.computing import get_definition
    from equisante.prioritisation.rules import save_rule

    try:
        rule = save_rule(get_definition(index_code), code=code, label=label, kind="quantile", classes=classes,
                         quantile_method=method, primary=primary)
    except EquisanteError as exc:
        _fail(exc)
    click.echo(f"Règle {rule.code} enregistrée : {rule.label}.")


@rules_group.command(name="except")
@click.argument("rule_code")
@click.argument("territory")
@option("--reason", required=True, help="Motif de l'exception (obligatoire).")
@level_option(default="commune", show_default=True, help="Niveau du territoire.")
@option("--from", "valid_from", help="Exception valable depuis (AAAA-MM-JJ).")
@option("--to", "valid_to", help="Exception valable jusqu'au (AAAA-MM-JJ).")
def rules_except(rule_code, territory, reason, level, valid_from, valid_to) -> None:
    """Admettre le territoire TERRITOIRE (code) au titre de la règle RÈGLE malgré le seuil."""
    setup_django()
    from equisante.errors import EquisanteError
    from equisante.prioritisation.rules import add_exception, find_territory, get_rule

    try:
        exception = add_exception(get_rule(rule_code), find_territory(territory, level), reason, valid_from, valid_to)
    except EquisanteError as exc:
        _fail(exc)
    click.echo(f"Exception enregistrée : {exception.territory} — {exception.reason}.")


@rules_group.command(name="remove")
@click.argument("code")
def rules_remove(code) -> None:
    """Supprimer la règle CODE (et ses exceptions)."""
    setup_django()
    from equisante.errors import EquisanteError
    from equisante.prioritisation.rules import get_rule

    try:
        rule = get_rule(code)
    except EquisanteError as exc:
        _fail(exc)
    rule.delete()
    click.echo(f"Règle {code} supprimée.")
