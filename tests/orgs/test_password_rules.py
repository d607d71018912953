"""Password rules, a password staff set replaced at the first sign-in, expiry when configured."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from orgs.middleware import SEEN
from orgs.models import User
from orgs.passwords import CharacterClassesValidator
from reform.models import AuditEvent, AuditKind

NEW = "Renwu-2026-duban"


@pytest.mark.parametrize(
    ("password", "kinds"),
    [("abcdefgh", 1), ("abcd1234", 2), ("Abcd1234", 3), ("abcd 1234", 3), ("改革abc123", 3), ("Ab1!", 4)],
)
def test_kinds_of_character_are_counted(password, kinds):
    for needed in (1, 2, 3, 4):
        validator = CharacterClassesValidator(min_classes=needed)
        if kinds >= needed:
            validator.validate(password)
        else:
            with pytest.raises(ValidationError, match="至少包含以下"):
                validator.validate(password)


@pytest.mark.django_db
def test_the_configured_rules_refuse_short_plain_and_common_passwords():
    for weak in ("Ab1!", "abcdefghij", "Password1"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password(NEW)


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_staff_add_an_account_whose_owner_must_choose_a_password(client, staff, chengtou_company):
    client.force_login(staff)
    answer = client.post(
        reverse("admin:orgs_user_add"),
        {
            "username": "wangfang",
            "full_name": "王芳",
            "unit": chengtou_company.pk,
            "role": "reporter",
            "usable_password": "true",
            "password1": "Chushi-mima-2026",
            "password2": "Chushi-mima-2026",
            "must_change_password": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    event = AuditEvent.objects.get(kind=AuditKind.ACCOUNT_CHANGED)
    assert event.username == staff.username
    assert event.detail["account"] == "wangfang" and event.detail["created"] is True
    client.logout()

    signed_in = sign_in(client, "wangfang", "Chushi-mima-2026")
    elsewhere = client.get(reverse("tasks:task_list"))
    api = client.get("/api/v1/tasks/")

    assert signed_in.status_code == 302
    assert elsewhere.status_code == 302 and elsewhere.url == reverse("password_change")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    page = client.get(reverse("password_change")).content.decode()
    assert "请设置您自己的密码" in page

    changed = client.post(
        reverse("password_change"),
        {"old_password": "Chushi-mima-2026", "new_password1": NEW, "new_password2": NEW},
    )

    assert changed.status_code == 302
    user = User.objects.get(username="wangfang")
    assert not user.must_change_password
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)
    assert client.get(reverse("tasks:task_list")).status_code == 200  # still signed in, free to go on
    assert AuditEvent.objects.filter(kind=AuditKind.PASSWORD_CHANGED, username="wangfang").exists()


def test_a_weak_new_password_is_refused_with_the_rules_shown(client, chengtou_reporter):
    client.force_login(chengtou_reporter)

    answer = client.post(
        reverse("password_change"),
        {"old_password": "correct horse 2021", "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )

    assert answer.status_code == 200
    assert "至少包含以下 3 类字符" in answer.content.decode()


def test_staff_setting_a_password_makes_its_owner_change_it_and_is_recorded(client, staff, chengtou_reporter):
    client.force_login(staff)

    answer = client.post(
        reverse("admin:auth_user_password_change", args=[chengtou_reporter.pk]),
        {"password1": "Chongzhi-2026-mima", "password2": "Chongzhi-2026-mima", "usable_password": "true"},
    )

    assert answer.status_code == 302
    chengtou_reporter.refresh_from_db()
    assert chengtou_reporter.must_change_password
    event = AuditEvent.objects.get(kind=AuditKind.PASSWORD_SET)
    assert (event.username, event.detail["account"]) == (staff.username, "lina")


def test_an_api_token_is_refused_until_the_password_is_changed(client, chengtou_reporter):
    User.objects.filter(pk=chengtou_reporter.pk).update(must_change_password=True)

    answer = client.post(reverse("api:token"), {"username": "lina", "password": "correct horse 2021"})

    assert answer.status_code == 403
    assert "请先在网页上修改密码" in answer.json()["detail"]


def test_periodic_change_is_off_by_default_and_applies_when_configured(client, chengtou_reporter, settings):
    User.objects.filter(pk=chengtou_reporter.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    client.force_login(chengtou_reporter)
    assert client.get(reverse("tasks:task_list")).status_code == 200

    settings.PASSWORD_MAX_AGE_DAYS = 90

    assert client.get(reverse("tasks:task_list")).url == reverse("password_change")


def idle(client, minutes):
    session = client.session
    session[SEEN] = int(time.time()) - minutes * 60
    session.save()


def test_a_session_idle_past_the_limit_is_ended_and_the_user_told(client, chengtou_reporter):
    client.force_login(chengtou_reporter)
    idle(client, 31)

    answer = client.get(reverse("tasks:task_list"))

    assert answer.status_code == 302
    assert answer.url == f"{reverse('login')}?next=%2Ftasks%2F"
    assert "_auth_user_id" not in client.session
    assert "长时间未操作" in client.get(answer.url).content.decode()
    assert AuditEvent.objects.filter(kind=AuditKind.LOGOUT, username="lina").exists()


def test_an_idle_htmx_poll_sends_the_whole_page_to_sign_in(client, chengtou_reporter):
    client.force_login(chengtou_reporter)
    idle(client, 31)

    answer = client.get(reverse("tasks:task_list"), headers={"HX-Request": "true"})

    assert answer.headers["HX-Redirect"].startswith(reverse("login"))


def test_activity_keeps_the_session_and_writes_it_at_most_once_a_minute(client, chengtou_reporter, settings):
    client.force_login(chengtou_reporter)
    idle(client, 29)
    assert client.get(reverse("tasks:task_list")).status_code == 200
    refreshed = client.session[SEEN]
    assert time.time() - refreshed < 5

    client.get(reverse("tasks:task_list"))

    assert client.session[SEEN] == refreshed  # within the minute: not written again
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
