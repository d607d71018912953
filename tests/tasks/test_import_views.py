"""Importing through the browser: upload, read, correct, decide units, confirm, discard."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs.choices import UnitKind
from orgs.models import Unit
from orgs.services import unit_create, unit_group_set_members
from tasks import jobs
from tasks.choices import ImportStatus
from tasks.models import Assignment, Plan, PlanImport
from tasks.services.errors import ImportRefused
from tasks.services.staged_import import plan_upload_correct
from tests.factories import UnitFactory, UnitGroupFactory
from tests.tasks.importing.samples import CITY_PLAN

CITY_BYTES = CITY_PLAN.encode()


def upload(client, content=CITY_BYTES, name="市国企改革方案.txt", **extra):
    return client.post(reverse("tasks:import_list"), {"file": SimpleUploadedFile(name, content), **extra})


@pytest.fixture
def known_city_units(db):
    unit_create(name="XX市国资委", kind=UnitKind.SASAC, aliases=["市国资委"])
    unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    unit_group_set_members(group=UnitGroupFactory(name="各市属企业"), units=UnitFactory.create_batch(2))


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_a_small_document_is_read_at_once_and_shown_for_checking(staff_client, known_city_units):
    answer = upload(staff_client)

    staged = PlanImport.objects.get()
    assert answer.url == reverse("tasks:import_detail", args=[staged.pk])
    assert staged.status == ImportStatus.READY
    assert re.fullmatch(r"imports/\d{4}/\d{2}/[0-9a-f]{32}\.txt", staged.file.name)  # a generated name on disk
    page = staff_client.get(answer.url).content.decode()
    assert "推进战略性重组" in page and "《市属企业重组整合方案》" in page
    assert "连国资发〔2023〕15号" in page
    assert "确认导入" in page
    assert not Plan.objects.exists()


def test_unknown_units_are_flagged_and_warnings_highlighted(staff_client, db):
    upload(staff_client)

    page = staff_client.get(reverse("tasks:import_detail", args=[PlanImport.objects.get().pk])).content.decode()

    assert "尚未登记的单位" in page
    assert '<span class="unknown">市财政局</span>' in page
    assert "任务1：“市国资委”不是已知的单位或单位组。" in page


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "扫描件.txt", "图片文件已损坏"),
        (b"", "empty.txt", "提交的是空文件"),
        ("没有编号任务的通知。".encode(), "通知.txt", "未找到编号的任务"),
        (b"not a zip", "方案.docx", "不是 Word 文档"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "setup.exe", "这个文件是程序"),
    ],
)
def test_a_bad_file_is_refused_on_the_form_and_nothing_is_kept(staff_client, content, name, message):
    answer = upload(staff_client, content, name)

    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not PlanImport.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(staff_client, settings):
    settings.IMPORT_MAX_BYTES = 1000

    answer = upload(staff_client, b"x" * 2000)

    assert "只能导入不超过" in answer.content.decode()
    assert not PlanImport.objects.exists()


def test_corrections_and_unit_decisions_are_applied_on_confirmation(staff_client, db):
    finance = unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    group = UnitGroupFactory(name="市属企业全体")
    unit_group_set_members(group=group, units=UnitFactory.create_batch(2))
    upload(staff_client)
    staged = PlanImport.objects.get()

    answer = staff_client.post(
        reverse("tasks:import_detail", args=[staged.pk]),
        {
            "title-0": "推进国有企业战略性重组",
            "responsible-3": "市财政局",
            "name-0": "市国资委",
            "choice-0": "create",
            "name-1": "各市属企业",
            "choice-1": f"group:{group.pk}",
            "action": "confirm",
        },
        follow=True,
    )

    staged.refresh_from_db()
    assert staged.status == ImportStatus.DONE
    plan = staged.plan
    assert plan.tasks.get(position=0).title == "推进国有企业战略性重组"
    assert set(plan.tasks.get(position=3).assignments.values_list("unit", flat=True)) == {
        Unit.objects.get(name="市国资委").pk,
        finance.pk,
    }
    assert Assignment.objects.filter(via_group=group).count() == 3 * 2
    assert "已导入" in answer.content.decode()


NO_CORRECTION = {"titles": {}, "leads": {}, "responsibles": {}, "choices": {}}


@pytest.mark.parametrize(
    "correction",
    [{"titles": {0: "推进\x00"}}, {"responsibles": {3: "市财政局\x00"}}, {"choices": {"市国资委\x00": "create"}}],
)
def test_a_correction_holding_a_nul_is_refused_with_a_message_and_nothing_changes(staff_client, db, correction):
    # Found by tests/reliability/test_form_fuzz.py: PostgreSQL cannot keep a NUL in the parsed plan.
    # (The pages refuse a NUL in any field before the view; the API passes corrections here.)
    upload(staff_client)
    staged = PlanImport.objects.get()
    parsed_before = staged.parsed

    with pytest.raises(ImportRefused, match="控制字符"):
        plan_upload_correct(
            import_id=staged.pk, **{"titles": {}, "leads": {}, "responsibles": {}, "choices": {}} | correction
        )

    staged.refresh_from_db()
    assert staged.parsed == parsed_before and staged.status == ImportStatus.READY


def test_confirming_with_an_undecided_unit_says_which_and_creates_nothing(staff_client, db):
    upload(staff_client)
    staged = PlanImport.objects.get()

    answer = staff_client.post(reverse("tasks:import_detail", args=[staged.pk]), {"action": "confirm"}, follow=True)

    staged.refresh_from_db()
    assert staged.status == ImportStatus.READY
    assert "以下单位尚未登记" in answer.content.decode()
    assert not Plan.objects.exists()


def test_an_empty_title_is_refused(staff_client, known_city_units):
    upload(staff_client)
    staged = PlanImport.objects.get()

    answer = staff_client.post(
        reverse("tasks:import_detail", args=[staged.pk]), {"title-1": "  ", "action": "save"}, follow=True
    )

    assert "任务2需要标题" in answer.content.decode()
    staged.refresh_from_db()
    assert staged.parsed["tasks"][1]["title"] == "清理低效资产"


def test_a_large_document_is_read_by_a_worker_once(
    staff_client, known_city_units, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_BYTES = 0
    sent = []
    monkeypatch.setattr(jobs.read_plan_upload, "apply_async", lambda args, **kw: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        upload(staff_client)

    staged = PlanImport.objects.get()
    assert (staged.status, sent) == (ImportStatus.RECEIVED, [(staged.pk,)])
    assert (
        'hx-trigger="every 1s"' in staff_client.get(reverse("tasks:import_detail", args=[staged.pk])).content.decode()
    )
    jobs.read_plan_upload(staged.pk)
    jobs.read_plan_upload(staged.pk)  # run twice: the second finds nothing to do
    staged.refresh_from_db()
    assert staged.status == ImportStatus.READY
    progress = staff_client.get(reverse("tasks:import_progress", args=[staged.pk]))
    assert progress["HX-Refresh"] == "true"


def test_a_broker_that_is_down_leaves_the_upload_waiting_with_a_way_to_read_it_now(
    staff_client, known_city_units, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_BYTES = 0

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(jobs.read_plan_upload, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        answer = upload(staff_client)

    staged = PlanImport.objects.get()
    assert answer.status_code == 302
    assert "立即读取" in staff_client.get(answer.url).content.decode()
    staff_client.post(reverse("tasks:import_retry", args=[staged.pk]))
    staged.refresh_from_db()
    assert staged.status == ImportStatus.READY


def test_a_large_plan_is_imported_by_a_worker(
    staff_client, known_city_units, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_TASKS = 1
    sent = []
    monkeypatch.setattr(jobs.import_plan_upload, "apply_async", lambda args, **kw: sent.append(args))
    upload(staff_client)
    staged = PlanImport.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("tasks:import_detail", args=[staged.pk]), {"action": "confirm"})

    staged.refresh_from_db()
    assert staged.status == ImportStatus.IMPORTING and not Plan.objects.exists()
    jobs.import_plan_upload(*sent[0])
    jobs.import_plan_upload(*sent[0])
    staged.refresh_from_db()
    assert staged.status == ImportStatus.DONE
    assert Plan.objects.count() == 1


def test_discarding_asks_first_then_deletes_the_upload(staff_client, known_city_units):
    upload(staff_client)
    staged = PlanImport.objects.get()
    url = reverse("tasks:import_discard", args=[staged.pk])

    assert "将被删除" in staff_client.get(url).content.decode()
    staff_client.post(url)

    assert not PlanImport.objects.exists()


@pytest.mark.parametrize("who", ["chengtou_reporter", "leader", "auditor"])
def test_only_staff_import(client, request, who, staff, known_city_units):
    client.force_login(staff)
    upload(client)
    staged = PlanImport.objects.get()
    client.force_login(request.getfixturevalue(who))

    for name in ("import_detail", "import_progress", "import_discard"):
        assert client.get(reverse(f"tasks:{name}", args=[staged.pk])).status_code == 403
    assert client.get(reverse("tasks:import_list")).status_code == 403
    assert upload(client).status_code == 403
    assert client.post(reverse("tasks:import_detail", args=[staged.pk]), {"action": "confirm"}).status_code == 403
    assert not Plan.objects.exists()


def test_the_upload_list_makes_the_same_queries_for_few_uploads_as_for_many(staff_client, known_city_units):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(reverse("tasks:import_list")).status_code == 200
        return len(captured)

    upload(staff_client)
    few = queries()
    for n in range(5):
        upload(staff_client, (CITY_PLAN + f"\n附{n}").encode(), f"方案{n}.txt")

    assert queries() == few


def test_a_60_megabyte_upload_is_refused_on_its_declared_length(staff_client):
    answer = staff_client.post(
        reverse("tasks:import_list"),
        data=b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )

    assert answer.status_code == 413
    assert "文件大小为 60.0" in answer.content.decode()
    assert not PlanImport.objects.exists()
