"""A report job: how far it has got, its time limit, a worker that vanished, one left running."""

import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone

from reports import jobs, services
from reports.documents import STAGE_READ, render, resolve
from reports.models import GeneratedReport, ReportStatus
from reports.progress import STAGE_LAID_OUT, STAGE_WRITTEN
from reports.services import fail_stalled_reports, report_make
from tasks.choices import AssignmentStatus as S
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory

TODAY = timezone.localdate()


@pytest.fixture
def plan(chengtou_company):
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    task = TaskFactory(plan=plan, number="3", title="厘清权责边界", due=TODAY + datetime.timedelta(days=20))
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    return plan


@pytest.fixture
def queued(plan, staff):
    return GeneratedReport.objects.create(kind="progress", plan=plan, created_by=staff)


def test_rendering_says_how_far_it_has_got_stage_by_stage(plan, staff):
    seen = []

    report, _name = render(resolve("progress", staff, plan=plan.pk), staff, code="TEST-CODE", progress=seen.append)

    assert seen == [STAGE_READ, STAGE_LAID_OUT, STAGE_WRITTEN] and seen == sorted(seen)
    assert report.content.startswith(b"%PDF")


def test_the_job_records_each_stage_then_the_finished_report(queued, monkeypatch):
    recorded = []
    real_render = services.render

    def watched(asked, user, *, code, progress):
        def record(percent):
            progress(percent)
            recorded.append(GeneratedReport.objects.get(pk=queued.pk).progress)

        return real_render(asked, user, code=code, progress=record)

    monkeypatch.setattr(services, "render", watched)

    report_make(queued.pk)

    queued.refresh_from_db()
    assert recorded == [STAGE_READ, STAGE_LAID_OUT, STAGE_WRITTEN]
    assert (queued.status, queued.progress, queued.attempts) == (ReportStatus.DONE, 100, 1)
    assert queued.started_at is not None and queued.finished_at >= queued.started_at


def test_a_job_whose_worker_vanished_is_made_on_the_next_delivery(queued):
    # The first worker took it up (attempt 1) and was killed mid-way: the job comes back.
    GeneratedReport.objects.filter(pk=queued.pk).update(status=ReportStatus.RENDERING, attempts=1, progress=30)

    report_make(queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (ReportStatus.DONE, 2)


def test_a_job_whose_worker_vanished_every_time_is_given_up_with_the_reason(queued, monkeypatch):
    GeneratedReport.objects.filter(pk=queued.pk).update(status=ReportStatus.RENDERING, attempts=2)
    monkeypatch.setattr(services, "render", lambda *a, **kw: pytest.fail("not tried a third time"))

    report_make(queued.pk)

    queued.refresh_from_db()
    assert queued.status == ReportStatus.FAILED and "每次" in queued.error and not queued.file


def test_a_job_over_its_time_limit_fails_with_the_reason(queued, monkeypatch, settings):
    settings.REPORT_TIME_LIMIT = 600

    def too_long(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "render", too_long)

    report_make(queued.pk)

    queued.refresh_from_db()
    assert queued.status == ReportStatus.FAILED and "10 分钟" in queued.error and not queued.file


def test_a_request_no_longer_met_fails_with_the_refusal(plan, staff, chengtou_company):
    report = GeneratedReport.objects.create(kind="unit", unit=chengtou_company, created_by=staff)
    plan.tasks.get().assignments.all().delete()  # the unit's only work, removed while the job waited

    report_make(report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "没有可报告的任务" in report.error


def test_the_job_is_stopped_at_the_report_time_limit_and_killed_soon_after(settings):
    assert jobs.make_report.soft_time_limit == settings.REPORT_TIME_LIMIT
    assert 0 < jobs.make_report.time_limit - jobs.make_report.soft_time_limit <= 60
    assert jobs.make_report.acks_late and jobs.make_report.reject_on_worker_lost


def test_a_report_left_running_past_any_time_limit_is_shown_failed(client, staff, queued, plan, settings):
    now = timezone.now()
    stalled_since = now - datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 600)
    GeneratedReport.objects.filter(pk=queued.pk).update(status=ReportStatus.RENDERING, started_at=stalled_since)
    running = GeneratedReport.objects.create(
        kind="overdue", plan=plan, created_by=staff, status=ReportStatus.RENDERING, started_at=now
    )
    client.force_login(staff)

    answer = client.get(reverse("reports:report_progress", args=[queued.pk]))

    assert answer["HX-Refresh"] == "true"
    queued.refresh_from_db()
    running.refresh_from_db()
    assert queued.status == ReportStatus.FAILED and "再次" in queued.error
    assert running.status == ReportStatus.RENDERING
    assert fail_stalled_reports() == 0
