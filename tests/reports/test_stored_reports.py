"""Reports asked for in the browser: made at once or by the worker, stored with their checksum,
listed and fetched through the access policy."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import GeneratedReport, ReportStatus
from reports.services import report_make
from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory

TODAY = timezone.localdate()


@pytest.fixture
def plan(chengtou_company, sasac_office):
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    task = TaskFactory(plan=plan, number="3", title="厘清权责边界", due=TODAY - datetime.timedelta(days=2))
    AssignmentFactory(task=task, unit=sasac_office, role=AssignmentRole.LEAD, status=S.ACCEPTED)
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    return plan


def test_a_small_report_is_made_at_once_stored_with_its_checksum_and_downloaded(client, staff, plan):
    client.force_login(staff)

    answer = client.post(reverse("reports:index"), {"kind": "progress", "plan": plan.pk})

    report = GeneratedReport.objects.get()
    assert answer.url == reverse("reports:report_detail", args=[report.pk])
    assert report.status == ReportStatus.DONE and report.pages >= 2
    content = b"".join(client.get(reverse("reports:report_download", args=[report.pk])).streaming_content)
    assert hashlib.sha256(content).hexdigest() == report.sha256 and report.size == len(content)
    page = client.get(reverse("reports:index")).content.decode()
    assert report.code in page and "推进情况报告" in page


def test_a_large_report_goes_to_the_worker_with_a_progress_bar(
    client, staff, plan, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import jobs

    settings.REPORT_INLINE_ROWS = 1
    sent = []
    monkeypatch.setattr(jobs.make_report, "apply_async", lambda args, **kw: sent.append(args))
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:index"), {"kind": "overdue", "plan": plan.pk})

    report = GeneratedReport.objects.get()
    assert (report.status, sent) == (ReportStatus.QUEUED, [(report.pk,)])
    detail = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "<progress" in detail and reverse("reports:report_progress", args=[report.pk]) in detail
    report_make(report.pk)  # what the worker does
    report_make(report.pk)  # a redelivered job: nothing more
    progress = client.get(reverse("reports:report_progress", args=[report.pk]))
    assert progress["HX-Refresh"] == "true"
    assert GeneratedReport.objects.get().status == ReportStatus.DONE


def test_a_reporter_makes_their_units_report_and_sees_no_one_elses(
    client, staff, chengtou_reporter, gongre_reporter, plan, chengtou_company
):
    client.force_login(staff)
    client.post(reverse("reports:index"), {"kind": "progress", "plan": plan.pk})
    staffs = GeneratedReport.objects.get()

    client.force_login(chengtou_reporter)
    client.post(reverse("reports:index"), {"kind": "unit", "unit": chengtou_company.pk})
    mine = GeneratedReport.objects.exclude(pk=staffs.pk).get()
    assert mine.status == ReportStatus.DONE
    assert client.get(reverse("reports:report_download", args=[staffs.pk])).status_code == 404
    refused = client.post(reverse("reports:index"), {"kind": "progress", "plan": plan.pk})
    assert "仅供国资局工作人员" in refused.content.decode()

    client.force_login(gongre_reporter)
    assert client.get(reverse("reports:report_download", args=[mine.pk])).status_code == 404
    other = client.post(reverse("reports:index"), {"kind": "unit", "unit": chengtou_company.pk})
    assert other.status_code == 200 and GeneratedReport.objects.count() == 2  # not a choice they have


def test_a_dossier_from_the_task_page(client, staff, plan):
    task = plan.tasks.get()
    client.force_login(staff)
    assert "任务档案" in client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()

    client.post(reverse("reports:index"), {"kind": "dossier", "task": task.pk})

    assert GeneratedReport.objects.get().filename.startswith("3. 厘清权责边界任务档案")


def test_a_report_that_fails_says_so_and_keeps_the_details_for_the_log(client, staff, plan, monkeypatch, caplog):
    from reports import services

    def broken(*args, **kwargs):
        raise RuntimeError("/usr/share/fonts: 字体缺失")

    monkeypatch.setattr(services, "render", broken)
    client.force_login(staff)
    client.post(reverse("reports:index"), {"kind": "progress", "plan": plan.pk})

    report = GeneratedReport.objects.get()
    assert report.status == ReportStatus.FAILED
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "报告生成失败" in page and "日志" in page and "/usr/share/fonts" not in page
    assert "字体缺失" in caplog.text
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 404


def test_the_list_costs_the_same_queries_for_few_as_for_many(client, staff, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:index")).status_code == 200
        return len(captured)

    GeneratedReport.objects.create(kind="progress", plan=plan, created_by=staff)
    few = count()
    for _ in range(10):
        GeneratedReport.objects.create(kind="progress", plan=plan, created_by=staff)
    assert count() == few
