"""Download of the import templates (« modèles », :mod:`equisante.import_templates`): public, they hold
no data, only the French headers and one fictional example row."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from equisante.import_templates import template_file
from equisante.portal.exporting import attachment


def download_template(request, key: str, fmt: str):
    try:
        name, data, content_type = template_file(key, fmt)
    except KeyError:
        raise Http404(_("Modèle introuvable.")) from None
    return attachment(data, content_type, name)
