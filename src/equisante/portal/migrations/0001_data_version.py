from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("portal", "DataVersion").objects.get_or_create(pk=1, defaults={"number": 0})


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "version des données"},
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
