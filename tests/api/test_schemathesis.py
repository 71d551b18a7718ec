"""Property-based testing of every GET operation against the demonstration data (schemathesis).

The demonstration region (a small one, to keep the test short) is loaded, then schemathesis
generates requests for each GET operation from the OpenAPI description and checks every answer:
no server error, status code documented, content type documented, body conforming to its schema.
The number of examples per operation is bounded (``EQUISANTE_SCHEMATHESIS_EXAMPLES``, default 25).
"""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
EXAMPLES = int(os.environ.get("EQUISANTE_SCHEMATHESIS_EXAMPLES", "25"))


@pytest.fixture
def demo(db, settings, tmp_path):
    from equisante.demo.generator import generate_region
    from equisante.demo.loading import load_region

    settings.EQUISANTE_API_RATE_LIMIT = 0
    settings.DATA_DIR = tmp_path
    load_region(generate_region(seed=3, n_departements=2, n_communes=24))


def test_every_get_operation_conforms_to_the_description(demo):
    _served(_run)


def test_allocation_and_calls_conform_with_a_token(demo):
    """The operations that need a token (allocation) or read the demonstration's decided call, called
    with a personal token: generated requests, then the saved scenarios and the decided call themselves."""
    from django.contrib.auth import get_user_model

    from equisante.allocation.models import Scenario
    from equisante.api.models import ApiToken
    from equisante.calls.models import Call

    user = get_user_model().objects.create_user("schemathesis", password="un-mot-de-passe-assez-long")
    _token, clear = ApiToken.issue(user, "schemathesis")
    headers = {"Authorization": f"Bearer {clear}"}
    scenarios = list(Scenario.objects.values_list("pk", flat=True))
    calls = list(Call.objects.filter(state__in=("decide", "archive")).values_list("code", flat=True))
    assert scenarios and calls  # the demonstration has both

    def run(app):
        _run(app, prefixes=("/api/allocation", "/api/appels"), headers=headers, minimum=7,
             known={"scenario_id": scenarios, "code": calls})

    _served(run)


def _served(run):
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    app = get_wsgi_application()
    # as Django's test client does: requests must not close the test's database connection (PostgreSQL)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        run(app)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(app, *, prefixes=("/api/",), headers=None, minimum=14, known=None):
    from hypothesis import HealthCheck, given, settings as hypothesis_settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance, response_headers_conformance, response_schema_conformance,
        status_code_conformance,
    )

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
              response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    gets = [op for op in operations if op.method.upper() == "GET" and op.path.startswith(prefixes)]
    assert len(gets) >= minimum
    for operation in gets:
        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                             suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers, checks=checks)

        check()
        # the resources that exist, in each representation (generated identifiers rarely hit one)
        names = [n for n in (known or {}) if "{" + n + "}" in operation.path]
        for name in names:
            for value in known[name]:
                for query in ({}, {"format": "csv"}, {"decision": "toutes"}):
                    if not all(_accepts(operation, key) for key in query):
                        continue
                    case = operation.Case(path_parameters={name: value}, query=query)
                    response = case.call_and_validate(headers=headers, checks=checks)
                    assert response.status_code == 200, (operation.path, value, query, response.text[:300])


def _accepts(operation, parameter: str) -> bool:
    return any(p.name == parameter for p in operation.query)
