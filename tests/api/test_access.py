"""Who sees what: anonymous callers see what public pages show; a personal token sees what its owner
may see; a revoked token is refused; tokens are kept hashed and managed on the account page."""

from __future__ import annotations

import pytest

from equisante.api.models import ApiToken

from .helpers import COORDINATOR, bearer, contracts, user_with_token

pytestmark = pytest.mark.django_db


def test_unpublished_contracts_are_invisible_without_a_token(client, sample):
    made = contracts(sample)
    listing = client.get("/api/contrats").json()
    assert [c["code"] for c in listing["results"]] == ["CLS-PUB"]
    for url in ("/api/contrats/CLS-PRIVE", "/api/contrats/CLS-PRIVE/fiches", "/api/contrats/CLS-PRIVE/fiches/FA-9.9"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "api_not_found"
        assert "Contrat en préparation secret" not in response.content.decode()
    table = client.get("/api/portefeuille/thematiques").json()
    assert table["contracts"] == ["CLS-PUB"] and table["n_sheets"] == 1
    # the public page agrees
    assert client.get(f"/contrats/{made['hidden'].code}/").status_code == 404


def test_a_token_sees_what_its_owner_may_see(client, sample):
    made = contracts(sample)
    _user, _token, clear = user_with_token("coord", role=COORDINATOR, contract=made["hidden"])
    listing = client.get("/api/contrats", **bearer(clear)).json()
    assert [c["code"] for c in listing["results"]] == ["CLS-PRIVE", "CLS-PUB"]
    sheets = client.get("/api/contrats/CLS-PRIVE/fiches", **bearer(clear)).json()
    assert [s["code"] for s in sheets["results"]] == ["FA-9.9"]
    # someone else's token does not
    _other, _t, other = user_with_token("autre")
    assert client.get("/api/contrats/CLS-PRIVE", **bearer(other)).status_code == 404


def test_a_revoked_token_is_refused(client, sample):
    made = contracts(sample)
    _user, token, clear = user_with_token("coord", role=COORDINATOR, contract=made["hidden"])
    assert client.get("/api/contrats/CLS-PRIVE", **bearer(clear)).status_code == 200
    token.revoke()
    response = client.get("/api/contrats/CLS-PRIVE", **bearer(clear))
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "api_token_invalid" and "révoqué" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    # even on public data: a refused token is not silently treated as anonymous
    assert client.get("/api/indicateurs", **bearer(clear)).status_code == 401
    assert client.get("/api/indicateurs", **bearer("eqs_inconnu")).status_code == 401


def test_tokens_are_created_shown_once_hashed_and_revoked_on_the_account_page(client, sample, django_user_model):
    user = django_user_model.objects.create_user("analyste", password="un-mot-de-passe-assez-long")
    client.force_login(user)
    page = client.post("/compte/jetons/", {"action": "create", "name": "tableau de bord R"})
    assert page.status_code == 200
    text = page.content.decode()
    token = ApiToken.objects.get(user=user)
    start = text.index('id="new-token">') + len('id="new-token">')
    clear = text[start:text.index("</code>", start)]
    assert clear.startswith("eqs_") and len(clear) > 30
    # hashed at rest: the clear token is stored nowhere
    assert clear not in (token.key_digest, token.prefix) and len(token.key_digest) == 64
    assert client.get("/compte/jetons/").content.decode().count(clear) == 0  # shown once only
    client.logout()
    assert client.get("/api/contrats", **bearer(clear)).status_code == 200
    client.force_login(user)
    client.post("/compte/jetons/", {"action": "revoke", "token": token.pk})
    client.logout()
    assert client.get("/api/contrats", **bearer(clear)).status_code == 401


def test_one_cannot_revoke_someone_elses_token(client, sample, django_user_model):
    _owner, token, clear = user_with_token("proprietaire")
    intruder = django_user_model.objects.create_user("intrus", password="un-mot-de-passe-assez-long")
    client.force_login(intruder)
    assert client.post("/compte/jetons/", {"action": "revoke", "token": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.active


def test_the_account_page_needs_a_login(client, db):
    response = client.get("/compte/jetons/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_answers_given_to_a_token_never_reach_the_anonymous_page_cache(client, sample, settings):
    settings.EQUISANTE_PAGE_CACHE_SECONDS = 600
    from django.core.cache import caches

    caches["pages"].clear()
    made = contracts(sample)
    _user, token, clear = user_with_token("coord", role=COORDINATOR, contract=made["hidden"])
    private = client.get("/api/contrats", **bearer(clear)).json()
    assert "CLS-PRIVE" in [c["code"] for c in private["results"]]
    public = client.get("/api/contrats").json()
    assert [c["code"] for c in public["results"]] == ["CLS-PUB"]
    # a public answer now in the cache is not given to a token holder, nor to a revoked token
    assert "CLS-PRIVE" in [c["code"] for c in client.get("/api/contrats", **bearer(clear)).json()["results"]]
    token.revoke()
    assert client.get("/api/contrats", **bearer(clear)).status_code == 401
