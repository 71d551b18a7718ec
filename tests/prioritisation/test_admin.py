"""The admin of definitions and rules: pages render, invalid entries are refused with French messages."""

from __future__ import annotations

import pytest

from equisante.prioritisation.admin import IndexDefinitionForm, PriorityRuleForm


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chef", password="un-mot-de-passe-assez-long")
    client.force_login(user)
    return client


def test_admin_pages(admin_client, data):
    for url in ("/admin/prioritisation/indexdefinition/", "/admin/prioritisation/priorityrule/",
                "/admin/prioritisation/priorityrule/add/", "/admin/prioritisation/indexresult/"):
        assert admin_client.get(url).status_code == 200


def test_definition_form_checks_inputs(data):
    form = IndexDefinitionForm(data={
        "code": "x", "label": "X", "method": "fdep", "inputs": '{"income": "t-revenu"}', "parameters": "{}",
        "base_level": "commune", "aggregation": "weighted_mean"})
    assert not form.is_valid()
    assert "entrées sans indicateur : bac_share, blue_collar_share, unemployment" in str(form.errors)


def test_rule_form_checks_dates(data):
    form = PriorityRuleForm(data={
        "code": "r", "label": "R", "policy": "r", "index": data["definitions"]["idh2"].pk, "kind": "threshold",
        "operator": "<", "threshold": "0.52", "valid_from": "2016-01-01", "valid_to": "2011-01-01"})
    assert not form.is_valid()
    assert "la fin de validité précède le début" in str(form.errors)
