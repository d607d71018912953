"""The daily sweep: works out from the database which reminders are due and records each once.

A fixed number of queries reads the open work, the milestones and the people; the reminders are
worked out in Python (``rules``) and inserted with conflicts ignored, so a sweep run twice, or by
two beat processes at once, adds nothing. Delivery is handed to the worker after the commit.
"""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from orgs.choices import Role
from orgs.models import User
from tasks.choices import AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, Milestone, MilestoneCompletion
from tasks.reminders import records
from tasks.reminders.choices import Kind
from tasks.reminders.daily import one_message_a_day
from tasks.reminders.messages import WorkFacts, digest_message, event_message, reminder_message, report_message
from tasks.reminders.models import ReminderSettings, SweepRun
from tasks.reminders.recipients import Recipients
from tasks.reminders.rules import OpenWork, Window, reminders_due
from tasks.reminders.urging import round_opened_records
from tasks.services.rounds import rounds_open_due

# Work that owes something: submitted work waits for staff, closed work is done with.
OWING = (S.NOT_STARTED, S.IN_PROGRESS, S.RETURNED)
DIGEST_SOON_DAYS = 30


@dataclass
class SweepOutcome:
    window: Window
    notifications: list[records.Record] = field(default_factory=list)
    created: int = 0


def sweep_window(today: datetime.date) -> Window:
    """From the day after the last finished sweep before today (at most ``REMINDER_CATCH_UP_DAYS`` back)."""
    last = SweepRun.objects.filter(day__lt=today, finished_at__isnull=False).aggregate(day=Max("day"))["day"]
    if last is None:
        return Window(today, today)
    earliest = today - datetime.timedelta(days=settings.REMINDER_CATCH_UP_DAYS)
    return Window(max(last + datetime.timedelta(days=1), earliest), today)


def sweep(*, today: datetime.date, dry_run: bool = False) -> SweepOutcome:
    window, rules = sweep_window(today), ReminderSettings.current()
    # A round that opens by itself on a day of the window is opened first, so that its message joins
    # the day's others (a preview opens none).
    rounds = (
        []
        if dry_run
        else rounds_open_due(list(window.days()), open_day=rules.round_open_day, deadline_day=rules.round_deadline_day)
    )
    with translation.override(settings.LANGUAGE_CODE):
        outcome = SweepOutcome(window, _plan(window, rules.as_rules(), rounds))
    if dry_run:
        return outcome
    with transaction.atomic():
        outcome.created = records.record(outcome.notifications)
        run, _created = SweepRun.objects.get_or_create(day=today)
        SweepRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), created=outcome.created)
    return outcome


def _plan(window: Window, rules, rounds=()) -> list[records.Record]:
    facts, work = _open_work(window, rules)
    found = reminders_due(work, window, rules)
    escalated = {facts[d.assignment_id].task_id for d in found if d.kind == Kind.ESCALATION}
    people = Recipients.load(User.objects.filter(is_active=True))
    lead_units = _lead_units(escalated)
    milestones = dict(
        Milestone.objects.filter(pk__in={d.milestone_id for d in found if d.milestone_id}).values_list("pk", "text")
    )
    digests = _digest_facts(work, facts, window.last) if any(d.kind == Kind.DIGEST for d in found) else {}
    # A month's progress report is a unit's duty: one reminder per unit names all its work not reported.
    unreported = defaultdict(list)
    for due in found:
        if due.kind == Kind.REPORT_MISSING:
            unreported[(due.unit_id, due.key_date)].append(facts[due.assignment_id])
    links: dict[int, str] = {}
    made = []
    for due in found:
        if due.kind == Kind.DIGEST:
            unit_name, open_count, soon, late = digests[due.unit_id]
            message = digest_message(unit_name, due.key_date, open_count=open_count, soon=soon, late=late)
            subject, link = f"unit:{due.unit_id}", reverse("tasks:my_tasks")
        elif due.kind == Kind.REPORT_MISSING:
            owed = unreported.pop((due.unit_id, due.key_date), None)
            if owed is None:
                continue  # the unit's reminder for the month is made
            owed.sort(key=lambda item: item.order)
            message = report_message(owed[0].unit_name, due.key_date, [item.task_title for item in owed])
            subject, link = f"unit:{due.unit_id}", reverse("tasks:my_tasks")
            due = dataclasses.replace(due, assignment_id=None)
        else:
            work_facts = facts[due.assignment_id]
            message = reminder_message(
                due.kind,
                work_facts,
                key_date=due.key_date,
                step=due.step,
                fires_on=due.fires_on,
                milestone_text=milestones.get(due.milestone_id, ""),
            )
            subject = f"milestone:{due.milestone_id}" if due.milestone_id else f"assignment:{due.assignment_id}"
            link = links.get(work_facts.task_id) or links.setdefault(
                work_facts.task_id, reverse("tasks:task_detail", args=[work_facts.task_id])
            )
        if due.kind == Kind.ESCALATION:
            units = lead_units.get(facts[due.assignment_id].task_id, [])
            users = people.of_units(units) | people.leaders()
        else:
            units = [due.unit_id]
            users = people.reporters_of(due.unit_id)
        made += records.build(
            people.addressed(users, bot_units=units),
            message=message,
            link=link,
            kind=due.kind,
            unit_id=due.unit_id,
            assignment_id=due.assignment_id,
            milestone_id=due.milestone_id,
            subject_key=subject,
            key_date=due.key_date,
            step=due.step,
        )
    made += _reviews_overdue(window.last, people)
    made += round_opened_records(rounds, people)
    overview = reverse("reports:dashboard")
    # Staff and leaders act from the overview; a unit's people and bot from their work (the default).
    links = {f"user:{pk}": overview for pk, (_unit, role, _email) in people.users.items() if role != Role.REPORTER}
    return one_message_a_day(made, day=window.last, links=links)


def _reviews_overdue(today: datetime.date, people: Recipients) -> list[records.Record]:
    """Work submitted REVIEW_OVERDUE_DAYS ago or more and not yet reviewed: staff are told once a
    submission (its version), on the day it became overdue or the first sweep after."""
    days = datetime.timedelta(days=settings.REVIEW_OVERDUE_DAYS)
    waiting = (
        Assignment.objects.filter(status=S.SUBMITTED, task__withdrawn_at__isnull=True)
        .filter(status_changed_at__lt=_start_of(today - days + datetime.timedelta(days=1)))
        .values_list(
            "pk",
            "unit_id",
            "version",
            "status_changed_at",
            "task_id",
            "task__number",
            "task__title",
            "task__plan__title",
            "unit__name",
        )
        .order_by("pk")
    )
    staff = people.addressed(people.with_role(Role.STAFF))
    link = reverse("tasks:review_queue")
    made = []
    for pk, unit_id, version, changed_at, task_id, number, title, plan_title, unit_name in waiting:
        since = timezone.localdate(changed_at)
        facts = WorkFacts(task_id, f"{number}. {title}", plan_title, unit_name, None)
        made += records.build(
            staff,
            message=event_message(Kind.REVIEW_OVERDUE, facts, actor="", since=since),
            link=link,
            kind=Kind.REVIEW_OVERDUE,
            unit_id=unit_id,
            assignment_id=pk,
            milestone_id=None,
            subject_key=f"assignment:{pk}",
            key_date=since + days,
            step=version,
        )
    return made


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` where the platform is."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _lead_units(task_ids: set[int]) -> dict[int, list[int]]:
    lead_units = defaultdict(list)
    if task_ids:
        leads = Assignment.objects.filter(role=AssignmentRole.LEAD, task_id__in=task_ids)
        for task_id, unit_id in leads.values_list("task_id", "unit_id"):
            lead_units[task_id].append(unit_id)
    return lead_units


def _open_work(window: Window, rules) -> tuple[dict[int, WorkFacts], list[OpenWork]]:
    rows = (
        Assignment.objects.filter(status__in=OWING, task__withdrawn_at__isnull=True)
        .annotate(
            effective_due=Coalesce("due", "task__due"),
            start=Coalesce("task__plan__period_start", "task__plan__issued_on"),
        )
        .values_list(
            "pk",
            "unit_id",
            "task_id",
            "effective_due",
            "start",
            "latest_period",
            "task__number",
            "task__title",
            "task__plan__title",
            "unit__name",
            "task__plan_id",
            "task__position",
        )
        .order_by("pk")
    )
    horizon = window.last + datetime.timedelta(days=max(rules.days_before, default=0) + 15)
    milestones = defaultdict(list)
    for pk, task_id, due in Milestone.objects.filter(
        task__withdrawn_at__isnull=True, due__gte=window.first, due__lte=horizon
    ).values_list("pk", "task_id", "due"):
        milestones[task_id].append((pk, due))
    done = set(
        MilestoneCompletion.objects.filter(milestone__due__gte=window.first, milestone__due__lte=horizon).values_list(
            "assignment_id", "milestone_id"
        )
    )
    facts, work = {}, []
    for pk, unit_id, task_id, due, start, latest, number, title, plan_title, unit_name, plan_id, position in rows:
        facts[pk] = WorkFacts(task_id, f"{number}. {title}", plan_title, unit_name, due, (plan_id, position))
        owed = tuple((m, d) for m, d in milestones.get(task_id, ()) if (pk, m) not in done)
        work.append(OpenWork(pk, unit_id, due, start, latest, owed))
    return facts, work


def _digest_facts(work: list[OpenWork], facts: dict[int, WorkFacts], today: datetime.date) -> dict[int, tuple]:
    """Per unit id: (name, open count, [(due, task)] due within 30 days, [(due, task)] overdue), the
    tasks in document order."""
    by_unit: dict[int, tuple] = {}
    soon_limit = today + datetime.timedelta(days=DIGEST_SOON_DAYS)
    for item in sorted(work, key=lambda item: facts[item.assignment_id].order):
        work_facts = facts[item.assignment_id]
        name, count, soon, late = by_unit.get(item.unit_id, (work_facts.unit_name, 0, [], []))
        if item.due and item.due < today:
            late.append((item.due, work_facts.task_title))
        elif item.due and item.due <= soon_limit:
            soon.append((item.due, work_facts.task_title))
        by_unit[item.unit_id] = (name, count + 1, soon, late)
    return by_unit
