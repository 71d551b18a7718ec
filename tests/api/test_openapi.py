"""The OpenAPI description is valid and complete; the interactive documentation is French, served
from this site only, and runs without inline script."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_description_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_operation_documents_its_errors_with_the_french_body(spec):
    operations = [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 18
    for path, method, op in operations:
        responses = {str(k) for k in op["responses"]}
        assert {"400", "401", "404", "429"} <= responses, (path, method)
        if method != "get":
            assert "403" in responses, (path, method)
        else:
            assert "304" in responses, (path, method)
        assert op["summary"] and op.get("tags"), (path, method)
        error = op["responses"]["429"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ErrorOut"}
    assert set(spec["components"]["schemas"]["ErrorOut"]["properties"]) >= {"status", "code", "title", "detail"}
    values = spec["paths"]["/api/indicateurs/{code}/valeurs"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/csv", "application/geo+json"} <= set(values)
    assert spec["components"]["securitySchemes"]["jeton"]["scheme"] == "bearer"
    assert spec["paths"]["/api/contrats"]["get"]["security"] == [{}, {"jeton": []}]


def test_the_resources_asked_for_are_there(spec):
    paths = set(spec["paths"])
    for path in ("/api/niveaux", "/api/territoires", "/api/territoires/{level}/{code}", "/api/indicateurs",
                 "/api/indicateurs/{code}", "/api/indicateurs/{code}/valeurs", "/api/indices",
                 "/api/indices/{code}/classes", "/api/regles", "/api/contrats", "/api/contrats/{code}",
                 "/api/contrats/{code}/fiches", "/api/contrats/{code}/fiches/{sheet}", "/api/grille",
                 "/api/portefeuille/{table}", "/api/imports/valeurs", "/api/grille/suggestions"):
        assert path in paths, path


def test_the_documentation_page_is_french_local_and_without_inline_script(client, db):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="fr">' in html
    assert "Documentation de l'API" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [s for s in sources if s.startswith(("http://", "https://", "//"))], sources
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all('src="' in attributes and not body.strip() for attributes, body in scripts)
    for static in ("/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui.css", "/static/api/docs.js"):
        assert client.get(static).status_code == 200, static
    assert "Essayer" in client.get("/static/api/docs.js").getvalue().decode()
    policy = response.get("Content-Security-Policy", "")
    if policy:  # django-csp installed: no inline script allowed on this page either
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_each_schema_name_is_used_once():
    """The description names its schemas after the classes: two classes of one name would silently share
    one schema (the second overwriting the first) and answers would break it."""
    import importlib
    import pkgutil

    from ninja import Schema

    import equisante.api.endpoints as endpoints

    seen: dict[str, str] = {}
    for info in pkgutil.iter_modules(endpoints.__path__):
        module = importlib.import_module(f"equisante.api.endpoints.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                assert name not in seen, f"schéma « {name} » défini dans {seen[name]} et {module.__name__}"
                seen[name] = module.__name__
    assert {"ScenarioOut", "CallOut", "GrantOut", "ProjectOut"} <= set(seen)


def test_allocation_and_calls_are_described_with_their_french_tags(spec):
    tags = {path: op["tags"] for path, ops in spec["paths"].items() for op in ops.values()}
    for path in ("/api/allocation/scenarios", "/api/allocation/scenarios/{scenario_id}",
                 "/api/allocation/scenarios/{scenario_id}/territoires", "/api/allocation/subventions"):
        assert tags[path] == ["Allocation"], path
    for path in ("/api/appels", "/api/appels/{code}", "/api/appels/{code}/projets"):
        assert tags[path] == ["Appels à projets"], path
    amounts = spec["paths"]["/api/allocation/scenarios/{scenario_id}/territoires"]["get"]["responses"]
    assert amounts["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert "text/csv" in amounts["200"]["content"]
    assert {t["name"] for t in spec["tags"]} >= {"Allocation", "Appels à projets"}
    # the indices' computed results keep their own schema
    assert "level" in spec["components"]["schemas"]["ResultOut"]["properties"]
