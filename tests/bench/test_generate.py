"""The benchmark generator makes the shape later benchmarks measure, and can be run again."""

import datetime

import pytest

from bench.generate import MARK, SCALES, Scale, generate, main, reset
from orgs.models import Unit, UnitGroup
from tasks.choices import AssignmentRole
from tasks.models import Assignment, Plan, ProgressReport, Task

pytestmark = pytest.mark.django_db(transaction=True)


def test_scales_are_the_ones_later_issues_measure_against():
    assert {name: (s.tasks, s.units) for name, s in SCALES.items()} == {
        "district": (25, 20),
        "city": (200, 60),
        "province": (1_000, 100),
    }


def test_every_task_goes_to_every_unit_with_one_lead_and_monthly_reports():
    counts = generate("tiny", Scale(tasks=6, units=4, sections=2), months=3)

    assert counts == {"units": 4, "tasks": 6, "milestones": 6, "assignments": 24, "reports": 72}
    plan = Plan.objects.get(title__startswith=MARK)
    assert Task.objects.filter(plan=plan, section__isnull=False).count() == 6
    for task in Task.objects.filter(plan=plan):
        assert task.assignments.filter(role=AssignmentRole.LEAD).count() == 1
        assert task.assignments.count() == 4
    assert set(ProgressReport.objects.values_list("period", flat=True)) == {"2020-01", "2020-02", "2020-03"}
    assert Assignment.objects.values("status").distinct().count() > 1
    assert UnitGroup.objects.get(name__startswith=MARK).units.count() == 4


def test_history_and_report_dates_are_those_of_their_month():
    generate("tiny", Scale(tasks=2, units=2, sections=1), months=2)
    report = ProgressReport.objects.filter(period="2020-02").first()

    assert report.created_at.date() == datetime.date(2020, 2, 1)
    assert report.history.get().history_date == report.created_at
    assert ProgressReport.history.as_of(datetime.datetime(2020, 1, 15, tzinfo=datetime.UTC)).count() == 4
    assert Assignment.history.count() == 4


def test_reset_removes_only_generated_rows(chengtou_company):
    generate("tiny", Scale(tasks=2, units=2, sections=1), months=1)

    reset()

    assert not Plan.objects.exists()
    assert list(Unit.objects.all()) == [chengtou_company]


def test_the_command_refuses_to_generate_a_scale_twice_without_reset(capsys):
    generate("district", Scale(tasks=1, units=1, sections=1), months=1)

    with pytest.raises(SystemExit):
        main(["--scale", "district", "--months", "1"])

    assert "--reset" in capsys.readouterr().err
