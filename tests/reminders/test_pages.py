"""The notification centre, channel choices, the delivery log and the rules page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.reminders.choices import Channel, DeliveryStatus
from tasks.reminders.models import ChannelChoice, Notification, ReminderSettings
from tests.factories import AssignmentFactory, NotificationFactory


def note(user, assignment, *, step=-1, channel=Channel.IN_APP, **fields):
    return NotificationFactory(recipient=user, assignment=assignment, step=step, channel=channel, **fields)


@pytest.fixture
def assignment(chengtou_company):
    return AssignmentFactory(unit=chengtou_company)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200
    return len(captured), answer.content.decode()


def test_the_centre_shows_my_notifications_and_the_unread_count(client, chengtou_reporter, gongre_reporter, assignment):
    mine = note(chengtou_reporter, assignment)
    note(gongre_reporter, assignment, step=-2)  # someone else's
    client.force_login(chengtou_reporter)

    _, html = count_queries(client, reverse("reminders:notification_list"))

    assert "已逾期1天：3. 制定权责清单" in html and "已逾期2天" not in html
    assert '<span class="count" aria-label="未读">1</span>' in html
    opened = client.post(reverse("reminders:notification_open", args=[mine.pk]))
    assert opened.url == f"/tasks/{assignment.task_id}/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert 'class="count"' not in client.get(reverse("reminders:notification_list")).content.decode()


def test_another_users_notification_cannot_be_opened(client, chengtou_reporter, gongre_reporter, assignment):
    theirs = note(gongre_reporter, assignment)
    client.force_login(chengtou_reporter)

    assert client.post(reverse("reminders:notification_open", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_and_the_unread_filter(client, chengtou_reporter, assignment):
    for step in (-1, -8, -15):
        note(chengtou_reporter, assignment, step=step)
    client.force_login(chengtou_reporter)

    client.post(reverse("reminders:notification_read_all"))

    html = client.get(reverse("reminders:notification_list") + "?unread=1").content.decode()
    assert "没有未读提醒" in html
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_an_empty_centre_says_what_will_come(client, chengtou_reporter):
    client.force_login(chengtou_reporter)
    assert "暂无提醒" in client.get(reverse("reminders:notification_list")).content.decode()


def test_the_centre_costs_the_same_queries_for_few_as_for_many(client, chengtou_reporter, assignment):
    note(chengtou_reporter, assignment)
    client.force_login(chengtou_reporter)
    few, _ = count_queries(client, reverse("reminders:notification_list"))
    for step in range(2, 40):
        note(chengtou_reporter, assignment, step=-step)

    assert count_queries(client, reverse("reminders:notification_list"))[0] == few


def test_a_user_chooses_channels_and_an_address(client, chengtou_reporter):
    client.force_login(chengtou_reporter)
    url = reverse("reminders:channel_settings")

    refused = client.post(url, {"in_app": "on", "email": "on", "address": ""})
    assert "请填写电子邮箱地址" in refused.content.decode()
    client.post(url, {"in_app": "on", "address": "lina@chengtou.example"})

    chosen = ChannelChoice.objects.get(user=chengtou_reporter)
    assert (chosen.in_app, chosen.email) == (True, False)
    chengtou_reporter.refresh_from_db()
    assert chengtou_reporter.email == "lina@chengtou.example"


@pytest.mark.parametrize("who", ["staff", "auditor"])
def test_the_delivery_log_shows_failures_and_filters(client, request, who, chengtou_reporter, assignment):
    failed = note(
        chengtou_reporter,
        assignment,
        channel=Channel.EMAIL,
        status=DeliveryStatus.FAILED,
        error="收件人没有电子邮箱地址。",
    )
    note(chengtou_reporter, assignment, step=-8, channel=Channel.EMAIL)
    client.force_login(request.getfixturevalue(who))

    _, html = count_queries(client, reverse("reminders:delivery_log") + "?status=failed")

    assert "收件人没有电子邮箱地址。" in html and "已逾期8天" not in html
    retry = reverse("reminders:notification_retry", args=[failed.pk])
    assert (retry in html) == (who == "staff")


def test_staff_send_a_failed_message_again_once(client, staff, auditor, chengtou_reporter, assignment):
    failed = note(chengtou_reporter, assignment, channel=Channel.EMAIL, status=DeliveryStatus.FAILED, attempts=6)
    url = reverse("reminders:notification_retry", args=[failed.pk])
    client.force_login(auditor)
    assert client.post(url).status_code == 403

    client.force_login(staff)
    client.post(url)
    again = client.post(url, follow=True).content.decode()

    row = Notification.objects.get(pk=failed.pk)
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 0)
    assert "只有发送失败的消息才能重新发送" in again


def test_the_delivery_log_is_not_for_reporters_or_leaders(client, chengtou_reporter, leader):
    for user in (chengtou_reporter,):
        client.force_login(user)
        assert client.get(reverse("reminders:delivery_log")).status_code == 403
        assert client.get(reverse("reminders:rules")).status_code == 403


def test_the_delivery_log_costs_the_same_queries_for_few_as_for_many(client, staff, chengtou_reporter, assignment):
    note(chengtou_reporter, assignment, channel=Channel.EMAIL)
    client.force_login(staff)
    few, _ = count_queries(client, reverse("reminders:delivery_log"))
    for step in range(2, 30):
        note(chengtou_reporter, assignment, step=-step, channel=Channel.EMAIL)

    assert count_queries(client, reverse("reminders:delivery_log"))[0] == few


def test_staff_edit_the_rules_and_bad_days_are_refused(client, staff, auditor):
    client.force_login(staff)
    url = reverse("reminders:rules")
    form = {
        "overdue_every": 7,
        "escalate_after": 14,
        "report_day": 25,
        "digest_weekday": 0,
        "workdays_only": "on",
        "round_deadline_day": 10,
    }

    refused = client.post(url, {**form, "days_before": "30, 七"})
    assert "整数天数" in refused.content.decode()
    client.post(url, {**form, "days_before": "15，3、0"})

    rules = ReminderSettings.current()
    assert rules.days_before == [15, 3, 0] and rules.history.latest().history_user == staff
    assert rules.round_open_day is None  # rounds opened by hand until a day is set
    for wrong in ("32", "１０", "10.0"):
        refused = client.post(url, {**form, "days_before": "7", "round_open_day": wrong})
        assert refused.status_code == 200 and ReminderSettings.current().round_open_day is None, wrong
    client.post(url, {**form, "days_before": "7", "round_open_day": "25", "round_deadline_day": "5"})
    rules = ReminderSettings.current()
    assert (rules.round_open_day, rules.round_deadline_day) == (25, 5)
    client.force_login(auditor)
    assert client.get(url).status_code == 200
    assert client.post(url, {**form, "days_before": "1"}).status_code == 403
