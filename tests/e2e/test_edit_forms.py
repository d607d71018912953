"""Each edit form in a real browser: saved as it opens, nothing changes — not the data, not the
history; saved with one field changed, exactly that change is in the data and in the history."""

import datetime

import pytest

from orgs.choices import UnitKind
from tasks.changes import task_history
from tasks.choices import AssignmentRole
from tasks.models import Assignment, Milestone
from tasks.reminders.models import ReminderSettings
from tests.e2e.conftest import sign_in, submit_in_place
from tests.factories import AssignmentFactory, MilestoneFactory, PlanFactory, SectionFactory, TaskFactory, UnitFactory
from tests.reliability.test_unchanged_forms import changed_between, everything

pytestmark = pytest.mark.e2e

# Raised by any change to the work the dashboard counts (and by none when nothing changes).
RAISED = ["reports.dataversion"]


def moved(before: dict) -> list[str]:
    return sorted(changed_between(before, everything()))


@pytest.fixture
def task(chengtou_company):
    plan = PlanFactory(title="国企改革三年行动实施方案", issued_on=datetime.date(2021, 8, 12))
    first = SectionFactory(plan=plan, title="完善中国特色现代企业制度", position=0)
    SectionFactory(plan=plan, title="推进国有经济布局优化", position=1)
    task = TaskFactory(
        plan=plan,
        section=first,
        title="厘清权责边界",
        body="2021年出台《负面清单》。\n2022年完成修订。",
        due=datetime.date(2027, 12, 31),
    )
    MilestoneFactory(
        task=task, due=datetime.date(2027, 12, 31), text="出台《负面清单》", deliverables=["负面清单"], position=0
    )
    MilestoneFactory(
        task=task, due=datetime.date(2026, 6, 30), text="完成清单修订\n并报备", deliverables=[], position=1
    )
    AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD)
    UnitFactory(name="鞍山市立山区供水有限公司", kind=UnitKind.ENTERPRISE)
    return task


@pytest.fixture
def office(page, staff):
    sign_in(page, staff.username)
    return page


def test_the_task_form_saved_as_it_opens_changes_nothing_and_one_field_changes_one(office, staff, task):
    office.goto(f"/tasks/{task.pk}/edit/")
    assert office.input_value("input[name='milestones-0-due']") == "2027-12-31"
    before, entries = everything(), len(task_history(task, staff))

    office.click("form.edit-form button.primary")
    office.wait_for_url(f"**/tasks/{task.pk}/")

    assert moved(before) == []
    assert len(task_history(task, staff)) == entries

    office.goto(f"/tasks/{task.pk}/edit/")
    office.fill("input[name=title]", "厘清董事会与经理层权责边界")
    office.click("form.edit-form button.primary")
    office.wait_for_url(f"**/tasks/{task.pk}/")

    task.refresh_from_db()
    assert task.title == "厘清董事会与经理层权责边界" and task.body == "2021年出台《负面清单》。\n2022年完成修订。"
    assert moved(before) == [*RAISED, "tasks.historicaltask", "tasks.task"]
    newest = task_history(task, staff)[0]
    assert [change.label for change in newest.changes] == ["标题"]
    assert newest.changes[0].new == "厘清董事会与经理层权责边界"


def test_a_milestones_due_date_changed_alone_is_the_only_change(office, staff, task):
    office.goto(f"/tasks/{task.pk}/edit/")
    before = everything()
    office.fill("input[name='milestones-1-due']", "2026-09-30")
    office.click("form.edit-form button.primary")
    office.wait_for_url(f"**/tasks/{task.pk}/")

    dues = dict(Milestone.objects.values_list("position", "due"))
    assert dues == {0: datetime.date(2027, 12, 31), 1: datetime.date(2026, 9, 30)}
    assert moved(before) == [*RAISED, "tasks.historicalmilestone", "tasks.milestone", "tasks.task"]  # its updated_at
    newest = task_history(task, staff)[0]
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("完成时限", "2026-06-30", "2026-09-30")]


def test_a_unit_added_is_the_only_change(office, staff, task):
    office.goto(f"/tasks/{task.pk}/edit/")
    before = everything()
    office.select_option("form.unit-add select[name=unit]", label="鞍山市立山区供水有限公司")
    office.select_option("form.unit-add select[name=role]", AssignmentRole.RESPONSIBLE)
    office.click("form.unit-add button[type=submit]")
    office.wait_for_load_state()

    assert list(Assignment.objects.filter(task=task).values_list("unit__name", "role").order_by("pk")) == [
        ("鞍山市立山区城市建设投资有限公司", AssignmentRole.LEAD),
        ("鞍山市立山区供水有限公司", AssignmentRole.RESPONSIBLE),
    ]
    assert moved(before) == [*RAISED, "tasks.assignment", "tasks.historicalassignment"]
    newest = task_history(task, staff)[0]
    assert newest.subject == "鞍山市立山区供水有限公司" and newest.kind == "+"


def test_the_due_date_form_as_it_opens_changes_nothing_and_a_new_date_changes_the_due_date(office, staff, task):
    office.goto(f"/tasks/{task.pk}/")
    office.click("text=修改完成时限")
    assert office.input_value("input[name=due]") == "2027-12-31"
    before = everything()
    office.fill("input[name=reason]", "核对原文")
    submit_in_place(office, "form[action$='/due/'] button[type=submit]")

    assert moved(before) == []

    office.click("text=修改完成时限")
    office.fill("input[name=due]", "2028-06-30")
    office.fill("input[name=reason]", "经批准顺延")
    submit_in_place(office, "form[action$='/due/'] button[type=submit]")

    task.refresh_from_db()
    assert task.due == datetime.date(2028, 6, 30)
    assert moved(before) == [*RAISED, "tasks.historicaltask", "tasks.task"]
    newest = task_history(task, staff)[0]
    assert ("完成时限", "2027-12-31", "2028-06-30") in [(c.label, c.old, c.new) for c in newest.changes]
    assert newest.reason == "经批准顺延"


def test_the_reminder_rules_as_they_open_change_nothing_and_one_rule_changes_one(office, staff, task):
    ReminderSettings.current().save()
    office.goto("/notifications/rules/")
    before = everything()
    office.click("form.edit-form button.primary")
    office.wait_for_load_state()

    assert moved(before) == []

    office.fill("input[name=overdue_every]", "5")
    office.click("form.edit-form button.primary")
    office.wait_for_load_state()

    rules = ReminderSettings.current()
    assert rules.overdue_every == 5 and rules.escalate_after == 14 and list(rules.days_before) == [30, 7, 1, 0]
    assert moved(before) == ["reminders.historicalremindersettings", "reminders.remindersettings"]
    latest = rules.history.first()
    assert [c.field for c in latest.diff_against(latest.prev_record).changes if c.field != "updated_at"] == [
        "overdue_every"
    ]
