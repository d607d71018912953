"""A request's ids, page numbers and versions, written with digits no browser sends ("²" passes
isdigit() and fails int(); "١٢" is 12 to int()) or past what the database holds: each is refused with
the usual 400 or 404 — on every address, in the forms named when the fault was found, in a plan
import's confirmation, which then stays where it can go on."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.choices import UnitKind
from orgs.services import unit_create
from reform.values import MAX_ID, IdConverter
from tasks.choices import AssignmentStatus as S
from tasks.choices import ImportStatus
from tasks.models import Instruction, Plan, PlanImport
from tasks.services import staged_import
from tasks.services.staged_import import TAKEN, plan_upload_receive, release_stalled_uploads
from tests.factories import AssignmentFactory, TaskFactory
from tests.tasks.importing.samples import CITY_PLAN

pytestmark = pytest.mark.django_db

ODD = ["²", "١٢", "１２", "①", str(MAX_ID + 1), "9" * 25, "-1", "1_2"]


# Words, not ids, in two addresses: what to do to an assignment, which report to make.
WORDS = {"action": "accept", "kind": "progress"}
_PART = re.compile(r"<(?:(\w+):)?(\w+)>")


def addresses_with_ids() -> list[tuple[str, dict]]:
    """Every route of the platform that names something in its address, with its converters. (The
    admin's, Django's own, reads its ids itself and answers a bad one with a message.)"""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.pattern.converters:
                found.append((prefix + str(pattern.pattern), pattern.pattern.converters))

    walk(get_resolver().url_patterns)
    return [(route, converters) for route, converters in found if not route.startswith("admin/")]


def test_every_address_names_its_objects_by_id():
    """A route added with <int:pk> or <str:pk> fails here: ids are read by one converter (reform.values)."""
    routes = addresses_with_ids()
    assert len(routes) > 40
    not_ids = {
        (route, name)
        for route, converters in routes
        for name, c in converters.items()
        if not isinstance(c, IdConverter)
    }
    assert {name for _, name in not_ids} <= set(WORDS), sorted(not_ids)


@pytest.mark.parametrize("odd", ODD)
def test_no_address_answers_but_404_for_an_id_written_oddly(client, staff, odd):
    client.force_login(staff)
    for route, converters in addresses_with_ids():
        if not any(isinstance(converter, IdConverter) for converter in converters.values()):
            continue
        path = "/" + _PART.sub(lambda part: WORDS.get(part[2], odd), route)
        for method in (client.get, client.post):
            answer = method(path)
            assert answer.status_code == 404, (path, method.__name__, answer.status_code)


@pytest.fixture
def work(chengtou_company):
    return AssignmentFactory(
        task=TaskFactory(title="完善公司治理", due=timezone.localdate() + datetime.timedelta(days=30)),
        unit=chengtou_company,
        status=S.SUBMITTED,
    )


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_version_in_if_match_written_oddly_is_refused_and_nothing_changes(staff, work):
    answer = api(staff).post(f"/api/v1/assignments/{work.pk}/accept/", HTTP_IF_MATCH='"²"')

    assert answer.status_code == 400 and "If-Match" in answer.json()
    work.refresh_from_db()
    assert work.status == S.SUBMITTED
    # Any version will do: "*".
    assert api(staff).post(f"/api/v1/assignments/{work.pk}/accept/", HTTP_IF_MATCH="*").status_code == 200


@pytest.mark.parametrize("odd", ["²", "١"])
def test_ids_written_oddly_in_filters_and_bodies_are_refused(staff, work, odd):
    client = api(staff)
    for path in ("/api/v1/tasks/", "/api/v1/assignments/", "/api/v1/milestones/", "/api/v1/reports/"):
        for name in ("plan", "task", "assignment"):
            assert client.get(path, {name: odd}).status_code in (200, 400), (path, name)
    assert client.get("/api/v1/assignments/", {"task": odd}).status_code == 400
    assert client.get("/api/v1/tasks/", {"plan": odd}).status_code == 400
    made = client.post("/api/v1/report-jobs/", {"kind": "progress", "plan": odd}, format="json")
    assert made.status_code == 400 and "plan" in made.json()
    assert client.get("/api/v1/plans/", {"page": odd}).status_code == 404
    assert client.get("/api/v1/plans/", {"page_size": odd}).status_code == 200  # the default size


@pytest.mark.parametrize("name", ["plan", "unit", "task"])
def test_a_report_pdf_asked_for_an_odd_id_says_so(client, staff, work, name):
    client.force_login(staff)
    kind = {"plan": "progress", "unit": "unit", "task": "dossier"}[name]

    answer = client.get(reverse("reports:report_pdf", args=[kind]), {name: "²"})

    assert answer.status_code == 400 and "application/pdf" not in answer["Content-Type"]


def test_the_timeline_reads_its_page_as_any_list_does(client, staff, work):
    client.force_login(staff)
    for odd in ("²", "١", str(MAX_ID + 1)):
        answer = client.get(reverse("tasks:task_timeline", args=[work.task_id]), {"page": odd})
        assert answer.status_code == 200


def test_an_instruction_on_an_odd_assignment_is_refused_for_a_leader_and_forbidden_to_others(
    client, leader, chengtou_reporter, work
):
    address = reverse("tasks:instruction_give", args=[work.task_id])
    client.force_login(chengtou_reporter)
    assert client.post(address, {"assignment": "²", "text": "抓紧"}).status_code == 403

    client.force_login(leader)
    answer = client.post(address, {"assignment": "²", "text": "抓紧"}, follow=True)

    assert answer.status_code == 200 and "不是有效的编号" in answer.content.decode()
    assert not Instruction.objects.exists()  # not silently made an instruction on the whole task
    client.post(address, {"assignment": str(work.pk), "text": "抓紧"})
    assert Instruction.objects.get().assignment == work


@pytest.fixture
def staged(staff):
    unit_create(name="XX市国资委", kind=UnitKind.SASAC, aliases=["市国资委"])
    unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    return plan_upload_receive(upload=SimpleUploadedFile("市国企改革方案.txt", CITY_PLAN.encode()), kind="", user=staff)


@pytest.mark.parametrize("choice", ["unit:²", "unit:١", f"unit:{MAX_ID + 1}", "group:", "unit", "maybe"])
def test_an_odd_unit_decision_is_refused_and_the_import_waits_for_another(client, staff, staged, choice):
    client.force_login(staff)
    address = reverse("tasks:import_detail", args=[staged.pk])

    answer = client.post(address, {"name-0": "各市属企业", "choice-0": choice, "action": "confirm"}, follow=True)

    assert answer.status_code == 200 and "不在可选范围内" in answer.content.decode()
    staged.refresh_from_db()
    assert staged.status == ImportStatus.READY and not Plan.objects.exists()
    # …and it goes on: decided rightly, it is imported.
    client.post(address, {"name-0": "各市属企业", "choice-0": "create", "action": "confirm"})
    staged.refresh_from_db()
    assert staged.status == ImportStatus.DONE


def test_an_import_that_fails_unexpectedly_is_left_to_be_confirmed_again(client, staff, staged, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(staged_import, "plan_import_confirm", broken)
    client.force_login(staff)
    address = reverse("tasks:import_detail", args=[staged.pk])

    answer = client.post(address, {"name-0": "各市属企业", "choice-0": "create", "action": "confirm"}, follow=True)

    staged.refresh_from_db()
    assert staged.status == ImportStatus.READY and "意外错误" in staged.error
    assert "意外错误" in answer.content.decode()
    monkeypatch.undo()
    client.post(address, {"name-0": "各市属企业", "choice-0": "create", "action": "confirm"})
    staged.refresh_from_db()
    assert staged.status == ImportStatus.DONE and staged.error == ""


def test_a_read_that_fails_unexpectedly_is_left_to_be_read_again(client, staff, staged, monkeypatch):
    PlanImport.objects.filter(pk=staged.pk).update(status=ImportStatus.RECEIVED)
    monkeypatch.setattr(staged_import, "plan_import_preview", lambda **kwargs: 1 / 0)

    staged_import.plan_upload_read(import_id=staged.pk)

    staged.refresh_from_db()
    assert staged.status == ImportStatus.RECEIVED and "意外错误" in staged.error
    client.force_login(staff)
    page = client.get(reverse("tasks:import_detail", args=[staged.pk])).content.decode()
    assert "意外错误" in page and reverse("tasks:import_discard", args=[staged.pk]) in page
    monkeypatch.undo()
    client.post(reverse("tasks:import_retry", args=[staged.pk]))
    staged.refresh_from_db()
    assert staged.status == ImportStatus.READY


@pytest.mark.parametrize(
    "stalled, back_to",
    [((ImportStatus.PARSING, 10), ImportStatus.RECEIVED), ((ImportStatus.IMPORTING, TAKEN), ImportStatus.READY)],
)
def test_an_upload_whose_job_vanished_goes_back_to_where_it_can_go_on(
    client, staff, staged, settings, stalled, back_to
):
    status, progress = stalled
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    PlanImport.objects.filter(pk=staged.pk).update(status=status, progress=progress, updated_at=long_ago)
    fresh = plan_upload_receive(upload=SimpleUploadedFile("另一份.txt", CITY_PLAN.encode()), kind="", user=staff)
    PlanImport.objects.filter(pk=fresh.pk).update(status=status, progress=progress)  # its job may still be at work

    client.force_login(staff)
    page = client.get(reverse("tasks:import_detail", args=[staged.pk])).content.decode()

    staged.refresh_from_db()
    assert staged.status == back_to and "工作进程" in staged.error and staged.error in page
    assert PlanImport.objects.get(pk=fresh.pk).status == status
    assert release_stalled_uploads() == 0
    client.post(reverse("tasks:import_discard", args=[staged.pk]))
    assert not PlanImport.objects.filter(pk=staged.pk).exists()


def test_an_import_confirmed_long_ago_and_still_queued_waits_for_its_worker(staff, staged, settings):
    """A long queue is not a vanished job: confirmed (not yet taken) it stays, and is imported once taken."""
    staged_import.plan_upload_correct(
        import_id=staged.pk, titles={}, leads={}, responsibles={}, choices={"各市属企业": "create"}
    )
    settings.IMPORT_INLINE_TASKS = 0  # to the worker
    staged_import.plan_upload_confirm(import_id=staged.pk, user=staff)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    PlanImport.objects.filter(pk=staged.pk).update(updated_at=long_ago)

    assert release_stalled_uploads() == 0
    staged_import.plan_upload_import(import_id=staged.pk, user_id=staff.pk)  # the worker takes it at last
    staged.refresh_from_db()
    assert staged.status == ImportStatus.DONE


def test_confirming_stamps_the_upload(staff, staged):
    before = PlanImport.objects.get(pk=staged.pk).updated_at
    staged_import.plan_upload_correct(
        import_id=staged.pk, titles={}, leads={}, responsibles={}, choices={"各市属企业": "create"}
    )
    PlanImport.objects.filter(pk=staged.pk).update(updated_at=before - datetime.timedelta(hours=1))
    staged_import.plan_upload_confirm(import_id=staged.pk, user=staff)
    assert PlanImport.objects.get(pk=staged.pk).updated_at > before
