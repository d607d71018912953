"""Every form of the browser pages, posted with what hypothesis makes of its fields — text with NULs
and every script, numbers far out of range, bad dates, garbage files, fields left out: the answer is
a page or a redirect with a message, never a 5xx. Forms are found by reading the pages as served."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reform.settings import env_bool
from tasks.choices import AssignmentStatus as S
from tasks.models import ExtensionRequest, SupervisionNotice
from tasks.services.staged_import import plan_upload_receive
from tests.factories import AssignmentFactory, MilestoneFactory, PlanFactory, TaskFactory
from tests.tasks.importing.samples import CITY_PLAN

pytestmark = pytest.mark.django_db
# Fixed examples in CI; API_FUZZ_RANDOM=1 explores new ones, as for the API.
RANDOM = env_bool("API_FUZZ_RANDOM", False)
SKIP_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")  # they end the session or only set a cookie


class Forms(HTMLParser):
    """The forms of a page: (method, action, {field name: kind or choices})."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = (attrs.get("method", "get").lower(), attrs.get("action") or "", {})
            self.forms.append(self.current)
        elif self.current is None or "name" not in attrs:
            if tag == "option" and self.select is not None:
                self.select.append(attrs.get("value", ""))
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button"):
            kind = attrs.get("type", "text")
            self.current[2][attrs["name"]] = "hidden:" + attrs.get("value", "") if kind == "hidden" else kind
        elif tag == "textarea":
            self.current[2][attrs["name"]] = "text"
        elif tag == "select":
            self.select = []
            self.current[2][attrs["name"]] = self.select

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def forms_of(html: str, page: str):
    parser = Forms()
    parser.feed(html)
    for method, action, fields in parser.forms:
        target = action or page
        if not target.startswith(SKIP_ACTIONS) and target.startswith("/"):
            yield method, target, fields


WILD_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
# Numbers as no browser sends them: every digit Unicode has but 0–9 ("²" passes isdigit(), "١٢" int()),
# and numbers past what the database holds.
UNICODE_DIGITS = st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=4)
PAST_THE_DATABASE = st.integers(min_value=2**63)
WILD_NUMBER = st.one_of(
    st.integers(), PAST_THE_DATABASE, UNICODE_DIGITS, st.just("1e309"), st.just("-0"), st.just("NaN"), WILD_TEXT
).map(str)
WILD_DATE = st.one_of(st.dates().map(datetime.date.isoformat), st.just("2021-02-30"), st.just("0000-00-00"), WILD_TEXT)
# Any name the test client can send (it must keep something after its folder part), any content.
FILE_NAME = st.one_of(
    st.from_regex(r"[\w.\- ]{0,40}\.(pdf|docx|xlsx|txt|html|exe|ofd)", fullmatch=True),
    WILD_TEXT.filter(lambda name: name.replace("\\", "/").rsplit("/", 1)[-1].strip(". \x00")),
)
WILD_FILE = st.tuples(FILE_NAME, st.binary(max_size=2000))


def value_for(kind):
    if isinstance(kind, list):  # a select: its options, or anything
        return st.one_of(st.sampled_from(kind or [""]), WILD_TEXT)
    if kind.startswith("hidden:"):  # a version or an id: as served, or not
        return st.one_of(st.just(kind.removeprefix("hidden:")), WILD_NUMBER)
    return {"number": WILD_NUMBER, "date": WILD_DATE, "file": WILD_FILE, "checkbox": st.sampled_from(["on", ""])}.get(
        kind, WILD_TEXT
    )


def form_data(fields: dict):
    # Each field: a wild value for it, or left out altogether.
    return st.fixed_dictionaries({}, optional={name: value_for(kind) for name, kind in fields.items()})


@pytest.fixture
def world(staff, chengtou_reporter, chengtou_company):
    plan = PlanFactory(title="国企改革三年行动实施方案")
    task = TaskFactory(plan=plan, number="1", title="完善公司治理", due=datetime.date(2030, 6, 30))
    MilestoneFactory(task=task)
    mine = AssignmentFactory(task=task, unit=chengtou_company, status=S.IN_PROGRESS)
    SupervisionNotice.objects.create(
        assignment=mine,
        grade="blue",
        text="请加快进度",
        respond_by="2030-01-01",
        issued_by=staff,
        year=2026,
        sequence=1,
    )
    ExtensionRequest.objects.create(
        assignment=mine, reason="等待批复", proposed_due="2031-01-01", requested_by=chengtou_reporter
    )
    submitted = AssignmentFactory(task=TaskFactory(plan=plan, number="2"), unit=chengtou_company, status=S.SUBMITTED)
    extendable = AssignmentFactory(task=TaskFactory(plan=plan, number="3"), unit=chengtou_company, status=S.IN_PROGRESS)
    staged = plan_upload_receive(
        upload=SimpleUploadedFile("市国企改革方案.txt", CITY_PLAN.encode()), kind="", user=staff
    )
    return {"task": task, "submitted": submitted, "extendable": extendable, "staged": staged, "plan": plan}


def pages(world):
    task, submitted, plan = world["task"], world["submitted"], world["plan"]
    extendable, staged = world["extendable"], world["staged"]
    common = [
        reverse("tasks:task_list"),
        reverse("tasks:task_detail", args=[task.pk]),
        reverse("reports:dashboard"),
        reverse("reports:index"),
        reverse("reminders:notification_list"),
        reverse("password_change"),
        reverse("tasks:plan_detail", args=[plan.pk]),
    ]
    return {
        "chengtou_reporter": [
            *common,
            reverse("tasks:my_tasks"),
            reverse("reminders:channel_settings"),
            reverse("tasks:task_detail", args=[extendable.task_id]),
        ],
        "staff": [
            *common,
            reverse("tasks:task_detail", args=[submitted.task_id]),
            reverse("tasks:task_edit", args=[task.pk]),
            reverse("tasks:import_list"),
            reverse("tasks:import_detail", args=[staged.pk]),
            reverse("tasks:review_queue"),
            reverse("tasks:work_list"),
            reverse("reminders:delivery_log"),
        ],
    }


def every_form(client, urls):
    found = {}
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, url
        for method, action, fields in forms_of(answer.content.decode(), url):
            found.setdefault((method, action), fields)
    return found


@pytest.mark.parametrize("who", ["chengtou_reporter", "staff"])
def test_no_form_answers_a_5xx_whatever_is_posted(request, world, who):
    user = request.getfixturevalue(who)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    forms = every_form(client, pages(world)[who])
    assert len(forms) >= (5 if who == "chengtou_reporter" else 10), sorted(forms)

    for (method, action), fields in sorted(forms.items()):
        fuzz(client, method, action, fields)


def fuzz(client, method, action, fields):
    @settings(
        max_examples=15,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=form_data(fields))
    def answers_cleanly(data):
        payload = {
            name: SimpleUploadedFile(value[0][:100], value[1]) if isinstance(value, tuple) else value
            for name, value in data.items()
        }
        if method == "post":
            answer = client.post(action, payload)
        else:
            answer = client.get(action, {k: v for k, v in payload.items() if isinstance(v, str)})
        assert answer.status_code < 500, (method, action, data, answer.status_code)

    answers_cleanly()
