"""The task edit page: staff only, a stale or bad form keeps what was typed, units added and removed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.choices import AssignmentRole
from tasks.models import Assignment
from tasks.services import progress_report_submit, task_edit
from tests.factories import AssignmentFactory, MilestoneFactory, TaskFactory


@pytest.fixture
def task(chengtou_company):
    task = TaskFactory(number="3", title="厘清权责边界")
    MilestoneFactory(task=task, position=1, due=datetime.date(2021, 12, 31), text="出台清单", deliverables=["负面清单"])
    AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD)
    return task


def form_data(task, **changes) -> dict:
    """What the edit page posts when nothing is changed, with ``changes`` on top."""
    milestones = list(task.milestones.order_by("position"))
    data = {
        "number": task.number,
        "title": task.title,
        "body": task.body,
        "section": task.section_id or "",
        "reason": "",
        "updated_at": task.updated_at.isoformat(),
        "milestones-TOTAL_FORMS": len(milestones) + 2,
        "milestones-INITIAL_FORMS": len(milestones),
        "milestones-MIN_NUM_FORMS": 0,
        "milestones-MAX_NUM_FORMS": 100,
    }
    for index, milestone in enumerate(milestones):
        data |= {
            f"milestones-{index}-id": milestone.pk,
            f"milestones-{index}-due": milestone.due.isoformat() if milestone.due else "",
            f"milestones-{index}-text": milestone.text,
            f"milestones-{index}-deliverables": "\n".join(milestone.deliverables),
        }
    return data | changes


def test_staff_edit_a_task_and_add_a_milestone_through_the_page(client, staff, task):
    client.force_login(staff)
    url = reverse("tasks:task_edit", args=[task.pk])
    assert "出台清单" in client.get(url).content.decode()

    answer = client.post(
        url,
        form_data(
            task,
            title="进一步厘清权责边界",
            reason="标题识别不全",
            **{
                "milestones-1-due": "2022-06-30",
                "milestones-1-text": "评估实施效果",
                "milestones-1-deliverables": "《评估报告》",
            },
        ),
    )

    assert answer.status_code == 302
    task.refresh_from_db()
    assert task.title == "进一步厘清权责边界"
    assert list(task.milestones.values_list("text", "deliverables")) == [
        ("出台清单", ["负面清单"]),
        ("评估实施效果", ["评估报告"]),
    ]
    page = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    assert "标题识别不全" in page
    assert "节点“评估实施效果”" in page


def test_a_milestone_ticked_for_removal_is_removed(client, staff, task):
    client.force_login(staff)

    client.post(reverse("tasks:task_edit", args=[task.pk]), form_data(task, **{"milestones-0-DELETE": "on"}))

    assert not task.milestones.exists()


def test_a_stale_form_is_refused_and_keeps_what_was_typed(client, staff, task):
    client.force_login(staff)
    opened = form_data(task)
    task_edit(
        task_id=task.pk,
        user=staff,
        number="3",
        title="别人先改的标题",
        body=task.body,
        section_id=task.section_id,
        milestones=[],
    )

    answer = client.post(reverse("tasks:task_edit", args=[task.pk]), opened | {"title": "我想要的标题"})

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "该任务已被他人修改" in html
    assert 'value="我想要的标题"' in html
    task.refresh_from_db()
    assert task.title == "别人先改的标题"


def test_a_milestone_without_text_says_so(client, staff, task):
    client.force_login(staff)

    answer = client.post(
        reverse("tasks:task_edit", args=[task.pk]), form_data(task, **{"milestones-1-due": "2022-01-31"})
    )

    assert answer.status_code == 200
    assert "请填写节点要求" in answer.content.decode()
    assert task.milestones.count() == 1


@pytest.mark.parametrize("who", ["chengtou_reporter", "leader", "auditor"])
def test_only_staff_reach_the_edit_page_and_its_actions(client, request, who, task, gongre_company):
    client.force_login(request.getfixturevalue(who))
    assignment = task.assignments.get()

    assert client.get(reverse("tasks:task_edit", args=[task.pk])).status_code == 403
    assert client.post(reverse("tasks:task_edit", args=[task.pk]), form_data(task, title="改")).status_code == 403
    added = client.post(reverse("tasks:task_unit_add", args=[task.pk]), {"unit": gongre_company.pk, "role": "lead"})
    assert added.status_code == 403
    assert client.post(reverse("tasks:task_unit_remove", args=[assignment.pk])).status_code == 403
    assert task.assignments.count() == 1
    page = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    assert reverse("tasks:task_edit", args=[task.pk]) not in page


def test_staff_add_a_unit_and_remove_it_after_confirming(client, staff, task, gongre_company):
    client.force_login(staff)
    edit_url = reverse("tasks:task_edit", args=[task.pk])

    added = client.post(
        reverse("tasks:task_unit_add", args=[task.pk]), {"unit": gongre_company.pk, "role": "responsible"}
    )
    assert added.url == edit_url
    assignment = task.assignments.get(unit=gongre_company)
    remove_url = reverse("tasks:task_unit_remove", args=[assignment.pk])
    assert remove_url in client.get(edit_url).content.decode()

    confirmation = client.get(remove_url).content.decode()
    assert "将不再是" in confirmation and Assignment.objects.filter(pk=assignment.pk).exists()
    client.post(remove_url)

    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    history = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    assert "工作人员移除" in history


def test_a_unit_with_a_record_is_not_offered_for_removal(client, staff, chengtou_reporter, task):
    assignment = task.assignments.get()
    progress_report_submit(
        assignment_id=assignment.pk, user=chengtou_reporter, period="2021-03", percent=5, text="启动"
    )
    client.force_login(staff)

    page = client.get(reverse("tasks:task_edit", args=[task.pk])).content.decode()
    assert reverse("tasks:task_unit_remove", args=[assignment.pk]) not in page
    answer = client.post(reverse("tasks:task_unit_remove", args=[assignment.pk]), follow=True)

    assert "请改为撤销" in answer.content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_the_edit_page_costs_the_same_queries_for_few_milestones_and_units_as_for_many(client, staff, task):
    client.force_login(staff)
    url = reverse("tasks:task_edit", args=[task.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for position in range(2, 12):
        MilestoneFactory(task=task, position=position)
        AssignmentFactory(task=task)

    assert count() == few
