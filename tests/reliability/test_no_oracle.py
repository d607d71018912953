"""No answer tells a reporter what it may not see. Every list — the API's and the pages' — with every
filter, search, sort, count and facet it has, is worked out over the caller's scope (orgs/policy.py).

As 城投's reporter: an answer about another unit (供热, with work of its own in the same plan) is the
same as one about a unit with no work at all; and no answer changes while only 供热's work changes
(reported with evidence, submitted, accepted, given more time, noticed, instructed, a milestone
done). The parameters are read from the API's schema and from the pages' own GET forms, so a
filter added anywhere without a probe here fails ``test_every_parameter_has_probes``. Staff, who see
everything, are asked the same: their answers must move, or the probes would prove nothing.
"""

import datetime
import functools
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from pypdf import PdfReader
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.choices import UnitKind
from tasks.choices import AssignmentRole as R
from tasks.choices import AssignmentStatus as S
from tasks.services import (
    assignment_transition,
    extension_decide,
    extension_request,
    instruction_add,
    milestone_mark_done,
    notice_issue,
    progress_report_submit,
)
from tests.factories import (
    AssignmentFactory,
    MilestoneFactory,
    PlanFactory,
    ProgressReportFactory,
    SectionFactory,
    TaskFactory,
    UnitFactory,
    UnitGroupFactory,
)
from tests.reliability.test_form_fuzz import forms_of
from tests.reports.issued import issue

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Paging and ordering are probed too, but they name no data: any value of theirs is fine to send.
PAGING = {"page": ["1", "2"], "page_size": ["1", "200"]}


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _nothing_cached(settings):
    # A cached answer would stay the same whatever changed, and prove nothing.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def world(staff, leader, chengtou_company, gongre_company, chengtou_reporter, gongre_reporter):
    """One plan shared by 城投 (ours) and 供热 (theirs), a plan of 供热's alone, and a unit with nothing."""
    plan = PlanFactory(title="国企改革三年行动实施方案", period_start=days(-400), period_end=days(400))
    first = SectionFactory(plan=plan, title="完善中国特色现代企业制度", position=0)
    second = SectionFactory(plan=plan, title="推进国有经济布局优化", position=1)
    shared = TaskFactory(plan=plan, section=first, number="1", title="厘清权责边界", due=days(20), position=0)
    ours = TaskFactory(plan=plan, section=first, number="2", title="规范董事会建设", due=days(-5), position=1)
    theirs = TaskFactory(plan=plan, section=second, number="3", title="压减管理层级", due=days(40), position=2)
    for task in (shared, ours, theirs):
        MilestoneFactory(task=task, due=task.due, text=f"完成{task.title}")
    own_work = AssignmentFactory(task=shared, unit=chengtou_company, role=R.RESPONSIBLE)
    AssignmentFactory(task=ours, unit=chengtou_company, role=R.LEAD, status=S.IN_PROGRESS)
    ProgressReportFactory(assignment=own_work, period=f"{TODAY:%Y-%m}", percent=40, author=chengtou_reporter)
    their_shared = AssignmentFactory(task=shared, unit=gongre_company, role=R.LEAD)
    their_own = AssignmentFactory(task=theirs, unit=gongre_company, role=R.LEAD)
    elsewhere = PlanFactory(title="供热专项整改清单", period_start=days(-400), period_end=days(400))
    their_elsewhere = AssignmentFactory(
        task=TaskFactory(plan=elsewhere, number="1", title="整改供热管网", due=days(10)), unit=gongre_company
    )
    empty = UnitFactory(name="立山区无任务有限公司", kind=UnitKind.ENTERPRISE)
    UnitGroupFactory(name="各区属企业").units.add(chengtou_company, gongre_company, empty)
    return {
        "plan": plan,
        "elsewhere": elsewhere,
        "sections": (first, second),
        "tasks": (shared, ours, theirs),
        "theirs": (their_shared, their_own, their_elsewhere),
        "own_work": own_work,
        "other": gongre_company,
        "empty": empty,
        "staff": staff,
        "leader": leader,
        "their_reporter": gongre_reporter,
    }


def change_the_other_units_work(world) -> None:
    """Everything that can happen to 供热's work, through the services the platform uses."""
    their_shared, their_own, their_elsewhere = world["theirs"]
    staff, unit = world["staff"], world["their_reporter"]
    for work in (their_shared, their_own, their_elsewhere):
        progress_report_submit(
            assignment_id=work.pk,
            user=unit,
            period=f"{TODAY:%Y-%m}",
            text="供热公司已完成管网改造方案",
            percent=90,
            files=[SimpleUploadedFile("供热佐证.pdf", PDF)],
        )
    milestone_mark_done(assignment_id=their_shared.pk, milestone_id=their_shared.task.milestones.get().pk, user=unit)
    asked = extension_request(assignment_id=their_shared.pk, user=unit, reason="供热季停工", proposed_due=days(3000))
    extension_decide(request_id=asked.pk, user=staff, approve=True)
    notice_issue(assignment_id=their_shared.pk, user=staff, grade="red", text="请供热公司加快", respond_by=days(3))
    instruction_add(
        task_id=their_shared.task_id, user=world["leader"], text="供热要抓紧", assignment_id=their_shared.pk
    )
    for work in (their_own, their_elsewhere):
        assignment_transition(assignment_id=work.pk, user=unit, action="submit")
        assignment_transition(assignment_id=work.pk, user=staff, action="accept", comment="成果已另行核实")


# --- What to send ----------------------------------------------------------------------------------------


def named_values(world) -> dict[str, list[str]]:
    """Values for each parameter that takes no fixed choices: ours, theirs and nobody's."""
    plan, elsewhere = world["plan"], world["elsewhere"]
    shared, ours, theirs = world["tasks"]
    their_shared, *_ = world["theirs"]
    dates = [days(-5), days(20), days(40), days(3000)]
    return {
        **PAGING,
        "unit": [world["other"].pk, world["empty"].pk, world["own_work"].unit_id],
        "unit_kind": UnitKind.values,
        "q": ["供热", "压减管理层级", "厘清", "3"],
        "search": ["供热", "方案", "各区属企业"],
        "plan": [plan.pk, elsewhere.pk],
        "section": [s.pk for s in world["sections"]],
        "parent": [s.pk for s in world["sections"]],
        "task": [shared.pk, ours.pk, theirs.pk],
        "assignment": [their_shared.pk, world["own_work"].pk],
        "report": [their_shared.pk],
        "due_after": dates,
        "due_before": dates,
        "due_by": dates,
        "as_of": [TODAY],
        "year": [TODAY.year, days(3000).year],
        "period": [f"{TODAY:%Y-%m}"],
        "open": ["true", "false"],
        "unread": ["true", "false"],
        "unanswered": ["true", "false"],
        "is_active": ["true", "false"],
    }


# Parameters that name a unit: asked about 供热 they must answer as about a unit with no work.
UNIT_PARAMETERS = {"unit"}


def ordering_values(view_class) -> list[str]:
    fields = getattr(view_class, "ordering_fields", None) or []
    return [f"{sign}{field}" for field in fields for sign in ("", "-")]


# --- The API ---------------------------------------------------------------------------------------------


@functools.cache
def api_lists() -> dict[str, dict[str, list[str] | None]]:
    """Every GET of the API that lists or counts: path → {query parameter: its enum, or None}."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {}
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get or "{" in path:
            continue
        found[path] = {p["name"]: p.get("schema", {}).get("enum") or _items_enum(p) for p in get.get("parameters", [])}
    return {path: parameters for path, parameters in found.items() if parameters}


def _items_enum(parameter) -> list[str] | None:
    return parameter.get("schema", {}).get("items", {}).get("enum")


def api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def api_values(path: str, name: str, enum, world) -> list:
    if name == "ordering":
        return ordering_values(resolve(path).func.cls)
    if enum:
        return [value for value in enum if value not in (None, "")]
    return named_values(world).get(name, [])


def api_answers(client, world, *, probed=True) -> dict:
    """Each list's answer bare and, if ``probed``, with each value of each parameter."""
    answers = {}
    for path, parameters in api_lists().items():
        answers[(path, "", "")] = _api_body(client, path, {})
        if not probed:
            continue
        for name, enum in parameters.items():
            for value in api_values(path, name, enum, world):
                answers[(path, name, str(value))] = _api_body(client, path, {name: value})
        for name in UNIT_PARAMETERS & set(parameters):
            for status in S.values:  # the leak first found: a unit and a status together
                answers[(path, f"{name}+status", status)] = _api_body(
                    client, path, {name: world["other"].pk, "status": status}
                )
    return answers


def _api_body(client, path, params):
    answer = client.get(path, params)
    return answer.status_code, answer.content


def api_unit_pairs(client, world, *, probed=True) -> list:
    """For each parameter naming a unit: (address, answer about 供热, answer about the empty unit), alone
    and, if ``probed``, with each status and each role."""
    pairs = []
    combined = [*({"status": s} for s in S.values), *({"role": r} for r in R.values)] if probed else []
    for path, parameters in api_lists().items():
        for name in UNIT_PARAMETERS & set(parameters):
            for extra in [{}, *combined]:
                other = _api_body(client, path, {name: world["other"].pk, **extra})
                empty = _api_body(client, path, {name: world["empty"].pk, **extra})
                pairs.append(((path, name, extra), other, empty))
    return pairs


# --- The pages -------------------------------------------------------------------------------------------


def page_lists(world) -> dict[str, dict[str, list[str] | None]]:
    """Every page that lists or counts, as a reporter reaches it: address → {GET field: its options,
    or None}, read from the page's own filter form. The ledger takes the task list's filters."""
    client = Client()
    client.force_login(world["reporter"])
    found = {}
    for address in world["pages"]:
        page = client.get(address)
        assert page.status_code == 200, address
        fields = {}
        for method, action, form_fields in forms_of(page.content.decode(), address):
            if method == "get" and action.split("?")[0] == address.split("?")[0]:
                for name, kind in form_fields.items():
                    fields[name] = [v for v in kind if v] if isinstance(kind, list) else None
        found[address] = fields
    task_list = reverse("tasks:task_list")
    for ledger in (reverse("reports:ledger_csv"),):
        found[f"{ledger}?plan={world['plan'].pk}"] = {**found[task_list], "as_of": None}
    return found


def page_values(name: str, options, world) -> list:
    if options:
        return options
    return named_values(world).get(name, [])


# What differs between two reads of the same page with nothing changed: the form's token.
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _page_body(client, address, params):
    base, _, fixed = address.partition("?")
    query = dict(part.split("=", 1) for part in fixed.split("&") if part)
    answer = client.get(base, {**query, **params})
    content = b"".join(answer.streaming_content) if answer.streaming else answer.content
    if b"<main" in content:
        content = content[content.index(b"<main") : content.index(b"</main>")]
    return answer.status_code, _TOKEN.sub(b"", content)


def page_answers(client, world) -> dict:
    answers = {}
    for address, fields in page_lists(world).items():
        answers[(address, "", "")] = _page_body(client, address, {})
        for name, options in fields.items():
            for value in page_values(name, options, world):
                answers[(address, name, str(value))] = _page_body(client, address, {name: value})
    return answers


@pytest.fixture
def surfaces(world, chengtou_reporter):
    world["reporter"] = chengtou_reporter
    world["pages"] = [
        reverse("tasks:task_list"),
        reverse("tasks:work_list"),
        reverse("tasks:my_tasks"),
        reverse("tasks:plan_list"),
        reverse("tasks:plan_detail", args=[world["plan"].pk]),
        reverse("reports:dashboard"),
        reverse("reports:index"),
        reverse("reminders:notification_list"),
    ]
    return world


# --- The tests -------------------------------------------------------------------------------------------


def test_every_parameter_has_probes(surfaces):
    """A filter, search or sort added to any list without values to probe it with fails here."""
    missing = []
    for path, parameters in api_lists().items():
        missing += [(path, n) for n, enum in parameters.items() if not api_values(path, n, enum, surfaces)]
    for address, fields in page_lists(surfaces).items():
        missing += [(address, n) for n, options in fields.items() if not page_values(n, options, surfaces)]
    assert not missing, f"parameters without probe values (add them to named_values): {missing}"
    # The surfaces are all there: a page or an endpoint that lost its filters would pass unprobed.
    assert {"/api/v1/tasks/", "/api/v1/assignments/", "/api/v1/dashboard/"} <= set(api_lists())
    pages = page_lists(surfaces)
    assert {"unit", "status", "role", "light", "q"} <= set(pages[reverse("tasks:task_list")])
    assert {"plan", "year", "as_of"} <= set(pages[reverse("reports:dashboard")])


def test_no_api_answer_changes_with_another_units_work(surfaces, chengtou_reporter, staff):
    reporter, office = api_client(chengtou_reporter), api_client(staff)
    before, staff_before = api_answers(reporter, surfaces), api_answers(office, surfaces, probed=False)

    change_the_other_units_work(surfaces)

    after, staff_after = api_answers(reporter, surfaces), api_answers(office, surfaces, probed=False)
    changed = sorted(key for key in before if before[key] != after[key])
    assert not changed, f"{len(changed)} of {len(before)} answers moved with 供热's work: {changed[:20]}"
    # The probes reach what changed: staff, who see 供热's work, get other answers.
    moved = {path for path, *_ in (key for key in staff_before if staff_before[key] != staff_after[key])}
    assert {"/api/v1/tasks/", "/api/v1/assignments/", "/api/v1/dashboard/", "/api/v1/reports/"} <= moved, moved


def test_no_api_answer_about_another_unit_differs_from_one_about_a_unit_with_nothing(
    surfaces, chengtou_reporter, staff
):
    change_the_other_units_work(surfaces)
    differing = [key for key, other, empty in api_unit_pairs(api_client(chengtou_reporter), surfaces) if other != empty]
    assert not differing, differing[:20]
    told = [key for key, other, empty in api_unit_pairs(api_client(staff), surfaces, probed=False) if other != empty]
    assert told, "staff see 供热's work: their answers about it and about an empty unit must differ"


def test_no_page_changes_with_another_units_work(surfaces, chengtou_reporter, staff):
    reporter = Client()
    reporter.force_login(chengtou_reporter)
    before = page_answers(reporter, surfaces)

    change_the_other_units_work(surfaces)

    after = page_answers(reporter, surfaces)
    changed = sorted(key for key in before if before[key] != after[key])
    assert not changed, f"{len(changed)} of {len(before)} pages moved with 供热's work: {changed[:20]}"
    assert all(after[key][0] == 200 for key in after if not key[1]), "every page answers unfiltered"


def _report_text(issued) -> str:
    """A report's words, its footer left out (who made it, when, and its own verification code)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(issued.content)).pages)
    return "\n".join(line for line in text.splitlines() if issued.code not in line and "生成" not in line)


def test_no_report_of_the_reporter_changes_with_another_units_work(surfaces, chengtou_reporter, chengtou_company):
    """The report parameters a reporter has: its unit's report, a shared task's dossier (its part)."""
    shared = surfaces["tasks"][0]
    asked = [("unit", {"unit": chengtou_company.pk}), ("dossier", {"task": shared.pk})]
    before = [_report_text(issue(kind, chengtou_reporter, **params)) for kind, params in asked]

    change_the_other_units_work(surfaces)

    after = [_report_text(issue(kind, chengtou_reporter, **params)) for kind, params in asked]
    assert after == before
    assert "供热" not in "".join(after)
