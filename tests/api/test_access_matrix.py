"""Every route of the API × every role × an object of the reporter's own unit and one of another unit:
the answer each must give. Routes are read from the URL conf, so a route added without an entry in
EXPECTED fails ``test_every_route_has_an_entry``.

Roles: anonymous, staff, leader, auditor and a reporter of 城投 (its own unit). "own" objects belong to
城投 (or, for notifications, to the caller), "other" objects to 供热 (another user's notification).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tasks.choices import AssignmentStatus as S
from tests.factories import (
    AssignmentFactory,
    MilestoneFactory,
    NotificationFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
    UnitGroupFactory,
)

ROLES = ("anonymous", "staff", "leader", "auditor", "reporter")
DENIED = {"anonymous": 401}


def api_routes() -> set[tuple[str, str]]:
    """(route name, HTTP method) of every route under /api/ in the URL conf."""
    found = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api":
                for method in _methods(pattern.callback):
                    found.add((pattern.name, method))

    walk(get_resolver().url_patterns)
    return found


def _methods(view) -> set[str]:
    if getattr(view, "actions", None):  # a viewset's route: its method → action map
        return {method.upper() for method in view.actions} - {"HEAD", "OPTIONS"}
    cls = view.cls if hasattr(view, "cls") else view.view_class
    return {m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)}


def everyone(code: int):
    return {role: code for role in ROLES if role != "anonymous"}


def read_all():
    """Any signed-in user reads it, whoever's it is."""
    return {"own": {**DENIED, **everyone(200)}, "other": {**DENIED, **everyone(200)}}


def read_unit_scoped():
    """Everyone who sees everything reads both; the reporter its own unit's only."""
    seen = {**DENIED, "staff": 200, "leader": 200, "auditor": 200, "reporter": 200}
    return {"own": seen, "other": {**seen, "reporter": 404}}


def by_reviewer(code=200):
    """Staff's act; a reporter is refused on its own unit's work and does not see another's."""
    return {
        "own": {**DENIED, "staff": code, "leader": 403, "auditor": 403, "reporter": 403},
        "other": {**DENIED, "staff": code, "leader": 403, "auditor": 403, "reporter": 404},
    }


def by_unit():
    """The unit's own act: staff may not do it for them."""
    return {
        "own": {**DENIED, "staff": 403, "leader": 403, "auditor": 403, "reporter": 200},
        "other": {**DENIED, "staff": 403, "leader": 403, "auditor": 403, "reporter": 404},
    }


def own_only(readers=200):
    """The caller's own (notifications): another's answers 404 to everyone."""
    return {"own": {**DENIED, **everyone(readers)}, "other": {**DENIED, **everyone(404)}}


# (route name, method) → (which object the address names, the status before the call, the answers).
EXPECTED = {
    ("api-root", "GET"): (None, None, read_all()),
    ("token", "POST"): (None, None, {"own": dict.fromkeys(ROLES, 200)}),
    ("me", "GET"): (None, None, read_all()),
    ("schema", "GET"): (None, None, read_all()),
    ("docs", "GET"): (None, None, read_all()),
    ("redoc", "GET"): (None, None, read_all()),
    ("plan-list", "GET"): (None, None, read_all()),
    ("plan-detail", "GET"): ("plan", None, read_unit_scoped()),
    ("section-list", "GET"): (None, None, read_all()),
    ("section-detail", "GET"): ("section", None, read_unit_scoped()),
    ("task-list", "GET"): (None, None, read_all()),
    ("task-detail", "GET"): ("task", None, read_unit_scoped()),
    ("milestone-list", "GET"): (None, None, read_all()),
    ("milestone-detail", "GET"): ("milestone", None, read_unit_scoped()),
    ("assignment-list", "GET"): (None, None, read_all()),
    ("assignment-detail", "GET"): ("assignment", None, read_unit_scoped()),
    ("assignment-start", "POST"): ("assignment", S.NOT_STARTED, by_unit()),
    ("assignment-submit", "POST"): ("assignment", S.IN_PROGRESS, by_unit()),
    ("assignment-resume", "POST"): ("assignment", S.RETURNED, by_unit()),
    ("assignment-accept", "POST"): ("assignment", S.SUBMITTED, by_reviewer()),
    ("assignment-return", "POST"): ("assignment", S.SUBMITTED, by_reviewer()),
    ("assignment-reopen", "POST"): ("assignment", S.ACCEPTED, by_reviewer()),
    ("assignment-cancel", "POST"): ("assignment", S.IN_PROGRESS, by_reviewer()),
    ("unit-list", "GET"): (None, None, read_all()),
    ("unit-detail", "GET"): ("unit", None, read_all()),
    ("unit-group-list", "GET"): (None, None, read_all()),
    ("unit-group-detail", "GET"): ("unit_group", None, read_all()),
    ("notification-list", "GET"): (None, None, read_all()),
    ("notification-detail", "GET"): ("notification", None, own_only()),
    ("notification-read", "POST"): ("notification", None, own_only()),
    ("notification-read-all", "POST"): (None, None, read_all()),
}


def test_every_route_has_an_entry():
    assert api_routes() == set(EXPECTED)


@pytest.fixture
def world(chengtou_company, gongre_company, staff, leader, auditor, chengtou_reporter, gongre_reporter):
    """A plan of 城投's work and a plan of 供热's, each with an area, a task, a milestone and a group."""
    objects = {}
    for side, unit in (("own", chengtou_company), ("other", gongre_company)):
        plan = PlanFactory()
        section = SectionFactory(plan=plan)
        task = TaskFactory(plan=plan, section=section)
        group = UnitGroupFactory()
        group.units.add(unit)
        objects[side] = {
            "plan": plan,
            "section": section,
            "task": task,
            "milestone": MilestoneFactory(task=task),
            "assignment": AssignmentFactory(task=task, unit=unit),
            "unit": unit,
            "unit_group": group,
        }
    users = {"staff": staff, "leader": leader, "auditor": auditor, "reporter": chengtou_reporter}
    return {"objects": objects, "users": users, "other_reporter": gongre_reporter}


def _notification(world, role, side):
    """The caller's own notification, or another user's."""
    owner = world["users"].get(role) if side == "own" else world["other_reporter"]
    assignment = world["objects"]["own"]["assignment"]
    return NotificationFactory(recipient=owner, assignment=assignment, unit=assignment.unit)


def _client(world, role) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        token, _ = Token.objects.get_or_create(user=world["users"][role])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


CASES = [
    (name, method, role, side)
    for (name, method), (_, _, answers) in sorted(EXPECTED.items())
    for side in answers
    for role in ROLES
]


@pytest.mark.parametrize(("name", "method", "role", "side"), CASES)
def test_each_route_answers_each_role_as_the_policy_says(world, name, method, role, side):
    thing, status_before, answers = EXPECTED[(name, method)]
    kwargs, body = {}, {}
    if thing == "notification":
        if role == "anonymous":
            kwargs = {"pk": _notification(world, "staff", side).pk}
        else:
            kwargs = {"pk": _notification(world, role, side).pk}
    elif thing:
        target = world["objects"][side][thing]
        kwargs = {"pk": target.pk}
        if status_before:
            type(target).objects.filter(pk=target.pk).update(status=status_before)
            body = {"comment": "按要求办理"}
    if name == "token":
        user = world["users"]["reporter"]
        user.set_password("Reform-2026")
        user.save()
        body = {"username": user.username, "password": "Reform-2026"}

    answer = getattr(_client(world, role), method.lower())(reverse(f"api:{name}", kwargs=kwargs), body)

    assert answer.status_code == answers[side][role], answer.content[:300]
