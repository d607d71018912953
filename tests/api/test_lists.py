"""Every list endpoint: the same number of queries for 5 rows as for 50 (at most 6, the token's look-up
included), pages, ordering and filters."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import GeneratedReport
from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import ExtensionRequest, PlanImport, SupervisionNotice
from tests.factories import (
    AssignmentFactory,
    EvidenceFactory,
    MilestoneFactory,
    NotificationFactory,
    PlanFactory,
    ProgressReportFactory,
    SectionFactory,
    TaskFactory,
    UnitFactory,
    UnitGroupFactory,
)

pytestmark = pytest.mark.django_db


def _make(n: int, staff, chengtou_company) -> None:
    """n of everything a list shows, all visible to staff, 城投's work among them."""
    plan = PlanFactory()
    for i in range(n):
        unit = UnitFactory(name=f"测试单位{n}-{i}")
        section = SectionFactory(plan=PlanFactory() if i % 10 == 0 else plan, position=i)
        task = TaskFactory(plan=section.plan, section=section, position=i)
        MilestoneFactory(task=task)
        AssignmentFactory(task=task, unit=unit, role=AssignmentRole.LEAD)
        own = AssignmentFactory(task=task, unit=chengtou_company)
        report = ProgressReportFactory(assignment=own)
        EvidenceFactory(report=report, uploaded_by=staff)
        ExtensionRequest.objects.create(
            assignment=own, reason="等待批复", proposed_due="2099-01-01", requested_by=staff
        )
        SupervisionNotice.objects.create(
            year=2026,
            sequence=SupervisionNotice.objects.count() + 1,
            assignment=own,
            grade="blue",
            text="请加快",
            respond_by="2099-01-01",
            issued_by=staff,
        )
        UnitGroupFactory().units.add(unit, chengtou_company)
        NotificationFactory(recipient=staff, assignment=task.assignments.first(), unit=unit)
        GeneratedReport.objects.create(kind="unit", unit=unit, created_by=staff)
        PlanImport.objects.create(
            file=f"imports/{n}-{i}.txt", original_name="方案.txt", size=1, sha256="0" * 64, created_by=staff
        )


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url, {"page_size": 100})
    assert answer.status_code == 200, answer.content[:300]
    return len(captured), answer.json()["count"]


LISTS = [
    "api:plan-list",
    "api:section-list",
    "api:task-list",
    "api:milestone-list",
    "api:assignment-list",
    "api:report-list",
    "api:evidence-list",
    "api:extension-list",
    "api:notice-list",
    "api:report-job-list",
    "api:plan-import-list",
    "api:unit-list",
    "api:unit-group-list",
    "api:notification-list",
]


@pytest.mark.parametrize("user", ["staff", "chengtou_reporter"])
def test_every_list_costs_the_same_few_queries_for_5_rows_and_for_50(api, request, staff, chengtou_company, user):
    client = api(request.getfixturevalue(user))
    _make(5, staff, chengtou_company)
    # Imports are staff's alone; a reporter's jobs are its own (none here).
    lists = LISTS if user == "staff" else [name for name in LISTS if name != "api:plan-import-list"]
    few = {name: _queries(client, reverse(name)) for name in lists}
    _make(45, staff, chengtou_company)
    cache.clear()  # the pages kept above: made afresh, as after any change (see test_cached_lists)

    many = {name: _queries(client, reverse(name)) for name in lists}

    for name in lists:
        # The task list's lights take three queries of their own (selectors.alike_work).
        most = 7 if name == "api:task-list" else 6
        assert many[name][0] == few[name][0] <= most, (name, few[name], many[name])
        if user == "staff" and name != "api:plan-list":
            assert many[name][1] >= 50 > few[name][1], name


def test_task_list_filters_match_the_task_page(api, staff, chengtou_company, gongre_company):
    plan = PlanFactory()
    late = TaskFactory(plan=plan, title="规范董事会建设", due=datetime.date(2021, 6, 30), position=0)
    later = TaskFactory(plan=plan, title="厘清权责边界", due=datetime.date(2022, 6, 30), position=1)
    AssignmentFactory(task=late, unit=chengtou_company, status=S.IN_PROGRESS)
    AssignmentFactory(task=later, unit=gongre_company, status=S.ACCEPTED, role=AssignmentRole.LEAD)
    client = api(staff)

    def titles(**params):
        return [t["title"] for t in client.get(reverse("api:task-list"), params).json()["results"]]

    assert titles(plan=plan.pk) == ["规范董事会建设", "厘清权责边界"]
    assert titles(plan=plan.pk, unit=gongre_company.pk, role="lead", status="accepted") == ["厘清权责边界"]
    assert titles(plan=plan.pk, due_before="2021-12-31") == ["规范董事会建设"]
    assert titles(plan=plan.pk, q="董事会") == ["规范董事会建设"]
    assert titles(plan=plan.pk, light="red") == ["规范董事会建设"]  # long overdue
    assert titles(plan=plan.pk, sort="-due") == ["厘清权责边界", "规范董事会建设"]
    refused = client.get(reverse("api:task-list"), {"status": "nonsense"})
    assert refused.status_code == 400 and "status" in refused.json()


def test_a_reporters_task_list_shows_its_own_units_share_only(api, chengtou_reporter, chengtou_company):
    task = TaskFactory()
    AssignmentFactory(task=task, unit=chengtou_company)
    AssignmentFactory(task=task)  # another unit's share of the same task

    (row,) = api(chengtou_reporter).get(reverse("api:task-list")).json()["results"]
    detail = api(chengtou_reporter).get(reverse("api:task-detail", kwargs={"pk": task.pk})).json()

    assert row["assignments_total"] == 1
    assert [a["unit"] for a in detail["assignments"]] == [chengtou_company.pk]


def test_assignment_list_pages_orders_and_filters(api, staff, chengtou_company):
    plan = PlanFactory()
    for i in range(7):
        AssignmentFactory(task=TaskFactory(plan=plan, due=datetime.date(2024, 1, 1 + i), position=i))
    AssignmentFactory(task=TaskFactory(plan=plan, position=9), unit=chengtou_company, status=S.SUBMITTED)
    client = api(staff)

    first = client.get(reverse("api:assignment-list"), {"plan": plan.pk, "page_size": 3, "ordering": "-deadline"})
    body = first.json()

    assert body["count"] == 8 and len(body["results"]) == 3 and "page=2" in body["next"]
    assert [r["deadline"] for r in body["results"]] == ["2024-01-07", "2024-01-06", "2024-01-05"]
    submitted = client.get(reverse("api:assignment-list"), {"status": "submitted", "unit": chengtou_company.pk})
    (only,) = submitted.json()["results"]
    assert only["actions"] == ["accept", "return", "cancel"] and only["light"]


def test_report_jobs_imports_and_unit_groups_filter_too(api, staff, chengtou_company, gongre_company):
    GeneratedReport.objects.create(kind="unit", unit=chengtou_company, created_by=staff, status="done")
    GeneratedReport.objects.create(kind="progress", created_by=staff, status="failed")
    UnitGroupFactory(name="各区属企业").units.add(chengtou_company)
    UnitGroupFactory(name="各部门").units.add(gongre_company)
    client = api(staff)

    jobs = client.get(reverse("api:report-job-list"), {"status": "failed"}).json()["results"]
    groups = client.get(reverse("api:unit-group-list"), {"unit": chengtou_company.pk}).json()["results"]
    imports = client.get(reverse("api:plan-import-list"), {"status": "ready"}).json()

    assert [job["kind"] for job in jobs] == ["progress"]
    assert [group["name"] for group in groups] == ["各区属企业"]
    assert imports["count"] == 0
