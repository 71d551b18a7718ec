"""The one way the product writes PDFs (``equisante.pdf.render_pdf``): tagged, PDF/UA-1, French, titled."""

from __future__ import annotations

import re
from pathlib import Path

from pdfcheck import check_accessible_pdf

import equisante
from equisante.pdf import render_pdf

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Portrait de Vaulx (commune 69256)</title>
</head><body><h1>Portrait de Vaulx</h1><h2>Indicateurs</h2><p>Texte.</p>
<table><caption>Valeurs</caption><thead><tr><th scope="col">Indicateur</th><th scope="col">Valeur</th></tr></thead>
<tbody><tr><th scope="row">Chômage</th><td>12,3 %</td></tr></tbody></table>
<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10" width="20" height="10" role="img">
<title>Chômage par quintile</title><desc>Q1 : 15 % ; Q5 : 8 %</desc><rect width="10" height="10"/></svg></figure>
</body></html>"""


def test_render_pdf_writes_a_tagged_titled_french_pdf_with_figure_alternatives():
    reader = check_accessible_pdf(render_pdf(PAGE), title=["Portrait de Vaulx", "69256"], figures=True)
    assert reader.metadata.author == "equisante"


def test_render_pdf_fills_in_a_missing_language_and_title():
    data = render_pdf("<html><body><h1>Note</h1><p>Bonjour</p></body></html>", title="Note pour la décision",
                      description="Résumé")
    reader = check_accessible_pdf(data, title=["Note pour la décision"])
    assert reader.metadata.subject == "Résumé"


def test_every_pdf_goes_through_render_pdf():
    """No other module calls WeasyPrint: every PDF of the product gets the accessibility features."""
    root = Path(equisante.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.name != "pdf.py" and re.search(r"weasyprint|write_pdf\(", path.read_text(encoding="utf-8"))]
    assert offenders == []
