"""Report jobs over the API: a ledger or a PDF asked for, polled, downloaded and read back."""

import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.models import GeneratedReport, ReportStatus
from reports.services import report_make
from tests.reports.dashboard_data import hand_built_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(chengtou_company, gongre_company, sasac_office):
    return hand_built_plan(chengtou_company, gongre_company, sasac_office)


def _download(client, job) -> bytes:
    answer = client.get(job["download"])
    assert answer.status_code == 200
    return b"".join(answer.streaming_content)


def test_a_ledger_of_the_task_lists_filters_is_made_and_read_back(api, auditor, plan):
    client = api(auditor)

    job = client.post(reverse("api:report-job-list"), {"kind": "ledger", "plan": plan.pk, "status": "in_progress"})

    assert job.status_code == 201 and job.json()["status"] == "done", job.content
    workbook = openpyxl.load_workbook(io.BytesIO(_download(client, job.json())))
    rows = [row for sheet in workbook.worksheets[1:] for row in sheet.iter_rows(values_only=True)]
    units = [v for row in rows for v in row if isinstance(v, str) and v.startswith("鞍山市立山区")]
    assert sorted(units) == ["鞍山市立山区供热有限公司", "鞍山市立山区城市建设投资有限公司"]  # the work in progress
    assert job.json()["filename"].endswith(".xlsx") and job.json()["params"]["status"] == "in_progress"


def test_a_large_pdf_waits_for_the_worker_and_is_downloaded_once_made(api, staff, plan, settings):
    settings.REPORT_INLINE_ROWS = 0
    client = api(staff)

    asked = client.post(reverse("api:report-job-list"), {"kind": "progress", "plan": plan.pk}).json()
    waiting = client.get(reverse("api:report-job-download", kwargs={"pk": asked["id"]}))
    report_make(asked["id"])  # what the worker does with the job
    made = client.get(reverse("api:report-job-detail", kwargs={"pk": asked["id"]})).json()

    assert asked["status"] == "queued" and asked["download"] is None
    assert waiting.status_code == 409 and "尚未生成" in waiting.json()["detail"]
    assert made["status"] == "done" and made["pages"] >= 1
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_download(client, made))).pages)
    assert plan.title in text.replace("\n", "")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"kind": "ledger"}, "请先选择方案"),
        ({"kind": "ledger", "plan": 1, "format": "pdf"}, "format"),
        ({"kind": "progress"}, "请选择方案"),
        ({"kind": "nonsense"}, "kind"),
        ({"kind": "progress", "plan": 1, "status": "accepted", "format": "csv"}, "format, status"),
    ],
)
def test_a_request_that_cannot_be_met_is_refused_clearly_and_nothing_is_kept(api, staff, plan, body, words):
    answer = api(staff).post(reverse("api:report-job-list"), body)

    assert answer.status_code == 400 and words in answer.content.decode()
    assert not GeneratedReport.objects.exists()


def test_a_reporter_asks_for_its_own_units_report_and_sees_only_its_own_jobs(
    api, chengtou_reporter, gongre_reporter, chengtou_company, gongre_company, plan
):
    mine = api(chengtou_reporter).post(reverse("api:report-job-list"), {"kind": "unit", "unit": chengtou_company.pk})
    theirs = api(gongre_reporter).post(reverse("api:report-job-list"), {"kind": "unit", "unit": gongre_company.pk})
    refused = api(chengtou_reporter).post(reverse("api:report-job-list"), {"kind": "unit", "unit": gongre_company.pk})

    assert mine.status_code == theirs.status_code == 201 and refused.status_code == 403
    listed = api(chengtou_reporter).get(reverse("api:report-job-list")).json()["results"]
    assert [job["id"] for job in listed] == [mine.json()["id"]]
    assert GeneratedReport.objects.filter(status=ReportStatus.DONE).count() == 2
