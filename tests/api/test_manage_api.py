"""Units, groups and users managed over the API as on staff's pages: the same services, the same
refusals, the same audit log; read-only for everyone but staff."""

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from orgs.models import Unit, UnitAlias, UnitGroup, User
from reform.models import AuditEvent, AuditKind


def test_staff_create_rename_and_stop_a_unit_and_add_its_user(api, staff):
    sasac = api(staff)

    made = sasac.post(reverse("api:unit-list"), {"name": "立山区市场监督管理局", "kind": "department"}, format="json")
    unit = made.json()["id"]
    renamed = sasac.post(reverse("api:unit-rename", args=[unit]), {"name": "立山区市场监管局"}, format="json")
    added = sasac.post(
        reverse("api:unit-users", args=[unit]), {"username": "zhaomin", "role": "reporter"}, format="json"
    )
    password = added.json()["temporary_password"]
    assert added.status_code == 201 and authenticate(username="zhaomin", password=password) is not None
    refused = sasac.post(reverse("api:unit-stop", args=[unit]), {"confirm": False}, format="json")
    stopped = sasac.post(reverse("api:unit-stop", args=[unit]), {"confirm": True}, format="json")

    assert made.status_code == 201
    assert renamed.json()["name"] == "立山区市场监管局" and renamed.json()["aliases"] == ["立山区市场监督管理局"]
    assert refused.status_code == 400 and stopped.json()["is_active"] is False
    assert not User.objects.get(username="zhaomin").is_active
    assert AuditEvent.objects.filter(kind=AuditKind.UNIT_CHANGED).count() == 3  # made, renamed, stopped


def test_a_clash_is_refused_with_the_pages_message(api, staff, chengtou_company, gongre_company):
    answer = api(staff).post(
        reverse("api:unit-rename", args=[chengtou_company.pk]), {"name": gongre_company.name}, format="json"
    )
    assert answer.status_code == 400 and "已是另一单位的名称" in answer.json()["detail"]


def test_staff_reset_passwords_deactivate_users_and_set_group_members(
    api, staff, chengtou_reporter, chengtou_company, gongre_company
):
    sasac = api(staff)

    reset = sasac.post(reverse("api:user-reset-password", args=[chengtou_reporter.pk]))
    off = sasac.post(reverse("api:user-deactivate", args=[chengtou_reporter.pk]))
    group = sasac.post(reverse("api:unit-group-list"), {"name": "各区属企业"}, format="json").json()
    members = sasac.post(
        reverse("api:unit-group-members", args=[group["id"]]),
        {"units": [chengtou_company.pk, gongre_company.pk]},
        format="json",
    )
    self_off = sasac.post(reverse("api:user-deactivate", args=[staff.pk]))

    assert reset.status_code == 201 and User.objects.get(pk=chengtou_reporter.pk).must_change_password
    assert off.json()["is_active"] is False
    assert sorted(members.json()["units"]) == sorted([chengtou_company.pk, gongre_company.pk])
    assert self_off.status_code == 400 and "不能停用本人的账号" in self_off.json()["detail"]


@pytest.mark.parametrize("who", ["leader", "auditor", "chengtou_reporter"])
def test_only_staff_change_units_groups_and_users(api, request, who, chengtou_company, gongre_reporter):
    client = api(request.getfixturevalue(who))

    assert client.get(reverse("api:unit-list")).status_code == 200  # names everyone reads
    assert client.get(reverse("api:user-list")).status_code == 403
    assert client.post(reverse("api:unit-list"), {"name": "新单位", "kind": "other"}, format="json").status_code == 403
    assert client.post(reverse("api:unit-rename", args=[chengtou_company.pk]), {"name": "x"}).status_code == 403
    assert client.post(reverse("api:user-reset-password", args=[gongre_reporter.pk])).status_code == 403
    assert client.post(reverse("api:unit-group-list"), {"name": "组"}, format="json").status_code == 403
    assert not Unit.objects.filter(name__in=["新单位", "x"]).exists() and not UnitGroup.objects.exists()
    assert not UnitAlias.objects.exists()
