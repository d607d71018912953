"""Monthly reporting rounds (月报): the work a round asks a report of, each unit's part and how late
it came, the summary closing files, the rounds that open by themselves, and who sees which lines."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import ReportingRound, RoundReturn
from tasks.reminders.choices import Channel, Kind
from tasks.reminders.models import Notification, ReminderSettings, SweepRun
from tasks.reminders.sweep import sweep
from tasks.rounds import round_missing, round_standing, totals_of
from tasks.services.rounds import round_close, round_open, rounds_open_due, scheduled_round
from tests.factories import AssignmentFactory, ProgressReportFactory, TaskFactory, UnitFactory

TODAY = timezone.localdate()
PERIOD = f"{TODAY:%Y-%m}"
ONE_DAY = datetime.timedelta(days=1)
EARLIER = f"{TODAY.replace(day=1) - datetime.timedelta(days=1):%Y-%m}"


def reported(assignment, period, *, days_after_deadline: int, deadline: datetime.date):
    """A report for ``period`` made ``days_after_deadline`` days after ``deadline`` (negative: before)."""
    report = ProgressReportFactory(assignment=assignment, period=period)
    moment = timezone.make_aware(
        datetime.datetime.combine(deadline + datetime.timedelta(days=days_after_deadline), datetime.time(10))
    )
    type(report).objects.filter(pk=report.pk).update(created_at=moment)
    return report


@pytest.fixture
def deadline():
    """Five days ago: the reports below came before and after it, all of them in the past."""
    return TODAY - datetime.timedelta(days=5)


@pytest.fixture
def work(chengtou_company, gongre_company, sasac_office, deadline):
    """城投: two pieces owing, one reported in time. 供热: one reported two days late, one submitted
    since with its report. 国资局: accepted work, a cancelled one and a withdrawn task's: none asked."""
    tasks = [TaskFactory(number=str(n), title=f"任务{n}", position=n) for n in range(1, 7)]
    chengtou = [
        AssignmentFactory(task=tasks[0], unit=chengtou_company, status=S.IN_PROGRESS),
        AssignmentFactory(task=tasks[1], unit=chengtou_company, status=S.NOT_STARTED),
    ]
    gongre = [
        AssignmentFactory(task=tasks[0], unit=gongre_company, status=S.RETURNED),
        AssignmentFactory(task=tasks[2], unit=gongre_company, status=S.SUBMITTED),
    ]
    reported(chengtou[0], PERIOD, days_after_deadline=-3, deadline=deadline)
    reported(gongre[0], PERIOD, days_after_deadline=2, deadline=deadline)
    reported(gongre[0], PERIOD, days_after_deadline=4, deadline=deadline)  # the first one counts
    reported(gongre[1], PERIOD, days_after_deadline=-1, deadline=deadline)
    reported(chengtou[1], EARLIER, days_after_deadline=-40, deadline=deadline)  # another month's
    AssignmentFactory(task=tasks[3], unit=sasac_office, status=S.ACCEPTED)
    AssignmentFactory(task=tasks[4], unit=sasac_office, status=S.CANCELLED)
    tasks[5].withdrawn_at = timezone.now()
    tasks[5].save()
    AssignmentFactory(task=tasks[5], unit=sasac_office, status=S.IN_PROGRESS)
    return {"chengtou": chengtou, "gongre": gongre}


@pytest.fixture
def this_round(staff, deadline):
    """Opened some days ago, its deadline now past."""
    return ReportingRound.objects.create(period=PERIOD, deadline=deadline, note="请按时报送", opened_by=staff)


def parts(standings, deadline):
    return [(s.name, s.owed, s.reported, s.days_late(deadline)) for s in standings]


def test_each_unit_part_counts_the_work_owing_and_the_first_report_of_the_month(work, staff, this_round, deadline):
    standings = round_standing(staff, this_round)

    # 城投 still owes one (most missing first); 供热's last first report came two days late.
    assert parts(standings, deadline) == [
        ("鞍山市立山区城市建设投资有限公司", 2, 1, None),
        ("鞍山市立山区供热有限公司", 2, 2, 2),
    ]
    totals = totals_of(standings)
    assert (totals.units, totals.units_complete, totals.owed, totals.reported) == (2, 1, 4, 3)
    assert [a.task.number for a in round_missing(staff, PERIOD)] == ["2"]


def test_a_report_for_a_later_month_does_not_answer_an_earlier_round(work, staff, deadline):
    earlier = ReportingRound.objects.create(period=EARLIER, deadline=deadline)

    # 城投's first work reported this month, not the one before: still missing there.
    missing = {(a.unit.name[-4:], a.task.number) for a in round_missing(staff, earlier.period)}
    assert ("有限公司", "1") in missing
    assert parts(round_standing(staff, earlier), deadline) == [
        ("鞍山市立山区供热有限公司", 1, 0, None),  # its submitted work reported this month only: not asked
        ("鞍山市立山区城市建设投资有限公司", 2, 1, None),
    ]


def test_closing_files_the_parts_as_they_stand_and_later_reports_leave_them(work, staff, this_round, deadline):
    live = parts(round_standing(staff, this_round), deadline)

    closed = round_close(user=staff, round_id=this_round.pk)
    reported(work["chengtou"][1], PERIOD, days_after_deadline=1, deadline=deadline)

    assert (closed.closed_by, closed.is_open) == (staff, False)
    assert parts(round_standing(staff, closed), deadline) == live
    filed = RoundReturn.objects.get(round=closed, unit=work["chengtou"][0].unit)
    assert (filed.owed, filed.reported, filed.days_late, filed.completed_at) == (2, 1, None, None)
    with pytest.raises(ValidationError, match="已经关闭"):
        round_close(user=staff, round_id=closed.pk)
    assert RoundReturn.objects.filter(round=closed).count() == 2


def test_a_reporter_sees_its_own_unit_part_even_where_it_leads_the_task(
    work, staff, this_round, chengtou_reporter, gongre_reporter, chengtou_company, deadline
):
    # 城投 leads task 1, where 供热 is responsible: it sees 供热's work there, but not its round line.
    lead = work["chengtou"][0]
    lead.role = AssignmentRole.LEAD
    lead.save()

    for state in ("open", "closed"):
        assert [s.unit_id for s in round_standing(chengtou_reporter, this_round)] == [chengtou_company.pk], state
        assert {a.unit_id for a in round_missing(chengtou_reporter, PERIOD)} <= {chengtou_company.pk}
        round_close(user=staff, round_id=this_round.pk) if state == "open" else None
        this_round.refresh_from_db()
    assert [s.name for s in round_standing(gongre_reporter, this_round)] == ["鞍山市立山区供热有限公司"]


def test_leaders_and_auditors_read_every_unit_part(work, this_round, leader, auditor, staff):
    every = round_standing(staff, this_round)
    assert round_standing(leader, this_round) == round_standing(auditor, this_round) == every


@pytest.mark.parametrize(
    ("period", "days", "message"),
    [
        ("2026-13", 5, "请按 YYYY-MM 格式填写月份"),
        ("２０２６-11", 5, "请按 YYYY-MM 格式填写月份"),
        ("", 5, "请按 YYYY-MM 格式填写月份"),
        ("next", 5, "请按 YYYY-MM 格式填写月份"),
        ("2999-01", 5, "不能为尚未到来的月份发起月报"),
        ("0000-05", 5, "请按 YYYY-MM 格式填写月份"),
        (PERIOD, -1, "截止日期已过"),
    ],
)
def test_bad_rounds_are_refused_and_open_nothing(staff, period, days, message):
    with pytest.raises(ValidationError, match=message):
        round_open(user=staff, period=period, deadline=TODAY + datetime.timedelta(days=days))
    assert not ReportingRound.objects.exists()


def test_a_second_round_of_a_month_is_refused(staff, this_round):
    with pytest.raises(ValidationError, match="已有"):
        round_open(user=staff, period=PERIOD, deadline=TODAY)
    assert list(ReportingRound.objects.values_list("period", flat=True)) == [PERIOD]


def test_only_staff_open_and_close_rounds(this_round, chengtou_reporter, leader, auditor):
    for user in (chengtou_reporter, leader, auditor):
        with pytest.raises(PermissionDenied):
            round_open(user=user, period=EARLIER, deadline=TODAY)
        with pytest.raises(PermissionDenied):
            round_close(user=user, round_id=this_round.pk)
    this_round.refresh_from_db()
    assert this_round.is_open and ReportingRound.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "open_day", "deadline_day", "expected"),
    [
        (datetime.date(2026, 11, 25), 25, 5, ("2026-11", datetime.date(2026, 12, 5))),
        (datetime.date(2026, 11, 1), 1, 10, ("2026-11", datetime.date(2026, 11, 10))),
        (datetime.date(2026, 12, 25), 25, 5, ("2026-12", datetime.date(2027, 1, 5))),
        (datetime.date(2027, 2, 28), 31, 31, ("2027-02", datetime.date(2027, 2, 28))),  # the short month's last
        (datetime.date(2027, 1, 30), 31, 5, None),
        (datetime.date(2026, 11, 24), 25, 5, None),
        (datetime.date(2026, 11, 25), None, 5, None),
    ],
)
def test_the_round_that_opens_by_itself_on_a_day(day, open_day, deadline_day, expected):
    assert scheduled_round(day, open_day=open_day, deadline_day=deadline_day) == expected


def test_a_scheduled_round_opens_once(db):
    days = [datetime.date(2026, 10, 24) + datetime.timedelta(days=n) for n in range(5)]

    first = rounds_open_due(days, open_day=25, deadline_day=5)
    again = rounds_open_due(days, open_day=25, deadline_day=5)

    assert [(r.period, r.deadline, r.opened_by) for r in first] == [("2026-10", datetime.date(2026, 11, 5), None)]
    assert again == first and ReportingRound.objects.count() == 1


def test_a_round_staff_opened_by_hand_stands_and_is_not_told_of_again(staff):
    by_hand = ReportingRound.objects.create(period="2026-11", deadline=datetime.date(2026, 12, 1), opened_by=staff)
    days = [datetime.date(2026, 11, 24) + datetime.timedelta(days=n) for n in range(3)]

    assert rounds_open_due(days, open_day=25, deadline_day=5) == []
    by_hand.refresh_from_db()
    assert by_hand.deadline == datetime.date(2026, 12, 1) and ReportingRound.objects.count() == 1


def test_the_daily_sweep_opens_the_round_of_its_day_and_catches_up(db):
    rules = ReminderSettings.current()
    rules.round_open_day, rules.round_deadline_day = 3, 12
    rules.save()
    SweepRun.objects.create(day=datetime.date(2026, 12, 1), finished_at=timezone.now())

    sweep(today=datetime.date(2026, 12, 4))  # missed the 2nd and 3rd: the window covers them
    sweep(today=datetime.date(2026, 12, 4))

    assert list(ReportingRound.objects.values_list("period", "deadline", "opened_by")) == [
        ("2026-12", datetime.date(2026, 12, 12), None)
    ]


def test_without_an_open_day_no_round_opens_by_itself(db):
    sweep(today=datetime.date(2026, 12, 1))
    assert not ReportingRound.objects.exists()


def test_a_round_of_a_unit_with_no_work_has_no_lines(staff, this_round):
    UnitFactory()
    assert round_standing(staff, this_round) == []
    assert totals_of([]).units_missing == 0


def test_opening_a_round_tells_each_unit_on_its_missing_list_once(work, staff, chengtou_reporter, gongre_reporter):
    opened = round_open(user=staff, period=PERIOD, deadline=TODAY, note="请按时报送")

    told = Notification.objects.filter(kind=Kind.ROUND_OPENED, channel=Channel.IN_APP)
    assert set(told.values_list("unit", flat=True)) == {chengtou_reporter.unit_id}  # 供热 has reported all
    message = told.get(recipient=chengtou_reporter)
    assert message.title == f"{PERIOD}月报请于{TODAY.isoformat()}前报送：鞍山市立山区城市建设投资有限公司，1项任务"
    assert message.body.splitlines() == ["请按时报送", "· 2. 任务2"]
    assert message.subject_key == f"round:{opened.pk}" and message.link == reverse("tasks:my_tasks")
    # The same month's scheduled opening, swept later, finds the round and tells nobody again.
    rules = ReminderSettings.current()
    rules.round_open_day = TODAY.day
    rules.save()
    before = told.count()
    sweep(today=TODAY)
    assert told.count() == before


def test_a_round_opening_by_itself_joins_the_days_other_reminders_in_one_message(chengtou_company, chengtou_reporter):
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    day = datetime.date(2026, 11, 25)
    AssignmentFactory(task=TaskFactory(number="1", title="压减管理层级", due=day - ONE_DAY), unit=chengtou_company)
    rules = ReminderSettings.current()
    rules.round_open_day, rules.round_deadline_day, rules.workdays_only = 25, 5, False
    rules.save()

    with time_machine.travel(datetime.datetime(2026, 11, 25, 6, tzinfo=ZoneInfo("Asia/Shanghai"))):
        sweep(today=day)
        sweep(today=day)

    emails = Notification.objects.filter(recipient=chengtou_reporter, channel=Channel.EMAIL)
    [daily] = emails
    assert daily.kind == Kind.DAILY and "2026-11月报请于2026-12-05前报送" in daily.body
    in_app = Notification.objects.filter(recipient=chengtou_reporter, channel=Channel.IN_APP)
    assert in_app.filter(kind=Kind.ROUND_OPENED).count() == 1


def test_a_round_a_late_sweep_catches_up_on_is_due_no_earlier_than_today(db):
    days = [datetime.date(2026, 11, 24) + datetime.timedelta(days=n) for n in range(14)]  # to 12-07

    [caught_up] = rounds_open_due(days, open_day=25, deadline_day=5)

    assert (caught_up.period, caught_up.deadline) == ("2026-11", datetime.date(2026, 12, 7))


def test_the_summary_counts_the_reports_made_before_the_close(work, staff, this_round, deadline):
    moment = timezone.now()
    reported(work["chengtou"][1], PERIOD, days_after_deadline=9, deadline=deadline)  # after the moment

    before = {s.name: s.reported for s in round_standing(staff, this_round, before=moment)}
    now = {s.name: s.reported for s in round_standing(staff, this_round)}

    assert before["鞍山市立山区城市建设投资有限公司"] == 1 and now["鞍山市立山区城市建设投资有限公司"] == 2


def test_all_reported_at_is_empty_while_some_work_is_missing(work, staff, this_round):
    parts_by_name = {s.name: s for s in round_standing(staff, this_round)}
    assert parts_by_name["鞍山市立山区城市建设投资有限公司"].completed_at is None
    assert parts_by_name["鞍山市立山区供热有限公司"].completed_at is not None


def test_a_round_opened_by_hand_is_not_told_again_on_its_scheduled_day(work, staff, chengtou_reporter):
    chengtou_reporter.email = "lina@chengtou.example"
    chengtou_reporter.save()
    round_open(user=staff, period=PERIOD, deadline=TODAY)
    rules = ReminderSettings.current()
    rules.round_open_day, rules.workdays_only, rules.report_day = TODAY.day, False, TODAY.day
    rules.save()

    sweep(today=TODAY)  # the day's other reminders (the monthly report) go as they would

    emails = Notification.objects.filter(recipient=chengtou_reporter, channel=Channel.EMAIL)
    assert emails.filter(kind=Kind.ROUND_OPENED).count() == 1
    assert not any("月报请于" in n.body for n in emails.exclude(kind=Kind.ROUND_OPENED))
