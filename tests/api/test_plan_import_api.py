"""Importing a plan through the API alone: upload, read the preview, confirm with unit decisions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.choices import UnitKind
from orgs.models import Unit
from orgs.services import unit_create, unit_group_set_members
from tasks.choices import ImportStatus
from tasks.models import Plan, PlanImport
from tests.factories import UnitFactory, UnitGroupFactory
from tests.tasks.importing.samples import CITY_PLAN

pytestmark = pytest.mark.django_db


CITY_BYTES = CITY_PLAN.encode()


def _upload(client, content=CITY_BYTES, name="市国企改革方案.txt"):
    return client.post(reverse("api:plan-import-list"), {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_upload_preview_and_confirm_create_the_plan(api, staff):
    unit_create(name="市财政局", kind=UnitKind.DEPARTMENT)
    group = UnitGroupFactory(name="市属企业全体")
    unit_group_set_members(group=group, units=UnitFactory.create_batch(2))
    client = api(staff)

    uploaded = _upload(client)
    staged = client.get(reverse("api:plan-import-detail", kwargs={"pk": uploaded.json()["id"]})).json()
    undecided = client.post(reverse("api:plan-import-confirm", kwargs={"pk": staged["id"]}), {}, format="json")
    confirmed = client.post(
        reverse("api:plan-import-confirm", kwargs={"pk": staged["id"]}),
        {"unit_choices": {"市国资委": "create", "各市属企业": f"group:{group.pk}"}},
        format="json",
    )

    assert uploaded.status_code == 201 and staged["status"] == "ready"
    assert sorted(staged["unknown_names"]) == ["各市属企业", "市国资委"]
    assert "推进战略性重组" in [task["title"] for task in staged["parsed"]["tasks"]]
    assert undecided.status_code == 400 and "尚未登记" in undecided.json()["detail"]
    assert confirmed.status_code == 200 and confirmed.json()["status"] == ImportStatus.DONE
    plan = Plan.objects.get(pk=confirmed.json()["plan"])
    assert plan.tasks.count() == len(staged["parsed"]["tasks"]) and Unit.objects.filter(name="市国资委").exists()


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "empty.txt", "空"),
        (b"\x00\x01binary", "plan.exe", "不是文本文件"),
        (b"%PDF-1.4 broken", "plan.pdf", "PDF"),
    ],
)
def test_a_bad_document_is_refused_clearly_and_nothing_is_kept(api, staff, content, name, words):
    answer = _upload(api(staff), content, name)

    assert answer.status_code == 400 and words in answer.content.decode()
    assert not PlanImport.objects.exists()


def test_an_oversized_document_is_refused_before_it_is_read(api, staff, settings):
    settings.IMPORT_MAX_BYTES = 1024

    answer = _upload(api(staff), b"x" * 200_000)

    assert answer.status_code == 413 and "只能导入不超过" in answer.json()["detail"]
    assert not PlanImport.objects.exists()


def test_importing_is_staffs_alone(api, leader, chengtou_reporter):
    for user in (leader, chengtou_reporter):
        assert _upload(api(user)).status_code == 403
        assert api(user).get(reverse("api:plan-import-list")).status_code == 403
    assert not PlanImport.objects.exists()
