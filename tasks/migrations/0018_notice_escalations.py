"""A notice's escalations become records of their own, and the notice keeps the grade it was issued at.

Escalation used to overwrite the grade in place, so the issuing entry read as the last grade. The
grade at issue is read back from the notice's first history record (its creation, which history
kept); an escalated notice gets one escalation record, its last, from what the notice holds (the
earlier raises of a notice raised twice were not kept anywhere)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


# An unanswered notice moves up one grade: the grade before each.
RAISED_FROM = {"yellow": "blue", "red": "yellow"}


def backfill(apps, schema_editor):
    notices = apps.get_model("tasks", "SupervisionNotice")
    history = apps.get_model("tasks", "HistoricalSupervisionNotice")
    escalations = apps.get_model("tasks", "NoticeEscalation")
    first = {}
    for notice_id, grade in history.objects.order_by("id", "history_date", "history_id").values_list("id", "grade"):
        first.setdefault(notice_id, grade)
    for notice in notices.objects.all():
        notice.issued_grade = first.get(notice.pk, notice.grade)
        notice.save(update_fields=["issued_grade"])
        if notice.escalated_at and notice.grade in RAISED_FROM:
            escalations.objects.create(
                notice=notice,
                from_grade=RAISED_FROM[notice.grade],
                to_grade=notice.grade,
                respond_by=notice.respond_by,
                escalated_at=notice.escalated_at,
            )


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0017_history_reasons_as_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsupervisionnotice',
            name='issued_grade',
            field=models.CharField(choices=[('blue', 'Blue: deadline near'), ('yellow', 'Yellow: behind schedule or poor quality'), ('red', 'Red: overdue')], default='blue', max_length=10, verbose_name='grade at issue'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='supervisionnotice',
            name='issued_grade',
            field=models.CharField(choices=[('blue', 'Blue: deadline near'), ('yellow', 'Yellow: behind schedule or poor quality'), ('red', 'Red: overdue')], default='blue', max_length=10, verbose_name='grade at issue'),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name='NoticeEscalation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_grade', models.CharField(choices=[('blue', 'Blue: deadline near'), ('yellow', 'Yellow: behind schedule or poor quality'), ('red', 'Red: overdue')], max_length=10, verbose_name='from')),
                ('to_grade', models.CharField(choices=[('blue', 'Blue: deadline near'), ('yellow', 'Yellow: behind schedule or poor quality'), ('red', 'Red: overdue')], max_length=10, verbose_name='to')),
                ('respond_by', models.DateField(verbose_name='respond by')),
                ('escalated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='escalated at')),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='escalations', to='tasks.supervisionnotice', verbose_name='supervision notice')),
            ],
            options={
                'verbose_name': 'notice escalation',
                'verbose_name_plural': 'notice escalations',
                'ordering': ['escalated_at', 'pk'],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
