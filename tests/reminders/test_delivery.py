"""Delivery by e-mail and to group-chat bots: claimed once, retried when it may help, failures kept."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from tasks.reminders import delivery
from tasks.reminders.choices import Channel, DeliveryStatus, WebhookFlavour
from tasks.reminders.models import Notification, UnitWebhook
from tests.factories import AssignmentFactory, NotificationFactory
from tests.reminders.servers import Bot, bot_server

NOW = timezone.now()


@pytest.fixture
def assignment(chengtou_company):
    return AssignmentFactory(unit=chengtou_company)


def notification(assignment, channel, user=None, **fields) -> Notification:
    return NotificationFactory(assignment=assignment, channel=channel, recipient=user, **fields)


def row(pk) -> Notification:
    return Notification.objects.get(pk=pk)


def test_an_email_in_chinese_with_html_text_and_the_link(assignment, chengtou_reporter, settings):
    settings.SITE_URL = "https://dbpt.gzw.example.gov.cn"
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    sent = notification(assignment, Channel.EMAIL, chengtou_reporter)

    assert delivery.deliver(sent.pk, job_id="job-1") == "sent"

    (message,) = mail.outbox
    assert message.subject == "已逾期1天：3. 制定权责清单"
    assert message.to == ["lina@chengtou.example"]
    link = f"https://dbpt.gzw.example.gov.cn/tasks/{assignment.task_id}/"
    assert "李娜：您好！" in message.body and link in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f'href="{link}"' in html and "在平台中查看" in html
    done = row(sent.pk)
    assert (done.status, done.attempts, done.error) == (DeliveryStatus.SENT, 1, "")
    assert done.sent_at is not None


def test_a_second_job_for_the_same_row_sends_nothing(assignment, chengtou_reporter):
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    sent = notification(assignment, Channel.EMAIL, chengtou_reporter)

    outcomes = [delivery.deliver(sent.pk, job_id=job) for job in ("job-1", "job-1", "job-2")]

    assert outcomes == ["sent", "skipped", "skipped"]
    assert len(mail.outbox) == 1


def test_a_redelivered_job_takes_back_the_row_it_claimed_before_dying(assignment, chengtou_reporter):
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    stuck = notification(assignment, Channel.EMAIL, chengtou_reporter)
    Notification.objects.filter(pk=stuck.pk).update(status=DeliveryStatus.SENDING, claimed_by="job-1", claimed_at=NOW)

    assert delivery.deliver(stuck.pk, job_id="job-2") == "skipped"  # someone else's claim
    assert delivery.deliver(stuck.pk, job_id="job-1") == "sent"  # the same job, given back by the broker
    assert len(mail.outbox) == 1


def test_no_address_is_a_permanent_failure_shown_on_the_row(assignment, chengtou_reporter):
    failed = notification(assignment, Channel.EMAIL, chengtou_reporter)

    assert delivery.deliver(failed.pk, job_id="job-1") == "failed"

    assert (row(failed.pk).status, row(failed.pk).error) == (DeliveryStatus.FAILED, "收件人没有电子邮箱地址。")


def test_a_mail_server_away_is_retried_with_backoff_then_given_up(assignment, chengtou_reporter, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    settings.REMINDER_MAX_ATTEMPTS = 3
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    retried = notification(assignment, Channel.EMAIL, chengtou_reporter)

    assert delivery.deliver(retried.pk, job_id="job-1") == "retry"
    first = row(retried.pk)
    assert first.status == DeliveryStatus.PENDING and "无法连接邮件服务器" in first.error
    assert first.next_attempt_at - timezone.now() > datetime.timedelta(seconds=50)  # one minute on
    assert delivery.deliver(retried.pk, job_id="job-2") == "retry"
    assert row(retried.pk).next_attempt_at - timezone.now() > datetime.timedelta(minutes=4)  # five minutes on
    assert delivery.deliver(retried.pk, job_id="job-3") == "failed"
    assert (row(retried.pk).status, row(retried.pk).attempts) == (DeliveryStatus.FAILED, 3)


@pytest.mark.parametrize(
    ("flavour", "expected"),
    [
        (
            WebhookFlavour.WECOM,
            lambda body: body["msgtype"] == "markdown" and "已逾期1天" in body["markdown"]["content"],
        ),
        (
            WebhookFlavour.DINGTALK,
            lambda body: (
                body["markdown"]["title"] == "已逾期1天：3. 制定权责清单" and "在平台中查看" in body["markdown"]["text"]
            ),
        ),
        (WebhookFlavour.GENERIC, lambda body: body["kind"] == "overdue" and body["link"].endswith("/tasks/%d/")),
    ],
)
def test_a_group_chat_bot_gets_its_own_json(assignment, flavour, expected):
    with bot_server() as bot:
        UnitWebhook.objects.create(unit=assignment.unit, url=bot.url, flavour=flavour)
        told = notification(assignment, Channel.WEBHOOK)

        assert delivery.deliver(told.pk, job_id="job-1") == "sent"

    (request,) = bot.received
    body = request["json"]
    if flavour == WebhookFlavour.GENERIC:
        body["link"] = body["link"].replace(str(assignment.task_id), "%d")
    assert expected(body)
    assert request["headers"]["X-Reform-Notification"] == str(told.pk)


def test_a_dingtalk_bot_with_a_secret_gets_a_signed_address(assignment):
    with bot_server() as bot:
        UnitWebhook.objects.create(unit=assignment.unit, url=bot.url, flavour=WebhookFlavour.DINGTALK, secret="SEC123")
        delivery.deliver(notification(assignment, Channel.WEBHOOK).pk, job_id="job-1")

    path = bot.received[0]["path"]
    assert "&timestamp=" in path and "&sign=" in path


@pytest.mark.parametrize(
    ("answer", "outcome", "error"),
    [
        ((500, {}), "retry", "HTTP 500"),
        ((429, {}), "retry", "HTTP 429"),
        ((404, {}), "failed", "HTTP 404"),
        ((200, {"errcode": 45009, "errmsg": "api freq out of limit"}), "retry", "频率受限"),
        ((200, {"errcode": 93000, "errmsg": "invalid webhook url"}), "failed", "93000"),
    ],
)
def test_bot_answers_decide_between_retry_and_failure(assignment, answer, outcome, error):
    with bot_server(Bot(answers=[answer])) as bot:
        UnitWebhook.objects.create(unit=assignment.unit, url=bot.url)
        told = notification(assignment, Channel.WEBHOOK)

        assert delivery.deliver(told.pk, job_id="job-1") == outcome

    assert error in row(told.pk).error


def test_a_bot_that_cannot_be_reached_is_retried(assignment):
    UnitWebhook.objects.create(unit=assignment.unit, url="http://127.0.0.1:9/hook")
    told = notification(assignment, Channel.WEBHOOK)

    assert delivery.deliver(told.pk, job_id="job-1") == "retry"
    assert "无法连接群机器人" in row(told.pk).error


def test_dispatch_hands_due_rows_to_jobs_and_not_again_at_once(assignment, chengtou_reporter):
    rows = [notification(assignment, Channel.EMAIL, chengtou_reporter, step=-n) for n in range(1, 46)]
    later = notification(assignment, Channel.EMAIL, chengtou_reporter, step=-99)
    Notification.objects.filter(pk=later.pk).update(next_attempt_at=NOW + datetime.timedelta(hours=1))
    published = []

    class Job:
        name = "reminders.deliver"

        def apply_async(self, args, retry):
            published.append(args[0])

    assert delivery.dispatch(Job()) == 45
    assert [len(chunk) for chunk in published] == [20, 20, 5]
    assert sorted(pk for chunk in published for pk in chunk) == sorted(r.pk for r in rows)
    assert delivery.dispatch(Job()) == 0  # handed over: not again for a while


def test_dispatch_with_the_broker_down_leaves_rows_due(assignment, chengtou_reporter):
    due = notification(assignment, Channel.EMAIL, chengtou_reporter)

    class Down:
        name = "reminders.deliver"

        def apply_async(self, args, retry):
            raise ConnectionRefusedError("redis is down")

    assert delivery.dispatch(Down()) == 0
    assert row(due.pk).next_attempt_at <= timezone.now()


def test_a_claim_left_by_a_vanished_job_is_freed_after_a_while(assignment, chengtou_reporter, settings):
    stuck = notification(assignment, Channel.EMAIL, chengtou_reporter)
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.REMINDER_CLAIM_MINUTES + 1)
    Notification.objects.filter(pk=stuck.pk).update(
        status=DeliveryStatus.SENDING, claimed_by="gone", claimed_at=long_ago
    )

    assert delivery.due_for_delivery(timezone.now()) == [stuck.pk]
    assert row(stuck.pk).status == DeliveryStatus.PENDING


def test_in_platform_notifications_are_never_sent_again(assignment, chengtou_reporter):
    shown = notification(assignment, Channel.IN_APP, chengtou_reporter)
    Notification.objects.filter(pk=shown.pk).update(status=DeliveryStatus.SENT)

    assert delivery.deliver(shown.pk, job_id="job-1") == "skipped"
    assert json.dumps(delivery.due_for_delivery(timezone.now())) == "[]"


def test_an_unforeseen_error_is_retried_and_does_not_hold_up_the_rest(assignment, chengtou_reporter, monkeypatch):
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    broken, fine = (notification(assignment, Channel.EMAIL, chengtou_reporter, step=-n) for n in (1, 8))
    real_send = delivery.channels.send

    def send(row):
        if row.pk == broken.pk:
            raise ValueError("a malformed answer")
        real_send(row)

    monkeypatch.setattr(delivery.channels, "send", send)

    assert [delivery.deliver(pk, job_id="job-1") for pk in (broken.pk, fine.pk)] == ["retry", "sent"]
    assert (row(broken.pk).status, row(broken.pk).error) == (DeliveryStatus.PENDING, "ValueError: a malformed answer")


def test_a_row_whose_jobs_keep_vanishing_is_given_up(assignment, chengtou_reporter, settings):
    stuck = notification(assignment, Channel.EMAIL, chengtou_reporter)
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.REMINDER_CLAIM_MINUTES + 1)
    Notification.objects.filter(pk=stuck.pk).update(
        status=DeliveryStatus.SENDING, claimed_by="gone", claimed_at=long_ago, attempts=settings.REMINDER_MAX_ATTEMPTS
    )

    assert delivery.due_for_delivery(timezone.now()) == []
    assert row(stuck.pk).status == DeliveryStatus.FAILED
