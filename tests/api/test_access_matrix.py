"""Every route of the API × every role × an object of the reporter's own unit and one of another unit:
the answer each must give. Routes are read from the URL conf, so a route added without an entry in
EXPECTED fails ``test_every_route_has_an_entry``.

Roles: anonymous, staff, leader, auditor and a reporter of 城投 (its own unit). "own" objects belong to
城投 (or, for notifications, to the caller), "other" objects to 供热 (another user's notification).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reports.models import GeneratedReport, ReportStatus
from tasks.choices import AssignmentStatus as S
from tasks.models import Evidence, ExtensionRequest, Question, ReportingRound, SupervisionNotice
from tasks.services.staged_import import plan_upload_receive
from tests.factories import (
    AssignmentFactory,
    MilestoneFactory,
    NotificationFactory,
    PlanFactory,
    ProgressReportFactory,
    SectionFactory,
    TaskFactory,
    UnitGroupFactory,
)
from tests.tasks.importing.samples import CITY_PLAN

# Who may do what is the policy's, not the calendar's.
pytestmark = pytest.mark.undated

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


@dataclass(frozen=True)
class Case:
    answers: dict  # side ("own"/"other") → role → status
    target: str | None = None  # the object the address names
    status_before: str | None = None  # the assignment's status first, for a move that needs it
    body: Callable | None = None  # (objects of the side, caller) → the request's body
    multipart: bool = False


def created(code=201):
    """An act of the unit's that makes a record on its own work."""
    acts = by_unit()
    return {
        side: {role: (code if answer == 200 else answer) for role, answer in roles.items()}
        for side, roles in acts.items()
    }


def staff_acts(code=201):
    """Staff's act (201: one that makes a record); nobody else's, whoever's work or unit it is about."""
    return {
        side: {**DENIED, "staff": code, "leader": 403, "auditor": 403, "reporter": 403} for side in ("own", "other")
    }


def unit_report_asked():
    """A unit's report: asked by those who see everything (leaders and auditors too: a report is a
    reading) and by the unit itself, not by another unit."""
    asked = {**DENIED, "staff": 201, "leader": 201, "auditor": 201, "reporter": 201}
    return {"own": asked, "other": {**asked, "reporter": 403}}


def staff_only(code):
    return {"own": {**DENIED, "staff": code, "leader": 403, "auditor": 403, "reporter": 403}}


def _plan_body(objects, caller):
    return {"file": SimpleUploadedFile("方案.txt", CITY_PLAN.encode())}


def _unit_report_body(objects, caller):
    return {"kind": "unit", "unit": objects["unit"].pk}


def _report_body(objects, caller):
    return {"assignment": objects["assignment"].pk, "period": "2025-06", "percent": 40, "text": "已完成初稿"}


def _evidence_body(objects, caller):
    return {"report": objects["report"].pk, "files": [_pdf()]}


def _extension_body(objects, caller):
    return {"assignment": objects["assignment"].pk, "reason": "等待上级批复", "proposed_due": "2099-12-31"}


def _notice_body(objects, caller):
    return {"assignment": objects["assignment"].pk, "grade": "blue", "text": "请加快进度", "respond_by": "2099-12-31"}


EXPECTED = {
    ("api-root", "GET"): Case(read_all()),
    ("token", "POST"): Case({"own": dict.fromkeys(ROLES, 200)}),
    ("me", "GET"): Case(read_all()),
    ("dashboard", "GET"): Case(read_all()),
    ("report-job-list", "GET"): Case(read_all()),
    ("report-job-list", "POST"): Case(unit_report_asked(), body=_unit_report_body),
    ("report-job-detail", "GET"): Case(read_unit_scoped(), "report_job"),
    ("report-job-download", "GET"): Case(read_unit_scoped(), "report_job"),
    ("schema", "GET"): Case(read_all()),
    ("docs", "GET"): Case(read_all()),
    ("redoc", "GET"): Case(read_all()),
    ("plan-import-list", "GET"): Case(staff_only(200)),
    ("plan-import-list", "POST"): Case(staff_only(201), body=_plan_body, multipart=True),
    ("plan-import-detail", "GET"): Case(staff_only(200), "plan_import"),
    # Its units are not all known yet: staff get the reason, nobody else gets further than the door.
    ("plan-import-confirm", "POST"): Case(staff_only(400), "plan_import"),
    ("plan-list", "GET"): Case(read_all()),
    ("plan-detail", "GET"): Case(read_unit_scoped(), "plan"),
    ("section-list", "GET"): Case(read_all()),
    ("section-detail", "GET"): Case(read_unit_scoped(), "section"),
    ("task-list", "GET"): Case(read_all()),
    ("task-detail", "GET"): Case(read_unit_scoped(), "task"),
    ("milestone-list", "GET"): Case(read_all()),
    ("milestone-detail", "GET"): Case(read_unit_scoped(), "milestone"),
    ("assignment-list", "GET"): Case(read_all()),
    ("assignment-detail", "GET"): Case(read_unit_scoped(), "assignment"),
    ("assignment-start", "POST"): Case(by_unit(), "assignment", S.NOT_STARTED),
    ("assignment-submit", "POST"): Case(by_unit(), "assignment", S.IN_PROGRESS),
    ("assignment-resume", "POST"): Case(by_unit(), "assignment", S.RETURNED),
    ("assignment-accept", "POST"): Case(by_reviewer(), "assignment", S.SUBMITTED),
    ("assignment-return", "POST"): Case(by_reviewer(), "assignment", S.SUBMITTED),
    ("assignment-reopen", "POST"): Case(by_reviewer(), "assignment", S.ACCEPTED),
    ("assignment-cancel", "POST"): Case(by_reviewer(), "assignment", S.IN_PROGRESS),
    ("report-list", "GET"): Case(read_all()),
    ("report-list", "POST"): Case(created(), body=_report_body),
    ("report-detail", "GET"): Case(read_unit_scoped(), "report"),
    ("evidence-list", "GET"): Case(read_all()),
    ("evidence-list", "POST"): Case(created(), body=_evidence_body, multipart=True),
    ("evidence-detail", "GET"): Case(read_unit_scoped(), "evidence"),
    ("evidence-detail", "DELETE"): Case(created(204), "evidence"),
    ("evidence-download", "GET"): Case(read_unit_scoped(), "evidence"),
    ("extension-list", "GET"): Case(read_all()),
    ("extension-list", "POST"): Case(created(), body=_extension_body),
    ("extension-detail", "GET"): Case(read_unit_scoped(), "extension"),
    ("extension-decide", "POST"): Case(by_reviewer(), "extension", body=lambda o, c: {"approve": True}),
    ("notice-list", "GET"): Case(read_all()),
    ("notice-list", "POST"): Case(staff_acts(), body=_notice_body),
    ("notice-detail", "GET"): Case(read_unit_scoped(), "notice"),
    ("notice-respond", "POST"): Case(by_unit(), "notice", body=lambda o, c: {"text": "已按要求整改"}),
    ("notice-close", "POST"): Case(by_reviewer(), "notice", body=lambda o, c: {"reason": "已整改到位"}),
    ("question-list", "GET"): Case(read_all()),
    ("question-list", "POST"): Case(created(), body=lambda o, c: {"assignment": o["assignment"].pk, "text": "何时？"}),
    ("question-detail", "GET"): Case(read_unit_scoped(), "question"),
    ("question-answer", "POST"): Case(by_reviewer(), "question", body=lambda o, c: {"text": "本月底前。"}),
    # A round (月报) is the office's: everyone reads it (its units narrowed, tests/tasks/test_rounds.py).
    ("round-list", "GET"): Case(read_all()),
    ("round-detail", "GET"): Case(read_all(), "round"),
    ("round-missing", "GET"): Case(read_all(), "round"),
    ("round-list", "POST"): Case(staff_acts(), body=lambda o, c: {"period": "2025-05", "deadline": "2099-12-31"}),
    ("round-close", "POST"): Case(staff_acts(200), "round"),
    ("unit-list", "GET"): Case(read_all()),
    ("unit-detail", "GET"): Case(read_all(), "unit"),
    ("unit-group-list", "GET"): Case(read_all()),
    ("unit-group-detail", "GET"): Case(read_all(), "unit_group"),
    # Units, groups and users are staff's to manage, whichever unit they are.
    ("unit-list", "POST"): Case(staff_acts(), body=lambda o, c: {"name": "立山区新设单位", "kind": "other"}),
    ("unit-rename", "POST"): Case(staff_acts(200), "unit", body=lambda o, c: {"name": "更名后的单位"}),
    ("unit-aliases", "POST"): Case(staff_acts(200), "unit", body=lambda o, c: {"name": "单位的简称"}),
    ("unit-stop", "POST"): Case(staff_acts(200), "unit", body=lambda o, c: {"confirm": True}),
    ("unit-resume", "POST"): Case(staff_acts(200), "unit"),
    ("unit-users", "POST"): Case(staff_acts(), "unit", body=lambda o, c: {"username": "xinren", "role": "reporter"}),
    ("unit-group-list", "POST"): Case(staff_acts(), body=lambda o, c: {"name": "新的单位组"}),
    ("unit-group-members", "POST"): Case(staff_acts(200), "unit_group", body=lambda o, c: {"units": [o["unit"].pk]}),
    ("user-list", "GET"): Case(staff_only(200)),
    ("user-detail", "GET"): Case(staff_acts(200), "user"),
    ("user-reset-password", "POST"): Case(staff_acts(), "user"),
    ("user-deactivate", "POST"): Case(staff_acts(200), "user"),
    ("user-reactivate", "POST"): Case(staff_acts(200), "user"),
    ("notification-list", "GET"): Case(read_all()),
    ("notification-detail", "GET"): Case(own_only(), "notification"),
    ("notification-read", "POST"): Case(own_only(), "notification"),
    ("notification-read-all", "POST"): Case(read_all()),
}


def _pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", content_type="application/pdf")


def test_every_route_has_an_entry():
    assert api_routes() == set(EXPECTED)


@pytest.fixture
def world(chengtou_company, gongre_company, staff, leader, auditor, chengtou_reporter, gongre_reporter, settings):
    """A plan of 城投's work and a plan of 供热's, each with an area, a task, a milestone and a group."""
    objects = {}
    reporters = {"own": chengtou_reporter, "other": gongre_reporter}
    settings.REPORT_INLINE_ROWS = 0  # reports asked for wait for the worker: none is rendered here
    for side, unit in (("own", chengtou_company), ("other", gongre_company)):
        plan = PlanFactory()
        section = SectionFactory(plan=plan)
        task = TaskFactory(plan=plan, section=section)
        group = UnitGroupFactory()
        group.units.add(unit)
        assignment = AssignmentFactory(task=task, unit=unit, status=S.IN_PROGRESS)
        report = ProgressReportFactory(assignment=assignment)
        evidence = Evidence(report=report, original_name="佐证.pdf", size=40, sha256="0" * 64, uploaded_by=staff)
        evidence.file.save("e.pdf", _pdf(), save=True)
        # A request already waiting on another assignment: the unit may still ask on this one.
        waiting = AssignmentFactory(task=TaskFactory(plan=plan), unit=unit, status=S.IN_PROGRESS)
        extension = ExtensionRequest.objects.create(
            assignment=waiting, reason="等待批复", proposed_due="2099-01-01", requested_by=staff
        )
        notice = SupervisionNotice.objects.create(
            year=2026,
            sequence=len(objects) + 1,
            assignment=assignment,
            grade="blue",
            text="请加快进度",
            respond_by="2099-01-01",
            issued_by=staff,
        )
        job = GeneratedReport.objects.create(
            kind="unit", unit=unit, status=ReportStatus.DONE, filename="单位报告.pdf", created_by=reporters[side]
        )
        job.file.save("r.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        objects[side] = {
            "plan_import": plan_upload_receive(
                upload=SimpleUploadedFile("方案.txt", CITY_PLAN.encode()), kind="", user=staff
            ),
            "report_job": job,
            "plan": plan,
            "section": section,
            "task": task,
            "milestone": MilestoneFactory(task=task),
            "assignment": assignment,
            "report": report,
            "evidence": evidence,
            "extension": extension,
            "notice": notice,
            "unit": unit,
            "unit_group": group,
            "question": Question.objects.create(assignment=assignment, text="何时报送？", asked_by=reporters[side]),
            "round": ReportingRound.objects.create(period=f"2025-0{len(objects) + 1}", deadline="2099-01-01"),
            "user": reporters[side],
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
    for (name, method), case in sorted(EXPECTED.items())
    for side in case.answers
    for role in ROLES
]


@pytest.mark.parametrize(("name", "method", "role", "side"), CASES)
def test_each_route_answers_each_role_as_the_policy_says(world, name, method, role, side):
    case = EXPECTED[(name, method)]
    objects = world["objects"][side]
    kwargs, body = {}, {}
    if case.target == "notification":
        kwargs = {"pk": _notification(world, "staff" if role == "anonymous" else role, side).pk}
    elif case.target:
        target = objects[case.target]
        kwargs = {"pk": target.pk}
        if case.status_before:
            type(target).objects.filter(pk=target.pk).update(status=case.status_before)
            body = {"comment": "按要求办理"}
    if case.body:
        body = case.body(objects, role)
    if name == "token":
        user = world["users"]["reporter"]
        user.set_password("Reform-2026")
        user.save()
        body = {"username": user.username, "password": "Reform-2026"}

    call = getattr(_client(world, role), method.lower())
    answer = call(reverse(f"api:{name}", kwargs=kwargs), body, format="multipart" if case.multipart else "json")

    assert answer.status_code == case.answers[side][role], answer.content[:300]
