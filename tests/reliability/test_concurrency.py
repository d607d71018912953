"""Two staff act on the same submitted work at the same moment: one wins, the other is told
"已被他人处理", and the history shows one transition. Real threads, real database connections."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from orgs.choices import Role
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, StatusChange
from tests.factories import AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 8


def act_together(requests: list[tuple[Client, str, dict]]) -> list[str]:
    """POST each request from its own thread, all released at once; the pages they end on."""
    start = threading.Barrier(len(requests))
    pages: list[str] = [""] * len(requests)

    def act(n, client, url, data):
        try:
            start.wait()
            pages[n] = client.post(url, data, follow=True).content.decode()
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=act, args=(n, *request)) for n, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return pages


@pytest.mark.parametrize("actions", [("accept", "return"), ("accept", "accept"), ("return", "return")])
def test_one_of_two_staff_acting_at_once_wins_and_the_other_is_told(staff, sasac_office, chengtou_company, actions):
    other = UserFactory(username="liuyang", full_name="刘洋", role=Role.STAFF, unit=sasac_office)
    clients = []
    for user in (staff, other):
        client = Client()
        client.force_login(user)
        clients.append(client)

    for _ in range(ROUNDS):
        work = AssignmentFactory(unit=chengtou_company, status=S.SUBMITTED)
        version = Assignment.objects.get(pk=work.pk).version  # both opened the page at this version
        pages = act_together(
            [
                (
                    client,
                    reverse("tasks:assignment_action", args=[work.pk, action]),
                    {"version": version, "comment": "缺少会议纪要"},
                )
                for client, action in zip(clients, actions, strict=True)
            ]
        )

        won = [n for n, page in enumerate(pages) if "已办理" in page]
        told = [n for n, page in enumerate(pages) if "已被他人处理" in page]
        assert len(won) == 1 and len(told) == 1 and set(won + told) == {0, 1}, pages
        changes = StatusChange.objects.filter(assignment=work)
        assert changes.count() == 1
        winner = actions[won[0]]
        assert Assignment.objects.get(pk=work.pk).status == (S.ACCEPTED if winner == "accept" else S.RETURNED)
        assert changes.get().actor_id == (staff, other)[won[0]].pk
