"""The platform's own reasons for a change were kept in the history in the words of whoever's language
was active (编辑, 工作人员分配, 工作人员移除); they are kept as codes now (tasks.choices.ChangeReason) and
shown in the reader's language. The old words are turned into their codes."""

from django.db import migrations

AS_SAVED = {"编辑": "edited", "工作人员分配": "assigned by staff", "工作人员移除": "removed by staff"}
HISTORIES = ("HistoricalTask", "HistoricalMilestone", "HistoricalAssignment")


def to_codes(apps, schema_editor):
    for name in HISTORIES:
        model = apps.get_model("tasks", name)
        for words, code in AS_SAVED.items():
            model.objects.filter(history_change_reason=words).update(history_change_reason=code)


def to_words(apps, schema_editor):
    for name in HISTORIES:
        model = apps.get_model("tasks", name)
        for words, code in AS_SAVED.items():
            model.objects.filter(history_change_reason=code).update(history_change_reason=words)


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0016_report_month_ascii_digits"),
    ]

    operations = [migrations.RunPython(to_codes, to_words)]
