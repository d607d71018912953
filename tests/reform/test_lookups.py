"""``__in_few``: the rows of ``__in`` (a sub-select), written for PostgreSQL as ``= ANY(ARRAY(…))``."""

import pytest
from django.db import connection

from orgs import policy
from tasks.choices import AssignmentRole
from tasks.models import Assignment, ProgressReport, Task
from tests.factories import AssignmentFactory, ProgressReportFactory, TaskFactory


@pytest.fixture
def led_work(chengtou_company, gongre_company):
    led, other = TaskFactory(), TaskFactory()
    AssignmentFactory(task=led, unit=chengtou_company, role=AssignmentRole.LEAD)
    for task in (led, other):
        ProgressReportFactory(assignment=AssignmentFactory(task=task, unit=gongre_company))
    return led, other


@pytest.mark.parametrize(
    ("model", "path"),
    [(Assignment, "task"), (Assignment, "task_id"), (Assignment, "task__id"), (ProgressReport, "assignment__task")],
)
def test_in_few_finds_what_in_finds_on_a_relation_and_on_a_plain_field(led_work, chengtou_company, model, path):
    led = policy.led_tasks(chengtou_company.pk)
    few = model.objects.filter(**{f"{path}__in_few": led})

    assert set(few) == set(model.objects.filter(**{f"{path}__in": led})) != set()
    assert ("= ANY(ARRAY(SELECT" in str(few.query)) == (connection.vendor == "postgresql")


def test_in_few_given_a_list_is_the_plain_in(led_work):
    led, _ = led_work
    few = Assignment.objects.filter(task__in_few=[led.pk])

    assert set(few) == set(Assignment.objects.filter(task=led)) and "ANY(ARRAY" not in str(few.query)


def test_a_reporters_work_is_its_units_and_its_led_tasks_asked_as_a_short_list(led_work, chengtou_reporter):
    led, _ = led_work
    visible = Assignment.objects.visible_to(chengtou_reporter)

    assert {a.task for a in visible} == {led}
    assert {r.assignment.task for r in ProgressReport.objects.visible_to(chengtou_reporter)} == {led}
    assert set(Task.objects.visible_to(chengtou_reporter)) == {led}
    assert ("ANY(ARRAY(" in str(visible.query)) == (connection.vendor == "postgresql")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_tasks_a_unit_leads_are_read_off_their_index_alone(led_work, chengtou_company):
    sql, params = policy.led_tasks(chengtou_company.pk).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test's few rows would be read in order
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "using assignment_led" in plan, plan
