"""Template files offered for download on the import page: the header of each format and one example
line (fictional), in CSV with a BOM so that spreadsheet programs read the accents.

The catalogue, values and action-sheet templates are those of :mod:`equisante.import_templates`
(French headers, « ; », decimal comma; also in XLSX at ``/modeles/<clé>.xlsx``); the COG template
keeps INSEE's own column names (the official format the importer reads)."""

from __future__ import annotations

#: One fictional example line per format, by column (columns absent here are left empty).
EXAMPLES = {
    "catalogue": {"code": "part_65_ans_plus", "label": "Part des 65 ans et plus",
                  "definition": "Habitants de 65 ans ou plus rapportés à la population", "source": "Recensement",
                  "unit": "%", "polarity": "neutral", "multiplier": "100", "numerator_label": "65 ans ou plus",
                  "denominator_label": "habitants", "theme": "démographie", "levels": "commune"},
    "valeurs": {"indicator": "part_65_ans_plus", "level": "commune", "code": "01001", "period": "2021",
                "numerator": "180", "denominator": "850"},
    "fiches": {"contract": "CLS-XX-EXEMPLE", "code": "FA-1.1", "axis": "1. Accès aux droits et aux soins",
               "title": "Permanence d'accès aux droits", "description": "Permanence hebdomadaire en centre social"},
}
COG_HEADER = ["TYPECOM", "COM", "REG", "DEP", "CTCD", "ARR", "TNCC", "NCC", "NCCENR", "LIBELLE", "CAN", "COMPARENT"]
COG_EXAMPLE = ["COM", "01001", "84", "01", "01D", "012", "5", "ABERGEMENT CLEMENCIAT", "Abergement-Clémenciat",
               "L'Abergement-Clémenciat", "0108", ""]
NAMES = {"catalogue": "modele-catalogue-indicateurs.csv", "valeurs": "modele-valeurs-indicateurs.csv",
         "cog": "modele-cog-communes.csv", "fiches": "modele-fiches-action.csv"}


def _header(fmt: str) -> list[str]:
    if fmt == "catalogue":
        from equisante.indicators.reading import CATALOGUE_COLUMNS

        return list(CATALOGUE_COLUMNS)
    if fmt == "valeurs":
        from equisante.indicators.reading import LONG_COLUMNS

        return list(LONG_COLUMNS)
    from equisante.actionsheets import COLUMNS

    return list(COLUMNS)


GEOJSON_EXAMPLE = """{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"code": "01001", "nom": "L'Abergement-Clémenciat"},
  "geometry": {"type": "Polygon", "coordinates": [[[4.90, 46.14], [4.95, 46.14], [4.95, 46.18], [4.90, 46.18], [4.90, 46.14]]]}}
]}
"""


#: Import formats whose template is one of :mod:`equisante.import_templates` (format → template key).
SHARED = {"catalogue": "catalogue", "valeurs": "valeurs", "fiches": "fiches"}


def template_file(fmt: str) -> tuple[str, bytes, str]:
    """(file name, content, content type) of the template of ``fmt``."""
    if fmt in SHARED:
        from equisante.import_templates import template_file as shared

        return shared(SHARED[fmt], "csv")
    if fmt == "territoires":
        return "modele-territoires.geojson", GEOJSON_EXAMPLE.encode("utf-8"), "application/geo+json"
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=",")
    if fmt == "cog":
        writer.writerows([COG_HEADER, COG_EXAMPLE])
    else:
        header = _header(fmt)
        writer.writerow(header)
        writer.writerow([EXAMPLES[fmt].get(column, "") for column in header])
    return NAMES[fmt], ("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
