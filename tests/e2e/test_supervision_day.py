"""The day the platform was tried, repeated in a real browser with a real worker and beat, a mail
server and a group-chat bot on 127.0.0.1: the morning's sweep, then a unit reporting, another asking,
staff returning and answering, a leader's 批示 — and at the end each person's inbox holds exactly
what they must act on, once, however many more times beat sweeps that day.

The day is today (the worker's clock is the real one): the rules are set from it (the report day,
the digest's weekday, no moving of reminders off days off) so that any day of the week or month
runs the same story."""

import datetime
import time
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, Question, ReportingRound
from tasks.reminders.choices import Channel, DeliveryStatus, Kind
from tasks.reminders.models import Notification, ReminderSettings, UnitWebhook
from tests.e2e.conftest import sign_in, submit_in_place
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory
from tests.processes import broker, running
from tests.reminders.servers import bot_server, mail_server
from tests.reminders.test_worker import WORKER, worker_env
from tests.services import redis_test_url, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.redis]
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BEAT_EVERY = "2"  # seconds between sweeps (and dispatches): several run while the day goes on


def days(today, n):
    return today + datetime.timedelta(days=n)


# The story takes under a minute; begun just before midnight, it would end on another day than the
# worker's sweep began it (their clock is the real one, in the platform's time zone).
MINUTES_IT_TAKES = 3


@pytest.fixture
def a_whole_day():
    """Starts the story on one day: after midnight, if it would otherwise run across it."""
    now = timezone.localtime()
    midnight = (now + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=5, microsecond=0)
    if midnight - now < datetime.timedelta(minutes=MINUTES_IT_TAKES):
        time.sleep((midnight - now).total_seconds())


@pytest.fixture
def morning(a_whole_day, chengtou_company, gongre_company, chengtou_reporter, gongre_reporter, staff, leader):
    """城投 has two pieces of work overdue (one 15 days: raised to the leader), one due in a week, no
    report this month; 供热 is due in 30 days. This month's 月报 opens by itself today. Everyone reads
    e-mail."""
    today = timezone.localdate()
    rules = ReminderSettings.current()
    rules.workdays_only, rules.report_day, rules.digest_weekday = False, today.day, today.weekday()
    rules.round_open_day, rules.round_deadline_day = today.day, 28  # this month's 月报 opens this morning
    rules.save()
    for user, address in (
        (chengtou_reporter, "lina@chengtou.example"),
        (gongre_reporter, "zhou@gongre.example"),
        (staff, "wxd@gzw.example"),
        (leader, "cjg@lishan.example"),
    ):
        user.email = address
        user.save()
    plan = PlanFactory(title="立山区国企改革三年行动实施方案")
    late = TaskFactory(plan=plan, number="1", title="压减管理层级", due=days(today, -1), position=1)
    long_late = TaskFactory(plan=plan, number="2", title="制定权责清单", due=days(today, -15), position=2)
    soon = TaskFactory(plan=plan, number="3", title="清理低效资产", due=days(today, 7), position=3)
    for task in (late, long_late, soon):
        AssignmentFactory(task=task, unit=chengtou_company, role=AssignmentRole.LEAD, status=S.IN_PROGRESS)
    theirs = AssignmentFactory(task=late, unit=gongre_company, status=S.IN_PROGRESS, due=days(today, 30))
    return {"late": late, "long_late": long_late, "theirs": theirs}


def beat(schedule: Path) -> list[str]:
    return ["celery", "-A", "reform", "beat", "--loglevel", "INFO", "--schedule", str(schedule)]


def kinds_by_address(mailbox) -> dict[str, Counter]:
    ids = [int(message["X-Reform-Notification"]) for message in mailbox.messages]
    kinds = dict(Notification.objects.filter(pk__in=ids).values_list("pk", "kind"))
    found: dict[str, Counter] = {}
    for message, pk in zip(mailbox.messages, ids, strict=True):
        found.setdefault(str(message["To"]), Counter())[kinds[pk]] += 1
    return found


def test_the_day_ends_with_each_inbox_holding_what_its_owner_must_act_on_once(
    browser, live_server, morning, staff, leader, chengtou_reporter, gongre_reporter, chengtou_company, tmp_path
):
    redis_url = redis_test_url()
    with mail_server() as (mailbox, smtp_port), bot_server() as bot, broker(redis_url):
        UnitWebhook.objects.create(unit=chengtou_company, url=bot.url)
        env = worker_env(redis_url, smtp_port, REMINDER_SWEEP_SECONDS=BEAT_EVERY, REMINDER_DISPATCH_SECONDS=BEAT_EVERY)
        with (
            running(WORKER, env, tmp_path / "worker.log"),
            running(beat(tmp_path / "beat-schedule"), env, tmp_path / "beat.log"),
        ):
            # Six o'clock: beat's sweep, its messages sent by the worker.
            wait_until(
                lambda: (
                    {"lina@chengtou.example", "zhou@gongre.example", "cjg@lishan.example"}
                    <= set(kinds_by_address(mailbox))
                ),
                timeout=90,
                what="the morning's reminders",
            )

            def signed_in(user):
                context = browser.new_context(base_url=live_server.url, locale="zh-CN")
                page = context.new_page()
                sign_in(page, user.username)
                return page

            # 供热 reports with a file and submits; 城投 asks the office a question.
            evidence = tmp_path / "压减管理层级实施情况.pdf"
            evidence.write_bytes(PDF)
            unit = signed_in(gongre_reporter)
            unit.goto(reverse("tasks:task_detail", args=[morning["late"].pk]))
            unit.fill("input[name=percent]", "100")
            unit.fill("form.report-form textarea[name=text]", "管理层级已压减至三级")
            unit.set_input_files("input[name=files]", str(evidence))
            unit.check("input[name=done]")
            submit_in_place(unit, "text=报送进展")
            asking = signed_in(chengtou_reporter)
            asking.goto(reverse("tasks:task_detail", args=[morning["long_late"].pk]))
            assert asking.locator("details.question-form[open]").count() == 1  # open: nothing asked yet
            with asking.expect_navigation():
                asking.fill("form[action$='/question/'] textarea[name=text]", "权责清单需报哪一级审批？")
                asking.click("text=发送问题")

            # Staff work through 待办事项: return the submission with one reason, answer the question.
            office = signed_in(staff)
            office.goto(reverse("tasks:review_queue"))
            assert "权责清单需报哪一级审批？" in office.locator("#questions").inner_text()
            office.check("input[name=assignment]")
            office.fill("form:has(input[name=assignment]) textarea[name=comment]", "请补充董事会决议")
            with office.expect_navigation():
                office.click("text=退回所选")
            office.fill("#questions textarea[name=text]", "报区国资局审批。")
            with office.expect_navigation():
                office.click("#questions button:has-text('答复')")
            assert "没有待答复的单位提问" in office.locator("#questions").inner_text()

            # The leader gives a 批示 on the long-overdue task.
            chief = signed_in(leader)
            chief.goto(reverse("tasks:task_detail", args=[morning["long_late"].pk]))
            chief.fill(".instruction-form textarea[name=text]", "要加快进度，月底前见成效")
            submit_in_place(chief, ".instruction-form button")

            def everything_sent():
                outside = Notification.objects.exclude(channel=Channel.IN_APP)
                return outside.exists() and not outside.exclude(status=DeliveryStatus.SENT).exists()

            wait_until(everything_sent, timeout=90, what="every message sent")
            settled = (len(mailbox.messages), len(bot.received))
            # More sweeps and dispatches of the same day: nothing is recorded or sent again.
            swept_before = (tmp_path / "beat.log").read_text().count("reminders.sweep")
            wait_until(
                lambda: (tmp_path / "beat.log").read_text().count("reminders.sweep") >= swept_before + 2,
                timeout=30,
                what="two more sweeps",
            )
            wait_until(everything_sent, timeout=30, what="nothing left to send")

    assert (len(mailbox.messages), len(bot.received)) == settled
    assert Assignment.objects.get(pk=morning["theirs"].pk).status == S.RETURNED
    assert Question.objects.get().answer == "报区国资局审批。"
    assert ReportingRound.objects.get().period == f"{timezone.localdate():%Y-%m}"
    # Each person's mail: the day's reminders as one message, and each event that waits on them.
    assert kinds_by_address(mailbox) == {
        "lina@chengtou.example": Counter({Kind.DAILY: 1, Kind.QUESTION_ANSWERED: 1, Kind.INSTRUCTION: 1}),
        "zhou@gongre.example": Counter({Kind.DAILY: 1, Kind.RETURNED: 1}),
        "wxd@gzw.example": Counter({Kind.SUBMITTED: 1, Kind.QUESTION_ASKED: 1, Kind.INSTRUCTION: 1}),
        "cjg@lishan.example": Counter({Kind.ESCALATION: 1}),  # one task raised: one message as it is
    }
    daily = next(m for m in mailbox.messages if m["To"] == "lina@chengtou.example" and "今日提醒" in m["Subject"])
    body = daily.get_body(("plain",)).get_content()
    for words in ("压减管理层级", "制定权责清单", "清理低效资产", "月报请于"):
        assert words in body, words
    # 城投's bot: the same day's reminders as one post, and its two events.
    posts = [post["json"]["markdown"]["content"] for post in bot.received]
    assert len(posts) == 3 and sum("今日提醒" in post for post in posts) == 1
    # In the platform each item stays an entry, once: the unit's inbox page lists them all.
    in_app = Notification.objects.filter(recipient=chengtou_reporter, channel=Channel.IN_APP)
    assert Counter(in_app.values_list("kind", flat=True)) == Counter(
        {
            Kind.OVERDUE: 2,
            Kind.ESCALATION: 1,
            Kind.DUE_SOON: 1,
            Kind.REPORT_MISSING: 1,
            Kind.ROUND_OPENED: 1,
            Kind.DIGEST: 1,
            Kind.QUESTION_ANSWERED: 1,
            Kind.INSTRUCTION: 1,
        }
    )
    inbox = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    sign_in(inbox, chengtou_reporter.username)
    inbox.goto(reverse("reminders:notification_list"))
    titles = inbox.locator("li.notification strong").all_inner_texts()
    assert len(titles) == in_app.count() == len(set(titles))
