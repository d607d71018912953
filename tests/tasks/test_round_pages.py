"""月报 in the browser and over the API: staff open a round, read its units and missing list, urge the
units not reported, close it after being asked; a unit sees the round at the head of 我的任务 and its
links open the report form on the round's month."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentStatus as S
from tasks.models import ReportingRound, RoundReturn
from tasks.reminders.choices import Kind
from tasks.reminders.models import Notification, UrgeBatch
from tasks.services.rounds import round_close, round_open
from tests.factories import (
    AssignmentFactory,
    PlanFactory,
    ProgressReportFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from tests.tasks.test_pages import queries

TODAY = timezone.localdate()
PERIOD = f"{TODAY:%Y-%m}"
EARLIER = f"{TODAY.replace(day=1) - datetime.timedelta(days=1):%Y-%m}"
DEADLINE = TODAY + datetime.timedelta(days=3)


@pytest.fixture
def work(chengtou_company, gongre_company):
    """城投 owes tasks 2 and 10 (in the document's order); 供热 has reported its one."""
    plan = PlanFactory()
    tasks = {n: TaskFactory(plan=plan, number=str(n), title=f"任务{n}", position=n) for n in (2, 10)}
    owing = [
        AssignmentFactory(task=tasks[10], unit=chengtou_company, status=S.IN_PROGRESS),
        AssignmentFactory(task=tasks[2], unit=chengtou_company, status=S.NOT_STARTED),
    ]
    done = AssignmentFactory(task=tasks[10], unit=gongre_company, status=S.IN_PROGRESS)
    ProgressReportFactory(assignment=done, period=PERIOD)
    return owing


@pytest.fixture
def this_round(staff, work):
    return round_open(user=staff, period=PERIOD, deadline=DEADLINE)


def test_staff_open_a_round_from_the_list_and_land_on_it(client, staff, work):
    client.force_login(staff)

    answer = client.post(reverse("tasks:round_list"), {"period": PERIOD, "deadline": DEADLINE.isoformat(), "note": ""})

    opened = ReportingRound.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("tasks:round_detail", args=[opened.pk])
    page = client.get(answer["Location"]).content.decode()
    assert "1 个单位中" not in page  # the figures are the round's, worked out below
    assert "2个单位中1个已全部报送；3项任务中已报送1项。" in page
    assert "任务2" in page and "任务10" in page and "催报未报送单位" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"period": "2026-13", "deadline": DEADLINE.isoformat()}, "请按 YYYY-MM 格式填写月份"),
        ({"period": PERIOD, "deadline": "明天"}, "YYYY-MM-DD"),
        ({"period": PERIOD, "deadline": (TODAY - datetime.timedelta(days=1)).isoformat()}, "截止日期已过"),
        ({"period": "2999-01", "deadline": DEADLINE.isoformat()}, "不能为尚未到来的月份发起月报"),
    ],
)
def test_a_bad_round_form_says_why_and_keeps_what_was_typed(client, staff, form, message):
    client.force_login(staff)

    answer = client.post(reverse("tasks:round_list"), {**form, "note": "请各单位按时报送"})

    page = answer.content.decode()
    assert answer.status_code == 200 and message in page
    assert "请各单位按时报送" in page and not ReportingRound.objects.exists()


def test_a_second_round_of_the_month_is_refused_on_the_page(client, staff, this_round):
    client.force_login(staff)
    answer = client.post(reverse("tasks:round_list"), {"period": PERIOD, "deadline": DEADLINE.isoformat()})
    assert f"已有{PERIOD}的月报" in answer.content.decode() and ReportingRound.objects.count() == 1


def test_closing_asks_first_then_files_the_summary(client, staff, this_round, chengtou_company):
    client.force_login(staff)
    url = reverse("tasks:round_close", args=[this_round.pk])

    asked = client.get(url).content.decode()
    assert "共2个单位，其中1个未全部报送" in asked and not RoundReturn.objects.exists()
    closed = client.post(url)

    assert closed["Location"] == reverse("tasks:round_detail", args=[this_round.pk])
    page = client.get(closed["Location"]).content.decode()
    assert "以下为当时归档的汇总" in page and "关闭本轮月报" not in page and "尚未报送" not in page
    assert RoundReturn.objects.get(unit=chengtou_company).reported == 0
    again = client.post(url, follow=True).content.decode()
    assert "该轮月报已经关闭" in again


def test_the_list_shows_closed_rounds_figures_in_a_fixed_number_of_queries(client, staff, leader, work):
    client.force_login(leader)
    for month in range(1, 4):
        ReportingRound.objects.create(period=f"2020-0{month}", deadline=datetime.date(2020, month, 10))
    closing = ReportingRound.objects.get(period="2020-01")
    round_close(user=staff, round_id=closing.pk)
    url = reverse("tasks:round_list")
    few, page = queries(client, url)
    for month in range(4, 10):
        made = ReportingRound.objects.create(period=f"2020-0{month}", deadline=datetime.date(2020, month, 10))
        round_close(user=staff, round_id=made.pk)
    UnitFactory.create_batch(3)

    many, page = queries(client, url)

    assert many == few
    assert "发起月报" not in page  # a leader reads; staff open
    assert "2020-09" in page and "随报送实时统计" in page


def test_the_round_page_costs_the_same_however_many_units(client, staff, this_round):
    client.force_login(staff)
    url = reverse("tasks:round_detail", args=[this_round.pk])
    few, _page = queries(client, url)
    for unit in UnitFactory.create_batch(5):
        AssignmentFactory(unit=unit, status=S.IN_PROGRESS)
    many, page = queries(client, url)
    assert many == few and page.count("<tr>") >= 7 + 7


def test_reporters_may_not_open_the_round_pages_and_leaders_only_read(client, this_round, chengtou_reporter, leader):
    client.force_login(chengtou_reporter)
    for name in ("tasks:round_list", "tasks:round_detail", "tasks:round_close"):
        args = [] if name == "tasks:round_list" else [this_round.pk]
        assert client.get(reverse(name, args=args)).status_code == 403
    client.force_login(leader)
    page = client.get(reverse("tasks:round_detail", args=[this_round.pk])).content.decode()
    assert "关闭本轮月报" not in page and "催报未报送单位" not in page
    assert client.post(reverse("tasks:round_list"), {"period": EARLIER, "deadline": DEADLINE}).status_code == 403
    assert client.post(reverse("tasks:round_close", args=[this_round.pk])).status_code == 403
    assert this_round.is_open and ReportingRound.objects.count() == 1


def test_a_unit_sees_the_round_and_its_links_open_the_form_on_the_round_month(
    client, staff, work, chengtou_reporter, gongre_reporter
):
    earlier = round_open(user=staff, period=EARLIER, deadline=DEADLINE)
    client.force_login(chengtou_reporter)

    page = client.get(reverse("tasks:my_tasks")).content.decode()

    assert f"{EARLIER}月报" in page and "本单位尚有2项任务未报送本月进展" in page
    link = f"{reverse('tasks:task_detail', args=[work[1].task_id])}?period={EARLIER}"
    assert page.index(f'href="{link}#report"') < page.index("任务10")  # in the documents' order
    form = client.get(link).content.decode()
    assert f'name="period" value="{EARLIER}"' in form
    for wrong in ("2999-01", "２０２６-01", "x"):
        shown = client.get(f"{reverse('tasks:task_detail', args=[work[1].task_id])}?period={wrong}").content
        assert f'name="period" value="{PERIOD}"'.encode() in shown  # nonsense: this month, as without
    client.force_login(gongre_reporter)
    theirs = client.get(reverse("tasks:my_tasks")).content.decode()
    assert "本单位尚有1项任务未报送本月进展" in theirs  # reported this month, not the month before
    round_close(user=staff, round_id=earlier.pk)
    assert f"{EARLIER}月报" not in client.get(reverse("tasks:my_tasks")).content.decode()


def test_a_round_lists_the_first_of_the_work_it_misses_and_counts_it_all(
    client, staff, work, chengtou_reporter, monkeypatch
):
    monkeypatch.setattr("tasks.views.MY_TASKS_SHOWN", 1)
    round_open(user=staff, period=EARLIER, deadline=DEADLINE)
    client.force_login(chengtou_reporter)

    page = client.get(reverse("tasks:my_tasks")).content.decode()

    round_card = page.split('class="card round"')[1].split("</section>")[0]
    assert "本单位尚有2项任务未报送本月进展" in round_card
    assert round_card.count("#report") == 1 and "其余见下方各组" in round_card


def test_a_unit_with_no_part_in_a_round_is_not_shown_it(client, staff, work, chengtou_reporter):
    for assignment in work:
        ProgressReportFactory(assignment=assignment, period=EARLIER)
    round_open(user=staff, period=PERIOD, deadline=DEADLINE)
    round_open(user=staff, period=EARLIER, deadline=DEADLINE)
    outsider = UserFactory(unit=UnitFactory(name="立山区新设单位"))
    AssignmentFactory(unit=outsider.unit, status=S.ACCEPTED)
    client.force_login(chengtou_reporter)
    mine = client.get(reverse("tasks:my_tasks")).content.decode()
    client.force_login(outsider)
    theirs = client.get(reverse("tasks:my_tasks")).content.decode()

    assert f"{EARLIER}月报" in mine and "本单位本轮各项任务均已报送" in mine  # reported all: still its round
    assert "月报 ·" not in theirs and 'class="card round"' not in theirs


def test_my_tasks_costs_the_same_however_many_rounds_are_open(client, staff, work, chengtou_reporter):
    client.force_login(chengtou_reporter)
    round_open(user=staff, period=PERIOD, deadline=DEADLINE)
    few, _page = queries(client, reverse("tasks:my_tasks"))
    round_open(user=staff, period=EARLIER, deadline=DEADLINE)
    many, page = queries(client, reverse("tasks:my_tasks"))
    assert many == few and page.count('class="card round"') == 2


def test_staff_urge_the_rounds_missing_units_as_one_batch(
    client, staff, this_round, chengtou_company, chengtou_reporter
):
    client.force_login(staff)
    url = f"{reverse('tasks:reports_urge')}?round={this_round.pk}"

    shown = client.get(url).content.decode()
    assert f"有1个单位未全部报送{PERIOD}进展" in shown and chengtou_company.name in shown
    sent = client.post(url, {"unit": [chengtou_company.pk], "note": "请于周五前报送"})

    batch = UrgeBatch.objects.get()
    assert sent.status_code == 302 and (batch.period, batch.units) == (PERIOD, 1)
    message = Notification.objects.filter(kind=Kind.REPORT_URGED).first()
    assert message.body.splitlines() == ["请于周五前报送", "· 2. 任务2", "· 10. 任务10"]


def test_a_closed_or_unknown_round_cannot_be_urged(client, staff, this_round):
    client.force_login(staff)
    round_close(user=staff, round_id=this_round.pk)
    for given in (this_round.pk, 999999, "x", "１"):
        assert client.get(f"{reverse('tasks:reports_urge')}?round={given}").status_code == 404
    assert not UrgeBatch.objects.exists()


def test_the_api_opens_lists_reads_and_closes_rounds(api, staff, work, chengtou_reporter, chengtou_company):
    sasac = api(staff)

    made = sasac.post(reverse("api:round-list"), {"period": PERIOD, "deadline": DEADLINE.isoformat()}, format="json")
    again = sasac.post(reverse("api:round-list"), {"period": PERIOD, "deadline": DEADLINE.isoformat()}, format="json")
    bad = sasac.post(reverse("api:round-list"), {"period": "2026-1", "deadline": DEADLINE.isoformat()}, format="json")
    round_id = made.json()["id"]
    read = sasac.get(reverse("api:round-detail", args=[round_id])).json()
    missing = sasac.get(reverse("api:round-missing", args=[round_id])).json()

    assert made.status_code == 201 and made.json()["is_open"] is True
    assert again.status_code == 400 and "已有" in str(again.json())
    assert bad.status_code == 400 and "YYYY-MM" in str(bad.json())
    assert [(u["unit_name"], u["owed"], u["reported"], u["days_late"]) for u in read["units"]] == [
        ("鞍山市立山区城市建设投资有限公司", 2, 0, None),
        ("鞍山市立山区供热有限公司", 1, 1, 0),
    ]
    assert [u["completed_at"] is None for u in read["units"]] == [True, False]
    assert [row["task_number"] for row in missing["results"]] == ["2", "10"]
    own = api(chengtou_reporter).get(reverse("api:round-detail", args=[round_id])).json()
    assert [u["unit"] for u in own["units"]] == [chengtou_company.pk]
    refused = api(chengtou_reporter).post(reverse("api:round-close", args=[round_id]))
    assert refused.status_code == 403

    closed = sasac.post(reverse("api:round-close", args=[round_id]))

    assert closed.status_code == 200 and closed.json()["closed_at"] and closed.json()["units"] == read["units"]
    assert sasac.get(reverse("api:round-missing", args=[round_id])).json()["results"] == []
    assert sasac.post(reverse("api:round-close", args=[round_id])).status_code == 400
