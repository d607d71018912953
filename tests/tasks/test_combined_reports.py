"""汇总上报: the lead unit reports on the whole task for all its units; staff read and review it as
the task's — on the task page, in the queue beside the state of all the task's work, in the API."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import ProgressReport
from tasks.services import progress_report_submit
from tests.factories import AssignmentFactory, TaskFactory

PERIOD = "2021-03"


@pytest.fixture
def task(chengtou_company, gongre_company):
    """城投 leads, 供热 is responsible and has submitted its share."""
    task = TaskFactory(title="深化混合所有制改革")
    AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD, status=S.IN_PROGRESS)
    AssignmentFactory(task=task, unit=gongre_company, role=AssignmentRole.RESPONSIBLE, status=S.SUBMITTED)
    return task


def lead_work(task):
    return task.assignments.get(role=AssignmentRole.LEAD)


def test_the_lead_sends_a_combined_report_and_a_responsible_unit_cannot(task, chengtou_reporter, gongre_reporter):
    report = progress_report_submit(
        assignment_id=lead_work(task).pk,
        user=chengtou_reporter,
        period=PERIOD,
        text="各单位均已完成混改方案",
        percent=80,
        combined=True,
        done=True,
    )
    theirs = task.assignments.get(role=AssignmentRole.RESPONSIBLE)
    theirs.status = S.IN_PROGRESS
    theirs.save()

    with pytest.raises(ValidationError, match="只有牵头单位可以汇总上报"):
        progress_report_submit(
            assignment_id=theirs.pk, user=gongre_reporter, period=PERIOD, text="代为汇总", percent=50, combined=True
        )
    assert report.combined and lead_work(task).status == S.SUBMITTED
    assert not ProgressReport.objects.filter(assignment=theirs).exists()  # nothing written


def test_only_the_lead_is_offered_the_combined_report(client, task, chengtou_reporter, gongre_reporter):
    theirs = task.assignments.get(role=AssignmentRole.RESPONSIBLE)
    theirs.status = S.IN_PROGRESS
    theirs.save()
    page = reverse("tasks:task_detail", args=[task.pk])

    client.force_login(chengtou_reporter)
    assert 'name="combined"' in client.get(page).content.decode()
    client.force_login(gongre_reporter)
    assert 'name="combined"' not in client.get(page).content.decode()


def test_staff_read_the_combined_report_on_the_task_and_review_it_beside_all_the_tasks_work(
    client, task, staff, chengtou_reporter
):
    client.force_login(chengtou_reporter)
    client.post(
        reverse("tasks:report_submit", args=[lead_work(task).pk]),
        {
            "period": PERIOD,
            "percent": 90,
            "text": "两家单位混改方案均已批复",
            "combined": "on",
            "done": "on",
            "version": 1,
        },
    )
    client.force_login(staff)

    page = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    queue = client.get(reverse("tasks:review_queue")).content.decode()

    assert "牵头单位汇总上报" in page and "汇总上报 2021-03 任务整体进展：完成 90%" in page
    assert "两家单位混改方案均已批复" in page
    lead_row = queue.split("<td>鞍山市立山区城市建设投资有限公司")[1].split("</tr>")[0]
    assert "汇总上报" in lead_row and "任务各单位：已提交待验收 2" in lead_row
    other_row = queue.split("<td>鞍山市立山区供热有限公司")[1].split("</tr>")[0]
    assert "汇总上报" not in other_row


def test_a_refused_combined_report_keeps_its_tick(client, task, chengtou_reporter):
    client.force_login(chengtou_reporter)
    client.post(
        reverse("tasks:report_submit", args=[lead_work(task).pk]),
        {"period": "2999-01", "percent": 90, "text": "汇总", "combined": "on", "version": 1},
    )
    page = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()

    assert re.search(r'<input type="checkbox" name="combined"[^>]*checked', page)


def test_the_api_takes_and_shows_a_combined_report(api, task, chengtou_reporter, gongre_reporter):
    made = api(chengtou_reporter).post(
        reverse("api:report-list"),
        {"assignment": lead_work(task).pk, "period": PERIOD, "percent": 60, "text": "汇总进展", "combined": True},
        format="json",
    )
    theirs = task.assignments.get(role=AssignmentRole.RESPONSIBLE)
    theirs.status = S.IN_PROGRESS
    theirs.save()
    refused = api(gongre_reporter).post(
        reverse("api:report-list"),
        {"assignment": theirs.pk, "period": PERIOD, "percent": 60, "text": "汇总进展", "combined": True},
        format="json",
    )

    assert made.status_code == 201 and made.json()["combined"] is True
    assert refused.status_code == 400 and "只有牵头单位可以汇总上报" in refused.content.decode()
