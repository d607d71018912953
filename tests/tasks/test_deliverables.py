"""Deliverables are delivered: a milestone's named document (《…负面清单》) is delivered by an evidence
file of any unit of the task; the task page shows which are; 销号 asks for each, or for a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import Delivery, ProgressReport, StatusChange
from tasks.services import Deliverable, assignment_transition, assignments_review, progress_report_submit, undelivered
from tests.factories import AssignmentFactory, MilestoneFactory, TaskFactory

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERIOD = "2021-03"


@pytest.fixture
def task(chengtou_company, gongre_company):
    task = TaskFactory(title="完善投资监管")
    MilestoneFactory(task=task, position=1, deliverables=["投资负面清单", "投资监管办法"])
    MilestoneFactory(task=task, position=2, deliverables=[])
    AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD, status=S.IN_PROGRESS)
    AssignmentFactory(task=task, unit=gongre_company, role=AssignmentRole.RESPONSIBLE, status=S.SUBMITTED)
    return task


def key(task, name) -> str:
    return Deliverable(task.milestones.get(position=1).pk, name).key


def lead_work(task):
    return task.assignments.get(role=AssignmentRole.LEAD)


def report(task, user, *, delivers=(), files=None, **kwargs):
    files = [SimpleUploadedFile("负面清单.pdf", PDF)] if files is None else files
    return progress_report_submit(
        assignment_id=lead_work(task).pk,
        user=user,
        period=PERIOD,
        text="已印发",
        percent=60,
        files=files,
        delivers=delivers,
        **kwargs,
    )


def test_a_file_delivers_the_deliverables_chosen_and_the_rest_stay_undelivered(task, chengtou_reporter):
    made = report(task, chengtou_reporter, delivers=[key(task, "投资负面清单")])

    assert undelivered(task.pk) == ["投资监管办法"]
    assert list(Delivery.objects.values_list("deliverable", "evidence__report")) == [("投资负面清单", made.pk)]


@pytest.mark.parametrize(
    ("delivers", "files", "message"),
    [
        ("a bare name", None, "不是本任务要求的成果"),  # not "milestone id:name"
        ("unknown", None, "不是本任务要求的成果"),
        ("no files", [], "成果须以文件交付"),
    ],
)
def test_a_bad_delivery_is_refused_and_nothing_is_written(task, chengtou_reporter, delivers, files, message):
    chosen = {
        "a bare name": ["投资负面清单"],
        "unknown": ["999999:投资负面清单"],
        "no files": [key(task, "投资负面清单")],
    }[delivers]
    with pytest.raises(ValidationError, match=message):
        report(task, chengtou_reporter, delivers=chosen, files=files)
    assert not ProgressReport.objects.exists() and not Delivery.objects.exists()


def test_acceptance_asks_for_each_deliverable_or_a_reason(task, staff, chengtou_reporter, gongre_company):
    theirs = task.assignments.get(unit=gongre_company)

    with pytest.raises(ValidationError, match="尚未交付：《投资负面清单》、《投资监管办法》"):
        assignment_transition(assignment_id=theirs.pk, user=staff, action="accept")
    accepted = assignment_transition(
        assignment_id=theirs.pk, user=staff, action="accept", comment="清单由牵头单位另行印发，已核实"
    )

    assert accepted.status == S.ACCEPTED
    assert StatusChange.objects.get(assignment=theirs, to_status=S.ACCEPTED).comment == "清单由牵头单位另行印发，已核实"
    report(task, chengtou_reporter, delivers=[key(task, "投资负面清单"), key(task, "投资监管办法")], done=True)
    assert assignment_transition(assignment_id=lead_work(task).pk, user=staff, action="accept").status == S.ACCEPTED


def test_bulk_acceptance_names_each_refused_for_its_undelivered_documents(task, staff, gongre_company):
    theirs = task.assignments.get(unit=gongre_company)
    refused = assignments_review(user=staff, action="accept", items=[(theirs.pk, None)])
    with_reason = assignments_review(user=staff, action="accept", items=[(theirs.pk, None)], comment="已另行核实")

    assert refused.done == [] and "尚未交付：《投资负面清单》" in refused.refused[0][1]
    assert [a.pk for a in with_reason.done] == [theirs.pk]


def test_the_task_page_shows_what_is_delivered_and_the_form_offers_the_rest(client, task, chengtou_reporter, staff):
    client.force_login(chengtou_reporter)
    page = reverse("tasks:task_detail", args=[task.pk])
    form = client.get(page).content.decode()
    client.post(
        reverse("tasks:report_submit", args=[lead_work(task).pk]),
        {
            "period": PERIOD,
            "percent": 60,
            "text": "清单已印发",
            "files": [SimpleUploadedFile("投资负面清单（2021年版）.pdf", PDF)],
            "delivers": [key(task, "投资负面清单")],
            "version": lead_work(task).version,
        },
    )
    client.force_login(staff)
    shown = client.get(page).content.decode()

    assert 'name="delivers"' in form and "《投资负面清单》" in form
    assert '《投资负面清单》</span> <span class="badge status-accepted">已交付</span>' in shown
    assert "投资负面清单（2021年版）.pdf" in shown
    assert '《投资监管办法》</span> <span class="badge status-not_started">未交付</span>' in shown
    assert "尚未交付：《投资监管办法》" in shown  # beside 验收 of the submitted work
