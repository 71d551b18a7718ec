"""``equisante grid …``: coding suggestions on the analysis grid and their held-out evaluation, thin
wrappers over :mod:`equisante.grid`.

    equisante grid suggest "Ateliers cuisine pour des familles en situation de précarité"
    equisante grid evaluate tests/grid/fixtures/labelled_actions.jsonl --k 5
"""

from __future__ import annotations

import json

import click

from equisante.errors import EquisanteError
from equisante.cli.french import fail, group, option
from equisante.cli.options import threshold_option

FAMILY_TITLES = {
    "determinants": "Déterminants (sur quoi agit-on ?)",
    "strategies": "Stratégies (comment agit-on ?)",
    "approach": "Type d'approche",
    "themes": "Thèmes de santé",
}


def _fr(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _path(grid, node_id: str) -> str:
    """« Le système de soins › Accessibilité » for D5.1.2 (its ancestors, top first)."""
    return " › ".join(a.label for a in reversed(grid.ancestors(node_id)))


@group(name="grid")
def grid() -> None:
    """Grille d'analyse des fiches-action : suggestions de codage et leur évaluation."""


@grid.command("suggest")
@click.argument("text")
@option("--k", default=5, show_default=True, type=click.IntRange(min=1),
              help="Nombre maximal de propositions par famille.")
@threshold_option(type=click.FloatRange(0, 1), default=None,
              help="Seuil de probabilité en dessous duquel rien n'est proposé (défaut : 0,5).")
@option("--version", "grid_version", default="v1", show_default=True, help="Version de la grille.")
@option("--json", "as_json", is_flag=True, help="Sortie JSON (identifiants, scores, indices).")
def suggest_command(text: str, k: int, threshold: float | None, grid_version: str, as_json: bool) -> None:
    """Proposer des codes pour le texte d'une fiche-action, avec les indices qui les justifient.

    Les propositions sont à valider par une personne."""
    from equisante.grid import load_grid
    from equisante.grid.suggest import Suggester, default_suggester

    try:
        grid_ = load_grid(grid_version)
        suggester = default_suggester(grid_version) if threshold is None else Suggester(grid_, threshold=threshold)
        result = suggester.suggest(text, k=k)
    except EquisanteError as exc:
        fail(exc)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"Suggestions pour : « {result.text} »")
    click.echo(f"(grille {result.grid_version}, seuil {_fr(result.threshold)}, au plus {k} par famille)")
    for family in ("determinants", "strategies", "approach", "themes"):
        click.echo("")
        click.echo(FAMILY_TITLES[family])
        items = getattr(result, family)
        items = [items] if family == "approach" and items else ([] if items is None else items)
        if not items:
            click.echo("  aucune proposition au-dessus du seuil")
        for s in items:
            path = _path(grid_, s.node_id)
            where = f" ({path})" if path else ""
            click.echo(f"  {s.node_id:<10} {s.evidence.label}{where} — {_fr(s.score)}")
            click.echo(f"             {s.evidence.describe()}")
    click.echo("")
    click.echo("Propositions à valider : elles ne remplacent pas le codage par une personne.")


@grid.command("evaluate")
@click.argument("path", metavar="FICHIER.jsonl", type=click.Path(dir_okay=False))
@option("--k", default=5, show_default=True, type=click.IntRange(min=1),
              help="Nombre maximal de propositions par famille.")
@option("--folds", type=click.IntRange(min=2), default=None,
              help="Nombre de blocs de validation croisée (défaut : une action à la fois).")
@threshold_option(type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Seuil de probabilité des propositions.")
@option("--grid-only", is_flag=True,
              help="Ne pas utiliser les actions validées comme voisines (ce que donne la grille seule).")
@option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def evaluate_command(path: str, k: int, folds: int | None, threshold: float, grid_only: bool, as_json: bool) -> None:
    """Évaluer les suggestions sur un fichier d'actions codées (JSON Lines), sans jamais apprendre de
    l'action prédite : précision, rappel et F1 par famille et par niveau de la grille."""
    from equisante.grid.evaluation import evaluate

    try:
        report = evaluate(path, k=k, folds=folds, threshold=threshold, validated_neighbours=not grid_only)
    except EquisanteError as exc:
        fail(exc)
    click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else report.table())
