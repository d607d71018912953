"""The sweep records each reminder once, for the right people by their channels, from the database."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs.choices import Role
from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.reminders.choices import Channel, DeliveryStatus, Kind, WebhookFlavour
from tasks.reminders.models import ChannelChoice, Notification, ReminderSettings, SweepRun, UnitWebhook
from tasks.reminders.sweep import sweep
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory, UserFactory

D = datetime.date
DEADLINE = D(2025, 7, 2)  # a Wednesday


@pytest.fixture
def plan(db):
    return PlanFactory(issued_on=D(2025, 1, 10), period_start=D(2025, 1, 1), period_end=D(2025, 12, 31))


@pytest.fixture
def late_work(plan, chengtou_company, chengtou_reporter):
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    task = TaskFactory(plan=plan, number="3", title="制定权责清单", due=DEADLINE)
    return AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS, latest_period="2025-06")


def kinds(day=None):
    rows = Notification.objects.order_by("kind", "channel", "recipient_key")
    if day:
        rows = rows.filter(key_date=day)
    return list(rows.values_list("kind", "channel", "recipient_key", "step"))


def test_a_unit_is_reminded_in_the_platform_and_by_email(late_work, chengtou_reporter):
    outcome = sweep(today=D(2025, 6, 25))

    assert outcome.created == 2
    assert kinds() == [
        (Kind.DUE_SOON, Channel.EMAIL, f"user:{chengtou_reporter.pk}", 7),
        (Kind.DUE_SOON, Channel.IN_APP, f"user:{chengtou_reporter.pk}", 7),
    ]
    in_app = Notification.objects.get(channel=Channel.IN_APP)
    assert in_app.title == "7天后到期：3. 制定权责清单"
    assert "2025-07-02" in in_app.body and in_app.link == f"/tasks/{late_work.task_id}/"
    assert in_app.status == DeliveryStatus.SENT  # delivered by being recorded
    assert Notification.objects.get(channel=Channel.EMAIL).status == DeliveryStatus.PENDING


def test_the_unit_bot_is_told_and_users_choices_are_kept(late_work, chengtou_reporter, chengtou_company):
    UnitWebhook.objects.create(unit=chengtou_company, url="http://127.0.0.1:9/hook", flavour=WebhookFlavour.WECOM)
    ChannelChoice.objects.create(user=chengtou_reporter, in_app=True, email=False)

    sweep(today=D(2025, 6, 25))

    assert kinds() == [
        (Kind.DUE_SOON, Channel.IN_APP, f"user:{chengtou_reporter.pk}", 7),
        (Kind.DUE_SOON, Channel.WEBHOOK, f"unit:{chengtou_company.pk}", 7),
    ]


def test_three_sweeps_in_a_row_create_nothing_new(late_work):
    first = sweep(today=D(2025, 6, 25)).created
    again = [sweep(today=D(2025, 6, 25)).created for _ in range(2)]

    assert (first, again) == (2, [0, 0])
    assert Notification.objects.count() == 2
    assert SweepRun.objects.get(day=D(2025, 6, 25)).created == 0  # the last run's count


def test_a_sweep_after_a_three_day_gap_catches_up(late_work, chengtou_reporter):
    sweep(today=D(2025, 6, 27))
    # Nothing ran from the 28th to the 1st: the day-before reminder fell in the gap; the
    # deadline's own is today's, and the latest.
    outcome = sweep(today=D(2025, 7, 2))

    assert outcome.window.first == D(2025, 6, 28)
    assert (Kind.DUE_SOON, Channel.IN_APP, f"user:{chengtou_reporter.pk}", 0) in kinds()


def test_the_first_sweep_does_not_reach_back(late_work):
    assert sweep(today=D(2025, 7, 2)).window.first == D(2025, 7, 2)


def test_nothing_for_submitted_accepted_or_cancelled_work_or_withdrawn_tasks(late_work):
    for status in (S.SUBMITTED, S.ACCEPTED, S.CANCELLED):
        type(late_work).objects.filter(pk=late_work.pk).update(status=status)
        assert sweep(today=D(2025, 7, 3), dry_run=True).notifications == []
    type(late_work).objects.filter(pk=late_work.pk).update(status=S.IN_PROGRESS)
    late_work.task.withdrawn_at = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    late_work.task.save()
    assert sweep(today=D(2025, 7, 3), dry_run=True).notifications == []


def test_an_extension_moves_the_reminders(late_work):
    type(late_work).objects.filter(pk=late_work.pk).update(due=D(2025, 7, 31))

    assert sweep(today=D(2025, 7, 3), dry_run=True).notifications == []  # no longer overdue
    assert {n.step for n in sweep(today=D(2025, 7, 24), dry_run=True).notifications} == {7}


def test_escalation_reaches_the_lead_unit_and_the_leaders(late_work, leader, sasac_office, staff):
    AssignmentFactory(task=late_work.task, unit=sasac_office, role=AssignmentRole.LEAD, status=S.SUBMITTED)

    sweep(today=D(2025, 7, 17))  # 15 days late

    escalated = set(Notification.objects.filter(kind=Kind.ESCALATION).values_list("recipient_key", flat=True))
    assert escalated == {f"user:{leader.pk}", f"user:{staff.pk}"}
    assert Notification.objects.filter(kind=Kind.ESCALATION, recipient_key=f"user:{leader.pk}").get().title == (
        "逾期超过14天：鞍山市立山区城市建设投资有限公司，3. 制定权责清单"
    )


def test_the_rules_staff_set_are_the_ones_swept(late_work):
    ReminderSettings.objects.create(pk=1, days_before=[10], workdays_only=False)

    assert sweep(today=D(2025, 6, 25), dry_run=True).notifications == []
    assert {n.step for n in sweep(today=D(2025, 6, 22), dry_run=True).notifications} == {10}


def test_the_weekly_digest_lists_the_units_work(late_work, chengtou_reporter):
    sweep(today=D(2025, 7, 7))  # a Monday, five days late

    digest = Notification.objects.get(kind=Kind.DIGEST, channel=Channel.IN_APP)
    assert digest.title == "鞍山市立山区城市建设投资有限公司每周汇总：在办1项，即将到期0项，已逾期1项"
    assert "2025-07-02 3. 制定权责清单" in digest.body
    assert digest.subject_key == f"unit:{late_work.unit_id}"


def test_the_sweep_reads_with_a_fixed_number_of_queries(plan, chengtou_company, chengtou_reporter):
    def count(day):
        with CaptureQueriesContext(connection) as queries:
            sweep(today=day, dry_run=True)
        return len(queries)

    task = TaskFactory(plan=plan, due=DEADLINE)
    AssignmentFactory(task=task, unit=chengtou_company)
    few = count(D(2025, 6, 25))
    for n in range(30):
        unit = UnitFactory()
        UserFactory(unit=unit, role=Role.REPORTER, email=f"r{n}@example.com")
        AssignmentFactory(task=TaskFactory(plan=plan, due=DEADLINE), unit=unit)

    assert count(D(2025, 6, 25)) == few


def test_dry_run_writes_nothing_and_prints_json(late_work, chengtou_reporter, capsys):
    call_command("send_reminders", "--date", "2025-06-25", "--dry-run", "--json")

    printed = json.loads(capsys.readouterr().out)
    assert printed == [
        {
            "recipient": chengtou_reporter.username,
            "recipient_key": f"user:{chengtou_reporter.pk}",
            "unit": "鞍山市立山区城市建设投资有限公司",
            "kind": "due_soon",
            "object": f"assignment:{late_work.pk}",
            "title": "7天后到期：3. 制定权责清单",
            "due_date": "2025-07-02",
            "step": 7,
            "channels": ["in_app", "email"],
        }
    ]
    assert not Notification.objects.exists() and not SweepRun.objects.exists()
    assert not ReminderSettings.objects.exists()


def test_the_command_records_and_says_how_many(late_work, capsys):
    call_command("send_reminders", "--date", "2025-06-25")
    call_command("send_reminders", "--date", "2025-06-25")

    assert capsys.readouterr().out.splitlines() == [
        "2025-06-25…2025-06-25 已生成 2 条提醒。",
        "2025-06-25…2025-06-25 已生成 0 条提醒。",
    ]


def test_a_bad_date_is_refused_with_a_message(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "2025-13-01")


def test_one_monthly_report_reminder_per_unit_names_each_task_not_reported(plan, chengtou_company, chengtou_reporter):
    for number, title, reported in (
        ("1", "完善权责清单", "2025-05"),
        ("2", "压减管理层级", ""),
        ("3", "清理低效资产", "2025-06"),
    ):
        task = TaskFactory(plan=plan, number=number, title=title, due=D(2025, 12, 31))
        AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS, latest_period=reported)

    sweep(today=D(2025, 6, 25))  # the report day, a Wednesday

    reminder = Notification.objects.get(kind=Kind.REPORT_MISSING)
    assert reminder.title == "鞍山市立山区城市建设投资有限公司：尚有2项任务未报送2025-06进展"
    assert reminder.body.splitlines() == ["· 1. 完善权责清单", "· 2. 压减管理层级"]
    assert (reminder.subject_key, reminder.key_date) == (f"unit:{chengtou_company.pk}", D(2025, 6, 1))


@pytest.mark.parametrize(
    ("deadline", "day", "title"),
    [
        (D(2025, 6, 29), D(2025, 6, 27), "2天后到期：3. 制定权责清单"),  # a Sunday deadline, reminded on Friday
        (D(2025, 10, 8), D(2025, 9, 30), "8天后到期：3. 制定权责清单"),  # in the National Day holiday
        (D(2025, 9, 30), D(2025, 10, 9), "已逾期9天：3. 制定权责清单"),  # late from the 1st, told on the 9th
    ],
)
def test_the_days_named_are_counted_from_the_day_it_goes_out(late_work, deadline, day, title):
    type(late_work).objects.filter(pk=late_work.pk).update(due=deadline, latest_period="2025-12")

    found = sweep(today=day, dry_run=True).notifications
    titles = {n.title for n in found if n.channel == Channel.IN_APP and n.kind != Kind.DIGEST}

    assert titles == {title}


def test_the_digest_and_the_report_reminder_list_tasks_in_document_order(plan, chengtou_company, chengtou_reporter):
    numbers = ["1", "2", "10", "12", "20"]  # as text, "10" sorts before "2"
    tasks = [
        TaskFactory(plan=plan, number=number, title=f"任务{number}", position=position, due=D(2025, 7, 2))
        for position, number in enumerate(numbers, start=1)
    ]
    for task in reversed(tasks):  # assigned in another order than the document's
        AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS, latest_period="")

    sweep(today=D(2025, 7, 7))  # a Monday: the digest
    sweep(today=D(2025, 7, 25))  # the report day

    digest = Notification.objects.filter(kind=Kind.DIGEST, channel=Channel.IN_APP).earliest("key_date")
    assert [line.split()[-1] for line in digest.body.splitlines() if line.startswith("·")] == [
        f"任务{number}" for number in numbers
    ]
    reminder = Notification.objects.filter(kind=Kind.REPORT_MISSING, channel=Channel.IN_APP).latest("key_date")
    assert reminder.body.splitlines() == [f"· {number}. 任务{number}" for number in numbers]


def test_a_days_reminders_reach_each_recipient_by_mail_and_bot_as_one_message(
    plan, chengtou_company, chengtou_reporter, leader
):
    """Three tasks 15 days late on a Monday: each overdue and escalated, and the weekly digest, seven
    entries in the platform, one e-mail and one bot post; the leader's three escalations one e-mail too."""
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    leader.email = "zhang@gzw.example"
    leader.save()
    UnitWebhook.objects.create(unit=chengtou_company, url="http://127.0.0.1:9/hook")
    for number in (1, 2, 3):
        task = TaskFactory(plan=plan, number=str(number), title=f"任务{number}", position=number, due=D(2025, 6, 29))
        AssignmentFactory(
            task=task, unit=chengtou_company, role=AssignmentRole.LEAD, status=S.IN_PROGRESS, latest_period="2025-07"
        )
    monday = D(2025, 7, 14)

    sweep(today=monday)
    sweep(today=monday)  # a second beat the same morning

    unit_mail = Notification.objects.filter(recipient=chengtou_reporter, channel=Channel.EMAIL)
    [daily] = unit_mail
    assert daily.kind == Kind.DAILY and daily.key_date == monday
    lines = daily.body.splitlines()
    assert len(lines) == Notification.objects.filter(recipient=chengtou_reporter, channel=Channel.IN_APP).count() > 1
    assert lines[-1].startswith("· 鞍山市立山区城市建设投资有限公司每周汇总")  # the least urgent last
    assert daily.title.startswith(f"今日提醒：共{len(lines)}项")
    assert (
        Notification.objects.filter(recipient_key=f"unit:{chengtou_company.pk}", channel=Channel.WEBHOOK).count() == 1
    )
    [escalations] = Notification.objects.filter(recipient=leader, channel=Channel.EMAIL)
    assert escalations.kind == Kind.DAILY and escalations.body.count("·") == 3
    assert escalations.link == "/dashboard/"
    assert Notification.objects.filter(recipient=leader, channel=Channel.IN_APP, kind=Kind.ESCALATION).count() == 3
