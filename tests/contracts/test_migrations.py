"""The models and their migrations agree; the error catalogue entries of the area are declared."""

from __future__ import annotations

import io

from django.core.management import call_command

from equisante.errors import catalogue


def test_no_missing_migration(db):
    out = io.StringIO()
    call_command("makemigrations", "contracts", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_error_codes_are_declared_in_french():
    codes = {k.code: k for k in catalogue()}
    for code in ("contract_sheet_stale", "contract_import_forbidden", "contract_code_invalid", "contract_unknown",
                 "contract_status_unknown", "contract_sheet_invalid", "contract_user_unknown"):
        assert code in codes and codes[code].title
