"""Staff move a due date with a reason; leaders give instructions that units see."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tasks.services import instruction_add, task_change_due
from tests.factories import AssignmentFactory, TaskFactory

NEW_DUE = datetime.date(2023, 6, 30)


@pytest.fixture
def task(chengtou_company, gongre_company):
    task = TaskFactory(title="完善考核办法", due=datetime.date(2022, 12, 31), due_inherited=True)
    AssignmentFactory(task=task, unit=chengtou_company)
    AssignmentFactory(task=task, unit=gongre_company)
    return task


def test_a_due_date_changes_with_its_reason_in_the_history(task, staff, client):
    task_change_due(task_id=task.pk, user=staff, due=NEW_DUE, reason="省里调整了时间表")

    task.refresh_from_db()
    assert (task.due, task.due_inherited) == (NEW_DUE, False)
    latest = task.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("省里调整了时间表", staff)
    client.force_login(staff)
    assert "省里调整了时间表" in client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()


@pytest.mark.parametrize(
    ("due", "reason", "message"),
    [(NEW_DUE, "  ", "修改完成时限的理由"), (NEW_DUE, "理" * 101, "100"), (datetime.date(2020, 1, 1), "调整", "印发")],
)
def test_a_due_date_change_needs_a_reason_and_a_sensible_date(task, staff, due, reason, message):
    with pytest.raises(ValidationError, match=message):
        task_change_due(task_id=task.pk, user=staff, due=due, reason=reason)
    task.refresh_from_db()
    assert task.due == datetime.date(2022, 12, 31)


def test_only_staff_change_due_dates(task, chengtou_reporter, leader, client):
    for user in (chengtou_reporter, leader):
        with pytest.raises(PermissionDenied):
            task_change_due(task_id=task.pk, user=user, due=NEW_DUE, reason="x")
    client.force_login(leader)
    answer = client.post(reverse("tasks:task_due_change", args=[task.pk]), {"due": "2023-06-30", "reason": "x"})
    assert answer.status_code == 403


def test_a_leaders_instruction_reaches_the_units_page(task, leader, chengtou_reporter, gongre_reporter, client):
    mine = task.assignments.get(unit=chengtou_reporter.unit)
    instruction_add(task_id=task.pk, user=leader, text="全区一盘棋，务必按期完成")
    instruction_add(task_id=task.pk, user=leader, text="城投公司要加快进度", assignment_id=mine.pk)

    client.force_login(chengtou_reporter)
    page = client.get(reverse("tasks:my_tasks")).content.decode()
    assert "全区一盘棋" in page and "城投公司要加快进度" in page
    client.force_login(gongre_reporter)
    other = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    assert "全区一盘棋" in other and "城投公司要加快进度" not in other  # meant for another unit


def test_only_leaders_give_instructions(task, staff, chengtou_reporter, auditor, client):
    for user in (staff, chengtou_reporter, auditor):
        with pytest.raises(PermissionDenied):
            instruction_add(task_id=task.pk, user=user, text="x")
    client.force_login(auditor)
    assert client.post(reverse("tasks:instruction_give", args=[task.pk]), {"text": "x"}).status_code == 403


def test_an_instruction_needs_text_and_a_unit_of_the_task(task, leader):
    with pytest.raises(ValidationError):
        instruction_add(task_id=task.pk, user=leader, text=" ")
    with pytest.raises(ValidationError):
        instruction_add(task_id=task.pk, user=leader, text="x", assignment_id=AssignmentFactory().pk)
