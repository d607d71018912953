"""一键催报: staff urge the units with no progress report this month, as one batch in the delivery log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.reminders.choices import Channel, Kind
from tasks.reminders.models import Notification, UnitWebhook, UrgeBatch
from tasks.reminders.urging import reports_urge, units_owing_reports
from tasks.work import Scope, period_of
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory

TODAY = timezone.localdate()
THIS_MONTH = period_of(TODAY)


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office):
    """城投 owes two reports (tasks 2 and 10, in the document's order), 供热 has reported, 国资局's work is done."""
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    tasks = {n: TaskFactory(plan=plan, number=str(n), title=f"任务{n}", position=n) for n in (2, 10, 11)}
    AssignmentFactory(task=tasks[10], unit=chengtou_company, status=S.IN_PROGRESS, latest_period="")
    AssignmentFactory(task=tasks[2], unit=chengtou_company, status=S.NOT_STARTED, latest_period="")
    AssignmentFactory(task=tasks[10], unit=gongre_company, status=S.IN_PROGRESS, latest_period=THIS_MONTH)
    AssignmentFactory(task=tasks[11], unit=sasac_office, status=S.ACCEPTED, latest_period="")
    return plan


def test_the_units_owing_are_those_the_work_list_counts(plan, staff, chengtou_company):
    [owing] = units_owing_reports(staff, Scope(plan=plan))

    assert (owing.unit_id, owing.tasks) == (chengtou_company.pk, ["2. 任务2", "10. 任务10"])


def test_one_message_a_unit_to_its_reporters_and_bot_keyed_by_the_batch(
    plan, staff, chengtou_company, chengtou_reporter, gongre_reporter
):
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    UnitWebhook.objects.create(unit=chengtou_company, url="http://127.0.0.1:9/hook")

    batch = reports_urge(user=staff, scope=Scope(plan=plan), note="请于本周五前报送。")

    sent = Notification.objects.filter(kind=Kind.REPORT_URGED)
    assert (batch.units, batch.period, batch.sent_by) == (1, THIS_MONTH, staff)
    assert set(sent.values_list("recipient_key", "channel")) == {
        (f"user:{chengtou_reporter.pk}", Channel.IN_APP),
        (f"user:{chengtou_reporter.pk}", Channel.EMAIL),
        (f"unit:{chengtou_company.pk}", Channel.WEBHOOK),
    }
    assert set(sent.values_list("subject_key", flat=True)) == {f"urge:{batch.pk}"}
    message = sent.first()
    assert message.title == f"请报送进展：鞍山市立山区城市建设投资有限公司尚有2项任务未报送{THIS_MONTH}进展"
    assert message.body.splitlines() == ["请于本周五前报送。", "· 2. 任务2", "· 10. 任务10"]


def test_a_second_batch_the_same_day_is_a_new_urging(plan, staff, chengtou_reporter):
    reports_urge(user=staff, scope=Scope(plan=plan))
    reports_urge(user=staff, scope=Scope(plan=plan))

    assert UrgeBatch.objects.count() == 2
    assert Notification.objects.filter(kind=Kind.REPORT_URGED, channel=Channel.IN_APP).count() == 2


def test_bad_urgings_are_refused_and_record_nothing(plan, staff, leader, chengtou_reporter, gongre_company):
    with pytest.raises(PermissionDenied):
        reports_urge(user=leader, scope=Scope(plan=plan))
    with pytest.raises(ValidationError, match="过去某日"):
        reports_urge(user=staff, scope=Scope(plan=plan, as_of=TODAY - datetime.timedelta(days=3)))
    with pytest.raises(ValidationError):
        reports_urge(user=staff, scope=Scope(plan=plan), unit_ids={gongre_company.pk})  # it has reported

    assert not UrgeBatch.objects.exists() and not Notification.objects.exists()


def test_from_the_work_list_staff_tick_the_units_and_land_on_the_delivery_log(
    client, plan, staff, chengtou_company, chengtou_reporter
):
    client.force_login(staff)
    scope = f"plan={plan.pk}&measure=report_missing"
    work_list = client.get(f"{reverse('tasks:work_list')}?{scope}").content.decode()
    urge_url = f"{reverse('tasks:reports_urge')}?{scope}"
    assert urge_url.replace("&", "&amp;") in work_list

    page = client.get(urge_url).content.decode()
    assert f'name="unit" value="{chengtou_company.pk}" checked' in page and "鞍山市立山区供热有限公司" not in page

    answer = client.post(urge_url, {"unit": [chengtou_company.pk], "note": ""}, follow=True)

    assert answer.redirect_chain[-1][0] == f"{reverse('reminders:delivery_log')}?kind=report_urged"
    assert "已向1个单位催报" in answer.content.decode()
    assert Notification.objects.filter(kind=Kind.REPORT_URGED, recipient=chengtou_reporter).exists()


@pytest.mark.parametrize(("data", "message"), [({}, "请勾选要催报的单位。"), ({"unit": ["x"]}, "不是有效的编号。")])
def test_a_bad_urging_form_says_so(client, plan, staff, data, message):
    client.force_login(staff)

    answer = client.post(f"{reverse('tasks:reports_urge')}?plan={plan.pk}", data, follow=True)

    assert message in answer.content.decode() and not UrgeBatch.objects.exists()


def test_units_and_leaders_cannot_urge(client, plan, chengtou_reporter, leader):
    for who in (chengtou_reporter, leader):
        client.force_login(who)
        assert client.get(reverse("tasks:reports_urge")).status_code == 403
        assert "催报" not in client.get(f"{reverse('tasks:work_list')}?measure=report_missing").content.decode()


def test_the_dashboards_missing_reports_figure_leads_staff_to_urging_them(client, plan, staff, leader):
    client.force_login(staff)
    board = client.get(reverse("reports:dashboard"), {"plan": plan.pk}).content.decode()
    link = reverse("tasks:reports_urge") + f"?plan={plan.pk}"
    urging = client.get(link).content.decode()
    client.force_login(leader)

    assert f'href="{link}"' in board and "一键催报" in board
    assert "鞍山市立山区城市建设投资有限公司" in urging
    assert "tasks/work/urge" not in client.get(reverse("reports:dashboard"), {"plan": plan.pk}).content.decode()
    past = (TODAY - datetime.timedelta(days=1)).isoformat()
    client.force_login(staff)
    assert (
        "tasks/work/urge"
        not in client.get(reverse("reports:dashboard"), {"plan": plan.pk, "as_of": past}).content.decode()
    )
