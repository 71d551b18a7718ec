from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="withholding_threshold",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True,
                help_text="Seuil avec lequel les décisions de secret statistique des valeurs ont été prises.",
                verbose_name="seuil du secret statistique appliqué"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="withholding_updated_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="secret statistique décidé le"),
        ),
        migrations.AddField(
            model_name="value",
            name="withheld",
            field=models.CharField(
                blank=True, default="", db_default="", editable=False, max_length=10,
                choices=[("", "publiée"), ("primary", "secret primaire"), ("secondary", "secret secondaire")],
                verbose_name="secret statistique"),
        ),
    ]
