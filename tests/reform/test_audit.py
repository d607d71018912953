"""The audit log: every sign-in, failure and sign-out recorded; rows never changed; kept 180 days at least."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from reform import audit, jobs
from reform.models import AuditEvent, AuditKind
from tests.reform.test_settings import settings_under

PASSWORD = "correct horse 2021"


def test_sign_in_failure_and_sign_out_are_recorded_with_address_and_request_id(client, chengtou_reporter):
    client.post(reverse("login"), {"username": "lina", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    client.post(reverse("login"), {"username": "lina", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    client.post(reverse("logout"), REMOTE_ADDR="10.0.0.7")

    events = list(AuditEvent.objects.order_by("at", "id"))

    assert [event.kind for event in events] == [AuditKind.LOGIN_FAILED, AuditKind.LOGIN, AuditKind.LOGOUT]
    assert {event.username for event in events} == {"lina"}
    assert {event.address for event in events} == {"10.0.0.7"}
    assert all(len(event.request_id) == 32 for event in events)
    assert "wrong" not in str([event.detail for event in events])  # no password ever reaches the log


def test_a_failed_sign_in_under_an_unknown_name_is_recorded_as_typed(client, db):
    client.post(reverse("login"), {"username": "admin' --", "password": "x"})

    assert AuditEvent.objects.get().username == "admin' --"


def test_an_api_token_handed_out_is_recorded(client, chengtou_reporter):
    client.post(reverse("api:token"), {"username": "lina", "password": PASSWORD})

    assert AuditEvent.objects.filter(kind=AuditKind.TOKEN_ISSUED, username="lina").count() == 1


@pytest.mark.django_db
def test_the_application_can_neither_change_nor_remove_an_event():
    event = audit.record(AuditKind.BACKUP, username="ops")
    event.username = "someone else"

    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().username == "ops"


def raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
@pytest.mark.database_clock
def test_postgresql_itself_refuses_changing_an_event_or_removing_a_young_one():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; the suite's PostgreSQL run checks it")
    event = audit.record(AuditKind.LOGIN, username="lina")
    old = AuditEvent.objects.create(kind=AuditKind.LOGIN, username="old", at=timezone.now() - timedelta(days=181))

    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE reform_auditevent SET username = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="kept 180 days"):
        raw("DELETE FROM reform_auditevent WHERE id = %s", [event.pk])
    raw("DELETE FROM reform_auditevent WHERE id = %s", [old.pk])  # past the retention: allowed

    assert list(AuditEvent.objects.values_list("username", flat=True)) == ["lina"]


@pytest.mark.django_db
@pytest.mark.database_clock
def test_the_purge_removes_only_events_past_the_retention_and_says_so(settings):
    settings.AUDIT_RETENTION_DAYS = 200
    now = timezone.now()
    for days in (10, 199, 201, 400):
        AuditEvent.objects.create(kind=AuditKind.LOGIN, username=f"{days} days", at=now - timedelta(days=days))

    assert audit.purge_expired(now=now) == 2

    left = set(AuditEvent.objects.values_list("username", flat=True))
    assert left == {"10 days", "199 days", ""}
    purged = AuditEvent.objects.get(kind=AuditKind.PURGED)
    assert purged.detail["removed"] == 2 and purged.detail["retention_days"] == 200


@pytest.mark.django_db
@pytest.mark.database_clock
def test_the_nightly_job_purges_and_keeps_everything_younger_than_the_retention():
    AuditEvent.objects.create(kind=AuditKind.LOGIN, username="recent", at=timezone.now() - timedelta(days=179))
    AuditEvent.objects.create(kind=AuditKind.LOGIN, username="expired", at=timezone.now() - timedelta(days=366))

    jobs.purge_audit()

    assert set(AuditEvent.objects.exclude(kind=AuditKind.PURGED).values_list("username", flat=True)) == {"recent"}


def test_a_retention_shorter_than_180_days_stops_the_start(tmp_path):
    with pytest.raises(RuntimeError, match="AUDIT_RETENTION_DAYS must be at least 180"):
        settings_under(tmp_path, AUDIT_RETENTION_DAYS="90")


def test_staff_read_the_log_in_the_administration_pages(client, staff, chengtou_reporter):
    client.post(reverse("login"), {"username": "lina", "password": "wrong"})
    client.force_login(staff)

    page = client.get(reverse("admin:reform_auditevent_changelist"), {"kind": AuditKind.LOGIN_FAILED})

    assert page.status_code == 200
    html = page.content.decode()
    assert "登录失败" in html and "lina" in html
    assert reverse("admin:reform_auditevent_add") not in html and "delete_selected" not in html
