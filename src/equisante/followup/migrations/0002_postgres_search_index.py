"""On PostgreSQL only: a GIN index on the French full-text vector of the published actions (the
expression the search uses); nothing elsewhere."""

from django.db import migrations

INDEX = "followup_actionentry_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON followup_actionentry "
            "USING gin (to_tsvector('french'::regconfig, COALESCE(folded_text, '')))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_followup_and_public_actions")]
    operations = [migrations.RunPython(create, drop)]
