"""Reminders through a real worker and Redis, to a real mail server and a real bot; faults included.

Tests that stop Redis start one of their own on another port and leave the machine's running.
"""

import datetime
import os
import signal
import time

import pytest
from django.urls import reverse

from tasks.choices import AssignmentStatus as S
from tasks.reminders.choices import Channel, DeliveryStatus, Kind
from tasks.reminders.models import Notification, UnitWebhook
from tasks.reminders.sweep import sweep
from tests.factories import AssignmentFactory, TaskFactory, UserFactory
from tests.processes import broker, celery_client, database_url, free_port, process_env, running
from tests.reminders.servers import Mailbox, bot_server, mail_server
from tests.services import own_redis, redis_test_url, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WORKER = [
    "celery",
    "-A",
    "reform",
    "worker",
    "--pool",
    "solo",
    "--loglevel",
    "INFO",
    "--without-mingle",
    "--without-gossip",
]
DEADLINE = datetime.date(2025, 7, 2)


def worker_env(redis_url: str, smtp_port: int, **extra) -> dict:
    return process_env(
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        SITE_URL="https://dbpt.example.gov.cn",
        **extra,
    )


def delivered_ids(mailbox) -> list[str]:
    return [message["X-Reform-Notification"] for message in mailbox.messages]


@pytest.fixture
def overdue(chengtou_company, chengtou_reporter):
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    task = TaskFactory(number="3", title="制定权责清单", due=DEADLINE)
    return AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS, latest_period="2025-07")


def test_a_worker_sends_the_email_and_tells_the_bot_once(overdue, tmp_path):
    redis_url = redis_test_url()
    with mail_server() as (mailbox, smtp_port), bot_server() as bot:
        UnitWebhook.objects.create(unit=overdue.unit, url=bot.url)
        sweep(today=DEADLINE + datetime.timedelta(days=1))
        with running(WORKER, worker_env(redis_url, smtp_port), tmp_path / "worker.log"):
            client = celery_client(redis_url=redis_url)
            client.send_task("reminders.dispatch")
            wait_until(lambda: mailbox.messages and bot.received, timeout=60, what="the e-mail and the bot message")
            client.send_task("reminders.dispatch")  # a second dispatch finds nothing left to send
            time.sleep(2)

    assert len(mailbox.messages) == 1 and len(bot.received) == 1
    message = mailbox.messages[0]
    assert message["Subject"] == "已逾期1天：3. 制定权责清单"
    assert "https://dbpt.example.gov.cn/tasks/" in message.get_body(("plain",)).get_content()
    assert "已逾期1天" in bot.received[0]["json"]["markdown"]["content"]
    assert set(Notification.objects.exclude(channel=Channel.IN_APP).values_list("status", flat=True)) == {
        DeliveryStatus.SENT
    }


def test_a_worker_killed_while_sending_is_replaced_and_each_reminder_goes_once(overdue, tmp_path):
    for n in range(5):
        UserFactory(unit=overdue.unit, email=f"reporter{n}@chengtou.example")
    sweep(today=DEADLINE + datetime.timedelta(days=1))
    emails = Notification.objects.filter(channel=Channel.EMAIL)
    assert emails.count() == 6
    redis_url = redis_test_url()
    # Each recipient is accepted only after a second: a worker killed meanwhile has handed nothing over.
    with mail_server(Mailbox(pause=1.0)) as (mailbox, smtp_port):
        env = worker_env(redis_url, smtp_port, REDIS_VISIBILITY_TIMEOUT="3")
        with running(WORKER, env, tmp_path / "first.log") as first:
            celery_client(redis_url=redis_url).send_task("reminders.dispatch")
            wait_until(lambda: len(mailbox.messages) >= 2, timeout=60, what="two e-mails")
            time.sleep(0.5)  # in the middle of the third
            os.killpg(first.pid, signal.SIGKILL)
        sent_before = len(mailbox.messages)
        assert sent_before < 6
        assert emails.filter(status=DeliveryStatus.SENDING).count() == 1
        with running(WORKER, env, tmp_path / "second.log"):
            wait_until(lambda: len(mailbox.messages) >= 6, timeout=90, what="the rest, from the job given back")
            time.sleep(2)

    ids = delivered_ids(mailbox)
    assert sorted(ids) == sorted(str(pk) for pk in emails.values_list("pk", flat=True))  # each once
    assert set(emails.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_with_redis_down_a_report_is_submitted_at_once_and_staff_are_told_when_it_is_back(
    overdue, chengtou_reporter, staff, client, tmp_path
):
    staff.email = "wxd@gzw.example"
    staff.save()
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    client.force_login(chengtou_reporter)
    with own_redis(port) as (stop_redis, start_redis), broker(redis_url), mail_server() as (mailbox, smtp_port):
        stop_redis()
        started = time.monotonic()
        answer = client.post(
            reverse("tasks:report_submit", args=[overdue.pk]),
            {"period": "2025-07", "percent": 100, "text": "权责清单已印发", "done": "on", "version": overdue.version},
        )
        took = time.monotonic() - started
        page = client.get(reverse("tasks:task_detail", args=[overdue.task_id]))

        assert answer.status_code == 302 and page.status_code == 200
        assert took < 5, f"the submission waited {took:.1f} s for a broker that is down"
        overdue.refresh_from_db()
        assert overdue.status == S.SUBMITTED
        waiting = Notification.objects.get(kind=Kind.SUBMITTED, channel=Channel.EMAIL)
        assert waiting.status == DeliveryStatus.PENDING

        start_redis()
        with running(WORKER, worker_env(redis_url, smtp_port), tmp_path / "worker.log"):
            celery_client(redis_url=redis_url).send_task("reminders.dispatch")  # what beat does every few minutes
            wait_until(lambda: mailbox.messages, timeout=60, what="the e-mail to staff")
            celery_client(redis_url=redis_url).send_task("reminders.dispatch")
            time.sleep(2)

    assert delivered_ids(mailbox) == [str(waiting.pk)]
    assert mailbox.messages[0]["Subject"].strip() == "待验收：鞍山市立山区城市建设投资有限公司，3. 制定权责清单"


def test_two_sweeps_at_once_record_each_reminder_once(overdue, tmp_path):
    env = process_env(DATABASE_URL=database_url(), REDIS_URL=None)
    command = ["python", "manage.py", "send_reminders", "--date", str(DEADLINE + datetime.timedelta(days=1))]
    with running(command, env, tmp_path / "a.log") as first, running(command, env, tmp_path / "b.log") as second:
        assert first.wait(timeout=60) == 0, (tmp_path / "a.log").read_text()
        assert second.wait(timeout=60) == 0, (tmp_path / "b.log").read_text()

    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 2  # in the platform and by e-mail
