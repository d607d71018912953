"""Every admin page opens for staff, and a list page's queries do not grow with its rows."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from orgs.services import unit_add_alias, unit_group_set_members
from reform.models import AuditEvent, AuditKind
from tasks.choices import AssignmentStatus
from tasks.models import (
    ExtensionRequest,
    Instruction,
    MilestoneCompletion,
    PlanImport,
    SupervisionNotice,
)
from tasks.reminders.models import UnitWebhook
from tasks.services import assignment_transition
from tests.factories import (
    AssignmentFactory,
    EvidenceFactory,
    MilestoneFactory,
    ProgressReportFactory,
    UnitFactory,
    UnitGroupFactory,
    UserFactory,
)

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def populate(count, staff):
    """``count`` rows of every registered model, linked as in real use."""
    for n in range(count):
        unit = UnitFactory()
        unit_add_alias(unit=unit, name=f"{unit.name}简称")
        group = UnitGroupFactory()
        unit_group_set_members(group=group, units=[unit])
        reporter = UserFactory(unit=unit)
        assignment = AssignmentFactory(unit=unit, via_group=group, status=AssignmentStatus.SUBMITTED)
        milestone = MilestoneFactory(task=assignment.task)
        report = ProgressReportFactory(assignment=assignment, author=reporter)
        EvidenceFactory(report=report, original_name=f"佐证{n}.pdf", uploaded_by=reporter)
        assignment_transition(assignment_id=assignment.pk, user=staff, action="accept", comment="成果已另行核实")
        ExtensionRequest.objects.create(
            assignment=assignment, reason="等待批复", proposed_due="2030-01-01", requested_by=reporter
        )
        SupervisionNotice.objects.create(
            year=2026,
            sequence=SupervisionNotice.objects.count() + 1,
            assignment=assignment,
            grade="blue",
            text="请加快进度",
            respond_by="2030-01-01",
            issued_by=staff,
        )
        MilestoneCompletion.objects.create(assignment=assignment, milestone=milestone, done_by=reporter)
        Instruction.objects.create(task=assignment.task, assignment=assignment, text="抓紧推进", author=staff)
        PlanImport.objects.create(
            file=f"imports/{n}.txt", original_name=f"方案{n}.txt", size=1, sha256="0" * 64, created_by=staff
        )
        UnitWebhook.objects.create(unit=unit, url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={n}")
        Token.objects.create(user=reporter)
        AuditEvent.objects.create(kind=AuditKind.LOGIN_FAILED, username=reporter.username, address="10.0.0.1")


def changelist_queries(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200, url
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_list_page_makes_the_same_queries_for_few_rows_as_for_many(client, staff, model):
    client.force_login(staff)
    populate(2, staff)
    few, _ = changelist_queries(client, model)
    populate(6, staff)

    many, sql = changelist_queries(client, model)

    assert many == few, "\n".join(sql)
    assert many <= 12, "\n".join(sql)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_add_and_change_pages_open_for_staff(client, staff, model):
    client.force_login(staff)
    populate(1, staff)
    opts = model._meta
    first = model._default_manager.first()

    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])).status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (403 if model._meta.label in WORKFLOW_RECORDS | {"reform.AuditEvent"} else 200)


# What the workflow makes, and only it changes: read in the administration, never written there.
WORKFLOW_RECORDS = {
    "tasks.Assignment",
    "tasks.Evidence",
    "tasks.ExtensionRequest",
    "tasks.Instruction",
    "tasks.MilestoneCompletion",
    "tasks.PlanImport",
    "tasks.ProgressReport",
    "tasks.StatusChange",
    "tasks.SupervisionNotice",
}
# What staff correct in the administration, but do not delete: the workflow withdraws or cancels.
KEPT = {"tasks.Plan", "tasks.Section", "tasks.Task", "tasks.Milestone"}
# Configuration and people, which staff manage here in full (a token deleted is a token revoked).
MANAGED = {"orgs.Unit", "orgs.UnitGroup", "orgs.User", "authtoken.TokenProxy", "reminders.UnitWebhook"}
AUDIT = {"reform.AuditEvent"}


def test_every_model_of_the_administration_is_classified():
    """A model registered without being placed here fails: its rights must be chosen, not inherited."""
    assert {model._meta.label for model in MODELS} == WORKFLOW_RECORDS | KEPT | MANAGED | AUDIT


def _rights(staff, model) -> tuple[bool, bool, bool]:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = staff
    model_admin = admin.site._registry[model]
    record = model._default_manager.first()
    return (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request, record),
        model_admin.has_delete_permission(request, record),
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_staffs_rights_in_the_administration_follow_what_the_record_is(staff, model):
    populate(1, staff)
    label = model._meta.label
    expected = {
        **dict.fromkeys(WORKFLOW_RECORDS | AUDIT, (False, False, False)),
        **dict.fromkeys(KEPT, (True, True, False)),
        **dict.fromkeys(MANAGED, (True, True, True)),
    }[label]
    assert _rights(staff, model) == expected


@pytest.mark.parametrize("label", sorted(WORKFLOW_RECORDS), ids=str)
def test_a_workflow_record_cannot_be_written_in_the_administration(client, staff, label):
    """Posted as a form would be — to add, change, delete or restore a past version: refused, unchanged."""
    from django.apps import apps
    from django.core import serializers

    client.force_login(staff)
    populate(1, staff)
    model = apps.get_model(label)
    record = model._default_manager.first()
    opts = model._meta
    before = serializers.serialize("python", model._default_manager.all())
    name = f"admin:{opts.app_label}_{opts.model_name}"
    posts = [
        reverse(f"{name}_add"),
        reverse(f"{name}_change", args=[record.pk]),
        reverse(f"{name}_delete", args=[record.pk]),
    ]
    if hasattr(record, "history"):
        version = record.history.first()
        posts.append(reverse(f"{name}_simple_history", args=[record.pk, version.history_id]))
    for address in posts:
        answer = client.post(address, {"post": "yes", "text": "改写", "comment": "改写", "status": "accepted"})
        assert answer.status_code == 403, (address, answer.status_code)
    assert serializers.serialize("python", model._default_manager.all()) == before
    # Read it may be: the change page shows the record, with nothing to save.
    page = client.get(reverse(f"{name}_change", args=[record.pk])).content.decode()
    assert 'name="_save"' not in page


@pytest.mark.parametrize("who", ["leader", "auditor", "chengtou_reporter"])
def test_the_administration_refuses_others_plainly(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for address in ("/admin/", "/admin/login/", "/admin/tasks/task/", "/admin/orgs/user/"):
        answer = client.get(address)
        html = answer.content.decode()
        assert answer.status_code == 403, address
        assert "后台管理仅供国资委工作人员使用" in html and 'name="password"' not in html, address


def test_signed_out_the_administration_asks_to_sign_in(client, staff):
    answer = client.get("/admin/", follow=True)
    assert 'name="password"' in answer.content.decode()


def test_status_is_read_only_in_the_admin(client, staff):
    client.force_login(staff)
    assignment = AssignmentFactory()

    page = client.get(reverse("admin:tasks_assignment_change", args=[assignment.pk])).content.decode()

    assert 'name="status"' not in page


def test_a_group_cannot_be_made_to_include_itself_in_the_admin(client, staff):
    client.force_login(staff)
    group = UnitGroupFactory(name="各区属企业")

    answer = client.post(
        reverse("admin:orgs_unitgroup_change", args=[group.pk]),
        {"name": "各区属企业", "description": "", "units": [], "subgroups": [group.pk]},
    )

    assert answer.status_code == 200
    assert "包含自身" in answer.content.decode()
    assert not group.subgroups.exists()


def test_the_admin_refuses_a_user_without_a_unit(client, staff):
    client.force_login(staff)

    answer = client.post(
        reverse("admin:orgs_user_add"),
        {"username": "drifter", "full_name": "无名", "role": "reporter", "usable_password": "false"},
    )

    assert answer.status_code == 200
    assert "所属单位" in answer.content.decode()


@pytest.mark.parametrize("label", sorted(WORKFLOW_RECORDS | KEPT), ids=str)
def test_no_row_shown_with_a_record_is_deleted_with_it(staff, label):
    """An inline is a second way to delete: a milestone units have marked done, a section with tasks."""
    from django.apps import apps
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = staff
    model_admin = admin.site._registry[apps.get_model(label)]
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_delete_permission(request), (label, type(inline).__name__)
        if label in WORKFLOW_RECORDS:
            assert not inline.has_add_permission(request, None) and not inline.has_change_permission(request)


def test_a_date_the_platform_cannot_reckon_with_is_refused_in_the_administration(client, staff):
    """As in the platform's own forms: a due date of 9999-12-31 would make the daily sweep overflow."""
    from tasks.models import Task
    from tests.factories import TaskFactory

    client.force_login(staff)
    task = TaskFactory(title="厘清权责边界")
    page = client.get(reverse("admin:tasks_task_change", args=[task.pk])).content.decode()
    assert 'name="due"' in page

    answer = client.post(
        reverse("admin:tasks_task_change", args=[task.pk]),
        {
            "plan": task.plan_id,
            "section": task.section_id,
            "number": task.number,
            "title": task.title,
            "body": task.body,
            "position": task.position,
            "due": "9999/12/31",
            "recurrence": "",
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )

    assert answer.status_code == 200 and "日期不能晚于 2199-12-31" in answer.content.decode()
    assert Task.objects.get(pk=task.pk).due == task.due
