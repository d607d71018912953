"""Every form that shows what is stored, sent back as a browser would send it unchanged, changes
nothing: no row, no history entry. A browser sends an <input type="date"> only if its value is
YYYY-MM-DD (a Chinese-formatted 2027/12/31 shows empty and is sent empty), a number input only if
it is a number, a textarea's lines ending in CR LF, a checkbox only when ticked, a select's chosen
option. The forms are read off the pages as served: the platform's edit pages and every change
form of the administration."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from orgs.choices import UnitKind
from tasks.choices import AssignmentStatus as S
from tasks.models import Milestone
from tasks.reminders.models import ReminderSettings, UnitWebhook
from tasks.services.staged_import import plan_upload_correct, plan_upload_receive
from tests.factories import (
    AssignmentFactory,
    MilestoneFactory,
    PlanFactory,
    SectionFactory,
    TaskFactory,
    UnitFactory,
    UnitGroupFactory,
)
from tests.tasks.importing.samples import CITY_PLAN

pytestmark = pytest.mark.django_db

# Written by any request, not by the form: who signed in when, what the admin did.
NOT_THE_FORMS = {"sessions.session", "admin.logentry", "reform.auditevent", "authtoken.token"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class BrowserForm(HTMLParser):
    """What a browser submits for one form of a page (the first whose action matches), unchanged."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.found = action, False, False
        self.fields: list[tuple[str, str]] = []
        self.select = self.textarea = None
        self.options: list[tuple[str, bool]] = []
        self.submitted = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found:
            self.inside = attrs.get("method", "get").lower() == "post" and self._posts_to(attrs.get("action") or "")
            self.found = self.inside
        if not self.inside:
            return
        if attrs.get("form"):
            return  # the control of another form, standing inside this one's markup
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            value = attrs.get("value", "")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind == "date":
                self.fields.append((name, value if _DATE.fullmatch(value) else ""))
            elif kind == "number":
                self.fields.append((name, value if _NUMBER.fullmatch(value) else ""))
            elif kind == "submit":
                if not self.submitted:
                    self.submitted = True
                    self.fields.append((name, value))
            elif kind not in ("button", "file", "reset", "image"):
                self.fields.append((name, value))
        elif tag == "button" and attrs.get("type", "submit") == "submit" and not self.submitted:
            self.submitted = True
            if name:
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
        elif tag == "select" and name:
            self.select, self.multiple, self.options = name, "multiple" in attrs, []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))

    def _posts_to(self, action: str) -> bool:
        # No action, or "", "." or only a query ("?page=2"): the page itself.
        path = action.split("?")[0]
        return (path if path not in ("", ".") else self.page) == self.action

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # The HTML parser drops a newline right after <textarea>; browsers send CR LF.
            self.fields.append((self.textarea, self.text.removeprefix("\n").replace("\n", "\r\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options and not self.multiple:
                chosen = [self.options[0][0]]
            self.fields += [(self.select, value) for value in chosen]
            self.select = None


def read_form(html: str, page: str, action: str) -> "BrowserForm":
    form = BrowserForm(action)
    form.page = page
    form.feed(html)
    return form


def sent_back(client, page: str, action: str | None = None) -> dict:
    """The form of ``page`` posted as a browser would send it unchanged; the answer."""
    answer = client.get(page)
    assert answer.status_code == 200, page
    form = read_form(answer.content.decode(), page, action or page)
    assert form.found, f"no form posting to {action or 'the page'} on {page}"
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    return client.post(action or page, data)


def everything() -> dict:
    """Every row the forms could touch, history included."""
    kept = {}
    for model in apps.get_models():
        if model._meta.label_lower in NOT_THE_FORMS:
            continue
        kept[model._meta.label_lower] = serializers.serialize("python", model._default_manager.order_by("pk"))
    return kept


def changed_between(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


@pytest.fixture
def stored(staff, chengtou_company, gongre_company):
    """Records as the import and the workflow leave them: texts of several lines, dates, choices."""
    plan = PlanFactory(
        title="国企改革三年行动实施方案",
        source_text="一、总体要求\n（一）指导思想\n二、重点任务\n1．厘清权责边界。\n",
    )
    section = SectionFactory(plan=plan, title="完善中国特色现代企业制度")
    task = TaskFactory(
        plan=plan,
        section=section,
        title="厘清权责边界",
        body="2021年出台《负面清单》。\n2022年完成修订。",
        due=datetime.date(2027, 12, 31),
    )
    MilestoneFactory(task=task, due=datetime.date(2027, 12, 31), text="出台\n《负面清单》", deliverables=["负面清单"])
    MilestoneFactory(task=task, due=datetime.date(2026, 6, 30), text="完成修订", deliverables=[])
    AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    UnitFactory(name="区属企业A", kind=UnitKind.ENTERPRISE, parent=chengtou_company)
    group = UnitGroupFactory(name="各区属企业", description="区属国有企业。\n不含街道。")
    group.units.add(chengtou_company, gongre_company)
    UnitWebhook.objects.create(unit=gongre_company, url="https://bot.example.gov.cn/hook")
    ReminderSettings.current().save()
    return task


def platform_forms(task, staged) -> list[tuple[str, str | None]]:
    return [
        (reverse("tasks:task_edit", args=[task.pk]), None),
        (reverse("tasks:import_detail", args=[staged.pk]), None),  # its first button saves the corrections
        (reverse("tasks:task_detail", args=[task.pk]), reverse("tasks:task_due_change", args=[task.pk])),
        (reverse("reminders:rules"), None),
        (reverse("reminders:channel_settings"), None),
    ]


def admin_forms(staff) -> list[str]:
    """The change page of one record of every model the administration lets staff change."""
    request = RequestFactory().get("/admin/")
    request.user = staff
    pages = []
    for model, model_admin in admin.site._registry.items():
        record = model._default_manager.order_by("pk").first()
        if record is not None and model_admin.has_change_permission(request, record):
            pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk]))
    return pages


def test_every_form_sent_back_unchanged_changes_nothing(client, staff, stored):
    client.force_login(staff)
    staged = plan_upload_receive(upload=SimpleUploadedFile("市方案.txt", CITY_PLAN.encode()), kind="", user=staff)
    plan_upload_correct(import_id=staged.pk, titles={}, leads={}, responsibles={}, choices={"市国资委": "create"})
    pages = [*platform_forms(stored, staged), *((page, None) for page in admin_forms(staff))]
    assert len(pages) >= 10, pages

    moved = []
    for page, action in pages:
        before = everything()
        answer = sent_back(client, page, action)
        assert answer.status_code in (200, 302), (page, answer.status_code)
        moved += [(page, label) for label in changed_between(before, everything())]
    assert not moved, moved


def test_a_task_saved_unchanged_keeps_its_milestones_due_dates(client, staff, stored):
    """As found: 2027/12/31 in a date input shows empty, and saving the title alone erased every due date."""
    client.force_login(staff)
    page = client.get(reverse("tasks:task_edit", args=[stored.pk])).content.decode()
    assert 'type="date"' in page and 'value="2027-12-31"' in page and "2027/12/31" not in page

    sent_back(client, reverse("tasks:task_edit", args=[stored.pk]))

    assert sorted(Milestone.objects.values_list("due", flat=True)) == [
        datetime.date(2026, 6, 30),
        datetime.date(2027, 12, 31),
    ]
    assert stored.history.count() == 1 and all(m.history.count() == 1 for m in Milestone.objects.all())


def test_an_edit_changes_exactly_the_field_changed(client, staff, stored):
    client.force_login(staff)
    address = reverse("tasks:task_edit", args=[stored.pk])
    form = read_form(client.get(address).content.decode(), address, address)
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    data["title"] = ["厘清董事会与经理层权责边界"]
    body, updated = stored.body, stored.updated_at

    answer = client.post(address, data)

    assert answer.status_code == 302, answer.content.decode()[-3000:]
    stored.refresh_from_db()
    assert stored.title == "厘清董事会与经理层权责边界" and stored.body == body and stored.updated_at > updated
    latest = stored.history.first()
    delta = latest.diff_against(latest.prev_record)
    assert [change.field for change in delta.changes if change.field != "updated_at"] == ["title"]
    assert all(m.history.count() == 1 for m in Milestone.objects.all())
