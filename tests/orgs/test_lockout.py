"""Repeated failed sign-ins lock a name and an address for a cool-off; every attempt is in the audit log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orgs.lockout import locked_until
from reform.models import AuditEvent, AuditKind

PASSWORD = "correct horse 2021"


def sign_in(client, username, password, address="10.1.1.1", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def fail(client, username, times, address="10.1.1.1"):
    for _ in range(times):
        assert sign_in(client, username, "wrong", address).status_code == 200


def kinds(username):
    return list(AuditEvent.objects.filter(username=username).order_by("at", "id").values_list("kind", flat=True))


def test_five_failures_lock_the_name_from_that_address_even_with_the_right_password(client, chengtou_reporter):
    fail(client, "lina", 4)
    fifth = sign_in(client, "lina", "wrong")

    assert "登录失败次数过多" in fifth.content.decode()  # the failure that locks says so at once
    answer = sign_in(client, "lina", PASSWORD)

    assert answer.status_code == 200
    assert "登录失败次数过多" in answer.content.decode()
    assert "_auth_user_id" not in client.session
    assert kinds("lina") == [AuditKind.LOGIN_FAILED] * 5 + [AuditKind.LOGIN_REFUSED]


def test_the_lock_ends_a_cool_off_after_the_failure_that_set_it_and_refusals_do_not_extend_it(
    client, chengtou_reporter, settings
):
    fail(client, "lina", 5)
    fifth = AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED).latest("at").at
    sign_in(client, "lina", PASSWORD)  # refused, counted for nothing

    until = locked_until("lina", "10.1.1.1")

    assert until == fifth + timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    assert locked_until("lina", "10.1.1.1", now=until + timedelta(seconds=1)) is None


def test_failures_older_than_the_cool_off_do_not_count(client, chengtou_reporter):
    long_ago = timezone.now() - timedelta(minutes=16)
    for _ in range(5):
        AuditEvent.objects.create(kind=AuditKind.LOGIN_FAILED, username="lina", address="10.1.1.1", at=long_ago)

    assert sign_in(client, "lina", PASSWORD).status_code == 302


def test_the_same_name_from_another_address_still_signs_in(client, chengtou_reporter):
    fail(client, "lina", 5, address="10.9.9.9")

    assert sign_in(client, "lina", PASSWORD, address="10.1.1.1").status_code == 302


def test_a_name_tried_from_many_addresses_is_locked_everywhere(client, chengtou_reporter, settings):
    for n in range(settings.LOGIN_USER_FAILURE_LIMIT):
        fail(client, "lina", 1, address=f"10.2.0.{n}")

    assert "登录失败次数过多" in sign_in(client, "lina", PASSWORD, address="10.3.0.1").content.decode()


def test_an_address_trying_many_names_is_locked_for_all_of_them(client, chengtou_reporter, settings):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        fail(client, f"guess{n}", 1, address="10.4.0.1")

    assert "登录失败次数过多" in sign_in(client, "lina", PASSWORD, address="10.4.0.1").content.decode()
    assert sign_in(client, "lina", PASSWORD, address="10.4.0.2").status_code == 302


def test_a_sign_in_clears_the_names_count(client, chengtou_reporter):
    fail(client, "lina", 4)
    assert sign_in(client, "lina", PASSWORD).status_code == 302
    client.logout()
    fail(client, "lina", 4)

    assert sign_in(client, "lina", PASSWORD).status_code == 302


def test_the_admin_login_is_locked_as_well(client, staff):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": staff.username, "password": "wrong"}, REMOTE_ADDR="10.1.1.1")

    answer = client.post(
        reverse("admin:login"), {"username": staff.username, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )

    assert "登录失败次数过多" in answer.content.decode()


def test_the_api_token_door_is_locked_with_429_and_retry_after(client, chengtou_reporter, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "1000/minute"},
    }
    url = reverse("api:token")
    for _ in range(4):
        assert client.post(url, {"username": "lina", "password": "wrong"}, REMOTE_ADDR="10.1.1.1").status_code == 400
    # The failure that locks answers as the lock does.
    assert client.post(url, {"username": "lina", "password": "wrong"}, REMOTE_ADDR="10.1.1.1").status_code == 429

    answer = client.post(url, {"username": "lina", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")

    assert answer.status_code == 429
    assert "登录失败次数过多" in answer.json()["detail"]
    assert 0 < int(answer.headers["Retry-After"]) <= 15 * 60
    assert kinds("lina")[-1] == AuditKind.LOGIN_REFUSED


@pytest.mark.parametrize(("trusted", "recorded"), [(False, "127.0.0.1"), (True, "192.168.7.8")])
def test_the_proxys_forwarded_address_is_believed_only_when_configured(client, db, settings, trusted, recorded):
    settings.TRUST_X_FORWARDED_FOR = trusted

    sign_in(client, "nobody", "wrong", address="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.168.7.8")

    assert AuditEvent.objects.get(username="nobody").address == recorded
