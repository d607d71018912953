"""A scan through the browser: refused at once when too long, else sent to the worker, read there
page by page, and kept: correcting the preview never runs the OCR again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tasks.choices import ImportStatus
from tasks.importing import ocr
from tasks.models import PlanImport
from tasks.services import staged_import
from tests.tasks.importing import documents
from tests.tasks.importing.samples import CITY_PLAN


def upload(client, content, name):
    return client.post(reverse("tasks:import_list"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def blank_scan():
    return documents.image_pdf([Image.new("RGB", (100, 140), "white") for _ in range(4)])


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(staged_import, "_queue", lambda job, *args: sent.append((job, *args)))
    return sent


def test_a_scan_goes_to_the_worker_and_the_web_process_runs_no_ocr(staff_client, blank_scan, queued, monkeypatch):
    monkeypatch.setattr(ocr, "read_scan", lambda *args, **kwargs: pytest.fail("OCR in the web process"))

    answer = upload(staff_client, blank_scan, "扫描件.pdf")

    staged = PlanImport.objects.get()
    assert answer.status_code == 302 and staged.status == ImportStatus.RECEIVED
    assert queued == [("read_plan_upload", staged.pk)]


def test_a_scan_over_the_page_limit_is_refused_before_any_work_and_nothing_is_kept(
    staff_client, blank_scan, queued, settings
):
    settings.IMPORT_MAX_SCAN_PAGES = 3

    answer = upload(staff_client, blank_scan, "扫描件.pdf")

    assert "这份扫描件有 4 页，文字识别最多读取 3 页" in answer.content.decode()
    assert not PlanImport.objects.exists() and not queued


def test_a_file_of_a_kind_no_reader_takes_is_refused_naming_what_it_really_is(staff_client, queued):
    answer = upload(staff_client, b"PK\x03\x04" + b"\x00" * 30, "方案.zip")

    assert "这个文件是zip 压缩包，不能导入" in answer.content.decode()
    assert not PlanImport.objects.exists()


@pytest.mark.slow
def test_the_worker_reads_a_scan_page_by_page_and_mending_never_reads_it_again(
    staff_client, staff, queued, monkeypatch
):
    pages = documents.page_images(documents.official_pdf(CITY_PLAN))
    upload(staff_client, documents.image_pdf(pages), "扫描件.pdf")
    staged = PlanImport.objects.get()
    marks = []
    real_move = staged_import._move

    def move(import_id, **changes):
        marks.append(changes.get("progress"))
        return real_move(import_id, **changes)

    monkeypatch.setattr(staged_import, "_move", move)

    staged_import.plan_upload_read(import_id=staged.pk)

    staged.refresh_from_db()
    assert staged.status == ImportStatus.READY and len(staged.parsed["tasks"]) == 4
    assert marks == [10, *(10 + 85 * n // len(pages) for n in range(1, len(pages) + 1)), 100]
    monkeypatch.setattr(ocr, "read_scan", lambda *args, **kwargs: pytest.fail("the scan was read again"))
    first = staged.parsed["tasks"][0]
    staged_import.plan_upload_mend(import_id=staged.pk, action="drop", index=0, line=first["line"])
    staged.refresh_from_db()
    assert len(staged.parsed["tasks"]) == 3 and "文字是从图像中识别的" in " ".join(
        message for _line, message in staged.warnings
    )
    assert staff_client.get(reverse("tasks:import_detail", args=[staged.pk])).status_code == 200
