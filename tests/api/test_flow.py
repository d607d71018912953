"""A plan's work from import to acceptance through the API alone, as another system would drive it:
staff import a plan and decide its units; a unit's reporter reports with evidence and submits; staff
return it, the unit hears of it and reports again; staff accept; the figures and the ledger show it."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from orgs.choices import Role, UnitKind
from orgs.services import unit_create
from tests.factories import UserFactory
from tests.tasks.importing.samples import CITY_PLAN

pytestmark = pytest.mark.django_db

API = "/api/v1"


def signed_in(user, password="Reform-2026") -> APIClient:
    user.set_password(password)
    user.save()
    client = APIClient()
    token = client.post(f"{API}/auth/token/", {"username": user.username, "password": password}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def ok(answer, status=200):
    assert answer.status_code == status, answer.content[:400]
    return answer.json() if answer.get("Content-Type", "").startswith("application/json") else answer


def test_from_import_to_acceptance_through_the_api(staff):
    finance = unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    sasac = signed_in(staff)

    staged = ok(
        sasac.post(
            f"{API}/plans/import/", {"file": SimpleUploadedFile("方案.txt", CITY_PLAN.encode())}, format="multipart"
        ),
        201,
    )
    imported = ok(
        sasac.post(
            f"{API}/plans/import/{staged['id']}/confirm/",
            {"unit_choices": {"市国资委": "create", "各市属企业": "skip"}},
            format="json",
        )
    )
    plan = imported["plan"]
    reporter = UserFactory(username="caizheng", role=Role.REPORTER, unit=finance)
    unit = signed_in(reporter)

    (work, *_) = ok(unit.get(f"{API}/assignments/", {"plan": plan}))["results"]
    assert work["unit"] == finance.pk and work["actions"] == ["start"]
    # The documents the task's milestones name, which the report's file delivers (销号 asks for them).
    milestones = ok(unit.get(f"{API}/milestones/", {"task": work["task"]}))["results"]
    delivers = [f"{m['id']}:{name}" for m in milestones for name in m["deliverables"]]
    assert delivers
    report = ok(
        unit.post(
            f"{API}/reports/",
            {
                "assignment": work["id"],
                "period": "2025-06",
                "percent": 100,
                "text": "已印发实施方案",
                "done": True,
                "version": work["version"],
                "files": [SimpleUploadedFile("方案印发.pdf", b"%PDF-1.4\n%%EOF\n")],
                "delivers": delivers,
            },
            format="multipart",
        ),
        201,
    )
    assert report["evidence"][0]["original_name"] == "方案印发.pdf"

    waiting = ok(sasac.get(f"{API}/assignments/", {"status": "submitted", "plan": plan}))["results"]
    assert [w["id"] for w in waiting] == [work["id"]]
    ok(sasac.post(f"{API}/assignments/{work['id']}/return/", {"comment": "请补充印发文件"}, format="json"))

    heard = ok(unit.get(f"{API}/notifications/", {"unread": True}))["results"]
    assert any("请补充印发文件" in n["body"] for n in heard)
    ok(unit.post(f"{API}/notifications/read-all/"))
    again = ok(unit.get(f"{API}/assignments/{work['id']}/"))
    assert again["status"] == "returned" and again["actions"] == ["resume"]
    ok(
        unit.post(
            f"{API}/reports/",
            {"assignment": work["id"], "period": "2025-07", "percent": 100, "text": "已补充", "done": True},
            format="json",
        ),
        201,
    )
    evidence = ok(unit.get(f"{API}/evidence/", {"assignment": work["id"]}))["results"][0]
    downloaded = sasac.get(evidence["download"])
    assert b"".join(downloaded.streaming_content).startswith(b"%PDF")

    current = ok(sasac.get(f"{API}/assignments/{work['id']}/"))
    ok(sasac.post(f"{API}/assignments/{work['id']}/accept/", {"version": current["version"]}, format="json"))

    figures = ok(sasac.get(f"{API}/dashboard/", {"plan": plan}))["figures"]["counts"]
    assert figures["accepted"] == 1
    job = ok(sasac.post(f"{API}/report-jobs/", {"kind": "ledger", "plan": plan, "status": "accepted"}), 201)
    ledger = openpyxl.load_workbook(io.BytesIO(b"".join(sasac.get(job["download"]).streaming_content)))
    cells = [str(v) for sheet in ledger.worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    assert "市财政局" in cells
    # The unit reads its history; it cannot accept its own work.
    assert unit.post(f"{API}/assignments/{work['id']}/reopen/", {"comment": "x"}, format="json").status_code == 403
