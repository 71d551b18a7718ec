"""No page or export lists what a role may not see: a départemental referent of Ain reads nothing of
the unpublished contract of the Rhône (code, name, sheets), even where an actor they may edit is used
by that contract (the actor's page listed its code)."""

from __future__ import annotations

import io

import pytest

from equisante.contracts.models import Actor
from equisante.territories.models import Territory

pytestmark = pytest.mark.django_db

SECRETS = ("CLS-69-AFF", "CLS d'Affoux", "CLS d&#x27;Affoux", "Diagnostic local de santé partagé")


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # a workbook: every cell's text
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    if content[:4] == b"%PDF":
        return ""  # the PDF is made from the same presentation as the HTML report checked below
    return content.decode("utf-8", errors="replace")


def pages(registry) -> list[str]:
    urls = ["/", "/contrats/", "/contrats/acteurs/", "/contrats/grille/", "/contrats/export/?format=csv",
            "/contrats/export/?format=xlsx", "/profils/", "/profils/?format=html", "/profils/?format=xlsx",
            "/contrats/CLS-01-VEY/", "/contrats/CLS-01-VEY/historique/", "/profils/CLS-01-VEY/",
            "/profils/CLS-01-VEY/?format=html", "/travaux/", "/travaux/importer/", "/compte/", "/priorisation/",
            "/actions/", "/bilans/", "/dispositifs/", "/contrats/CLS-01-VEY/bilan/", "/portraits/",
            "/territoires/"]
    urls += [f"/contrats/acteurs/{pk}/modifier/" for pk in Actor.objects.values_list("pk", flat=True)]
    for territory in Territory.objects.all():
        urls += [f"/territoires/{territory.level}/{territory.code}/",
                 f"/portraits/{territory.code}/?niveau={territory.level}"]
    return urls


def test_a_referent_reads_nothing_of_an_unpublished_contract_of_another_departement(client, registry):
    hidden = registry["contracts"]["CLS-69-AFF"]
    shared = registry["actors"]["CPAM de l'Ain"]
    hidden.signatories.add(shared)
    sheet = registry["sheets"]["FA-1"]
    sheet.lead = shared
    sheet.save()
    client.force_login(registry["users"]["referent01"])
    seen = 0
    for url in pages(registry):
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        text = text_of(response)
        for secret in SECRETS:
            assert secret not in text, f"{url} mentions « {secret} »"
    assert seen > 20
    # the actor page still says that the change reaches contracts outside the referent's perimeter
    page = client.get(f"/contrats/acteurs/{shared.pk}/modifier/").content.decode()
    assert "CLS-01-VEY" in page and "hors de votre périmètre" in page
    # and the hidden contract itself answers 404
    assert client.get("/contrats/CLS-69-AFF/").status_code == 404
    assert client.get("/profils/CLS-69-AFF/").status_code == 404


def test_the_administrator_does_see_it(client, registry):
    client.force_login(registry["users"]["admin"])
    assert "CLS-69-AFF" in client.get("/contrats/").content.decode()
    assert "CLS-69-AFF" in text_of(client.get("/contrats/export/?format=csv"))
