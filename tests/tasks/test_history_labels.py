"""A task's history — the page, and the dossier that prints it — speaks the reader's language: each
change's reason by its label (never the code it is kept under), each value as the reader reads it
(a date as 2027-12-31, a time in Asia/Shanghai to the minute, a choice by its label), whichever kind
of change made it: an edit, a status move, an extension approved, a unit assigned or removed, a
revision that rewords one task and withdraws another."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from orgs.choices import UnitKind
from orgs.models import UnitGroup
from orgs.services import unit_create, unit_group_set_members
from tasks.changes import task_history
from tasks.choices import AssignmentRole, ChangeReason
from tasks.models import Task
from tasks.services import (
    TRANSITIONS,
    assignment_add,
    assignment_remove,
    assignment_transition,
    extension_decide,
    extension_request,
    task_edit,
)
from tasks.services.plan_import import plan_import_confirm, plan_import_preview
from tests.factories import UnitFactory
from tests.reports.issued import issue
from tests.tasks.importing.samples import CITY_PLAN
from tests.tasks.test_plan_revision import REVISED

RAW_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}|[+-]\d{2}:\d{2}\b|\.\d{6}")
CODES = {*ChangeReason.values, *TRANSITIONS}


@pytest.fixture
def histories(db, staff, chengtou_reporter, chengtou_company):
    """A plan with every kind of change on it; its two tasks of interest (one withdrawn)."""
    unit_create(name="XX市国资委", kind=UnitKind.SASAC, aliases=["市国资委"])
    unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    unit_group_set_members(group=UnitGroup.objects.create(name="各市属企业"), units=UnitFactory.create_batch(2))
    plan = plan_import_confirm(preview=plan_import_preview(data=CITY_PLAN.encode(), filename="v1.txt"), user=staff).plan
    task = plan.tasks.get(title="推进战略性重组")
    task_edit(
        task_id=task.pk,
        user=staff,
        number=task.number,
        title=task.title,
        body=task.body + "\n（已核对原文）",
        section_id=task.section_id,
        milestones=[],
    )
    work = assignment_add(task_id=task.pk, user=staff, unit_id=chengtou_company.pk, role=AssignmentRole.RESPONSIBLE)
    assignment_transition(assignment_id=work.pk, user=chengtou_reporter, action="start")
    later = timezone.localdate() + datetime.timedelta(days=200)  # after today's date, whichever it is
    asked = extension_request(assignment_id=work.pk, user=chengtou_reporter, reason="待批复", proposed_due=later)
    extension_decide(request_id=asked.pk, user=staff, approve=True)
    spare = assignment_add(
        task_id=task.pk, user=staff, unit_id=UnitFactory(name="立山区档案馆").pk, role=AssignmentRole.RESPONSIBLE
    )
    assignment_remove(assignment_id=spare.pk, user=staff)
    plan_import_confirm(preview=plan_import_preview(data=REVISED.encode(), filename="v2.txt"), user=staff)
    return Task.objects.get(pk=task.pk), Task.objects.get(plan=plan, title="清理低效资产")


def shown(entries) -> list[str]:
    return [
        text
        for entry in entries
        for text in (
            entry.reason,
            *(part for change in entry.changes for part in (change.label, change.old, change.new)),
        )
    ]


def test_every_reason_and_value_is_shown_in_words(histories, staff):
    for task in histories:
        entries = task_history(task, staff)
        assert entries
        words = shown(entries)
        assert not CODES & set(words), CODES & set(words)
        assert not [w for w in words if RAW_TIME.search(w)], [w for w in words if RAW_TIME.search(w)]
    reworded, withdrawn = (task_history(task, staff) for task in histories)
    reasons = {entry.reason for entry in reworded}
    assert {"修改", "已批准延期", "由工作人员分配", "由工作人员移除", "启动", "随方案新版本修订"} <= reasons, reasons
    assert "随方案新版本撤销" in {entry.reason for entry in withdrawn}
    withdrawal = next(entry for entry in withdrawn if entry.reason == "随方案新版本撤销")
    when = next(change.new for change in withdrawal.changes if change.label == "撤销时间")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", when), when


def test_the_history_page_and_the_dossier_print_the_labels(client, histories, staff):
    task, withdrawn = histories
    client.force_login(staff)
    page = client.get(reverse("tasks:task_history", args=[task.pk])).content.decode()
    assert "已批准延期" in page and "extension approved" not in page

    text = issue("dossier", staff, task=withdrawn.pk).content
    import io

    from pypdf import PdfReader

    printed = "".join(p.extract_text() for p in PdfReader(io.BytesIO(text)).pages).replace("\n", "")
    assert "随方案新版本撤销" in printed and "withdrawn in a revision" not in printed
    assert not RAW_TIME.search(printed.split("变更记录", 1)[-1])


def test_in_english_the_labels_are_english(histories, staff):
    with translation.override("en"):
        reasons = {entry.reason for entry in task_history(histories[0], staff)}
    assert {"extension approved", "assigned by staff", "Start"} <= reasons


@pytest.mark.django_db(transaction=True)
def test_reasons_kept_in_chinese_before_become_their_codes(staff):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import TaskFactory

    task = TaskFactory()
    task.history.update(history_change_reason="工作人员分配")
    executor = MigrationExecutor(connection)
    executor.migrate([("tasks", "0016_report_month_ascii_digits")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(task.history.values_list("history_change_reason", flat=True)) == {ChangeReason.ASSIGNED}
    with translation.override("en"):
        assert task_history(task, staff)[0].reason == "assigned by staff"
