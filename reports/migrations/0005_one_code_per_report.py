"""Each issued report has a verification code of its own, and its kind is one of the kinds there are. Until now the code was a checksum of what a
report said, so a plan's progress report and its overdue bulletin of the same day shared one: such a
shared code told no document apart, and is cleared (a code printed on one of them is then unknown,
not wrongly matched). A code that only one report carries stays, and is still verified."""

from django.db import migrations, models
from django.db.models import Count


def clear_shared_codes(apps, schema_editor):
    GeneratedReport = apps.get_model("reports", "GeneratedReport")
    shared = (
        GeneratedReport.objects.exclude(code="")
        .values("code")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("code", flat=True)
    )
    GeneratedReport.objects.filter(code__in=list(shared)).update(code="")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_report_params"),
    ]

    operations = [
        migrations.AlterField(
            model_name="generatedreport",
            name="kind",
            field=models.CharField(
                choices=[
                    ("progress", "progress report"),
                    ("overdue", "overdue bulletin"),
                    ("unit", "unit report"),
                    ("dossier", "task dossier"),
                    ("ledger", "work ledger (Excel or CSV)"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        # The cleared codes cannot be told apart again: going back leaves them cleared.
        migrations.RunPython(clear_shared_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="generatedreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code", ""), _negated=True), fields=("code",), name="generated_report_code_unique"
            ),
        ),
    ]
