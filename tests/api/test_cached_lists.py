"""Lists answered from the cache while the work they show is unchanged, and made afresh after any change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.choices import AssignmentStatus as S
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def _statuses(client, **params):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("api:assignment-list"), params).json()
    return [row["status"] for row in body["results"]], len(queries)


def test_a_list_kept_is_retired_by_an_accept_made_through_the_api(
    api, staff, chengtou_company, django_capture_on_commit_callbacks
):
    work = AssignmentFactory(unit=chengtou_company, status=S.SUBMITTED)
    client = api(staff)

    first, made = _statuses(client)
    again, kept = _statuses(client)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(reverse("api:assignment-accept", kwargs={"pk": work.pk}), {}, format="json")
    after, _ = _statuses(client)

    assert first == again == ["submitted"] and kept < made  # the second from the cache
    assert accepted.status_code == 200 and after == ["accepted"]


def test_each_caller_has_its_own_kept_pages(api, staff, chengtou_reporter, chengtou_company, gongre_company):
    AssignmentFactory(unit=chengtou_company, status=S.SUBMITTED)
    AssignmentFactory(unit=gongre_company, status=S.SUBMITTED)

    everything = api(staff).get(reverse("api:assignment-list")).json()
    own = api(chengtou_reporter).get(reverse("api:assignment-list")).json()

    assert everything["count"] == 2 and own["count"] == 1
    assert everything["results"][0]["actions"] == ["accept", "return", "cancel"]
    assert own["results"][0]["actions"] == []


def test_a_refused_filter_is_not_kept(api, staff):
    client = api(staff)

    for _ in range(2):
        answer = client.get(reverse("api:task-list"), {"status": "nonsense"})
        assert answer.status_code == 400 and "status" in answer.json()


def test_the_task_list_is_kept_too_and_retired_by_a_change(
    api, staff, chengtou_company, django_capture_on_commit_callbacks
):
    work = AssignmentFactory(unit=chengtou_company, status=S.SUBMITTED)
    client = api(staff)

    def accepted():
        with CaptureQueriesContext(connection) as queries:
            (row,) = client.get(reverse("api:task-list")).json()["results"]
        return row["assignments_accepted"], len(queries)

    (before, made), (again, kept) = accepted(), accepted()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("api:assignment-accept", kwargs={"pk": work.pk}), {}, format="json")
    after, _ = accepted()

    assert (before, again, after) == (0, 0, 1) and kept < made


def test_with_the_cache_off_a_list_is_made_afresh_without_asking_the_cache(api, staff, chengtou_company, settings):
    settings.API_CACHE_SECONDS = 0
    work = AssignmentFactory(unit=chengtou_company, status=S.SUBMITTED)
    client = api(staff)

    first, made = _statuses(client)
    # A change the platform is not told of (another program's): seen at once, nothing being kept.
    type(work).objects.filter(pk=work.pk).update(status=S.ACCEPTED)
    again, made_again = _statuses(client)

    assert (first, again) == (["submitted"], ["accepted"])
    assert made_again == made  # no look-up of the data's version for a key
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("api:assignment-list"))
    assert not any("dataversion" in query["sql"] for query in queries.captured_queries)
