"""Write docs/errors.md from the error catalogue (run after adding an error code)."""

from pathlib import Path

from equisante.errors import catalogue

lines = [
    "# Catalogue des erreurs",
    "",
    "Chaque erreur signalée par equisante a un code stable, un titre et un message en français.",
    "Un import refusé (`input_rejected`) liste chaque problème avec sa position (fichier, ligne,",
    "objet, colonne) ; rien n'est importé tant qu'il reste un problème.",
    "",
    "Ce fichier est produit par `python scripts/document_errors.py`.",
    "",
    "| code | titre | message |",
    "|---|---|---|",
]
for kind in catalogue():
    template = kind.template.replace("|", "\\|")
    lines.append(f"| `{kind.code}` | {kind.title} | {template} |")
Path(__file__).resolve().parent.parent.joinpath("docs", "errors.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
