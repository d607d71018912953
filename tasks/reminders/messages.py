"""The words of each reminder, in the platform's language, written once when it is recorded."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tasks.reminders.choices import Kind


@dataclass(frozen=True)
class WorkFacts:
    """What a message names of an assignment."""

    task_id: int
    task_title: str
    plan_title: str
    unit_name: str
    due: datetime.date | None
    # Where the task stands in its document (plan, position): lists of tasks follow it, not the numbers as text.
    order: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Message:
    title: str
    body: str


def reminder_message(
    kind: str, work: WorkFacts, *, key_date, step: int, fires_on: datetime.date, milestone_text: str = ""
) -> Message:
    """The days named are counted from the day the reminder goes out, which a day off may have moved."""
    task, unit = work.task_title, work.unit_name
    days_left, days_late = (key_date - fires_on).days, (fires_on - key_date).days
    if kind == Kind.DUE_SOON and milestone_text:
        title = _("Milestone due %(due)s: %(task)s") % {"due": key_date, "task": task}
        lead = _("The milestone “%(milestone)s” of this task is due on %(due)s.") % {
            "milestone": milestone_text,
            "due": key_date,
        }
    elif kind == Kind.DUE_SOON:
        if days_left == 0:
            title = _("Due today: %(task)s") % {"task": task}
        else:
            title = ngettext("Due in %(days)d day: %(task)s", "Due in %(days)d days: %(task)s", days_left) % {
                "days": days_left,
                "task": task,
            }
        lead = _("%(unit)s's share of this task is due on %(due)s.") % {"unit": unit, "due": key_date}
    elif kind == Kind.OVERDUE:
        title = ngettext("%(days)d day overdue: %(task)s", "%(days)d days overdue: %(task)s", days_late) % {
            "days": days_late,
            "task": task,
        }
        lead = _("%(unit)s's share of this task was due on %(due)s and is not yet submitted.") % {
            "unit": unit,
            "due": key_date,
        }
    elif kind == Kind.ESCALATION:
        title = ngettext(
            "Overdue more than %(days)d day: %(unit)s, %(task)s",
            "Overdue more than %(days)d days: %(unit)s, %(task)s",
            -step - 1,
        ) % {"days": -step - 1, "unit": unit, "task": task}
        lead = _("%(unit)s's share of this task was due on %(due)s; please supervise it.") % {
            "unit": unit,
            "due": key_date,
        }
    else:
        raise ValueError(f"no message for {kind}")
    return Message(title[:300], f"{lead}\n{work.plan_title} · {task}")


def report_message(unit_name: str, period_start: datetime.date, tasks: list[str]) -> Message:
    """A unit's work with no progress report for the month, named task by task (the first 30) in the
    order given (the documents')."""
    period = f"{period_start:%Y-%m}"
    title = ngettext(
        "%(unit)s: progress for %(period)s not yet reported on %(count)d task",
        "%(unit)s: progress for %(period)s not yet reported on %(count)d tasks",
        len(tasks),
    ) % {"unit": unit_name, "period": period, "count": len(tasks)}
    return Message(title[:300], "\n".join(_listed(tasks)))


def urge_message(unit_name: str, period: str, tasks: list[str], note: str) -> Message:
    """Staff's 催报 to a unit: its work with no report for the month, in the documents' order (the first 30)."""
    title = ngettext(
        "Please report: %(unit)s has %(count)d task without progress for %(period)s",
        "Please report: %(unit)s has %(count)d tasks without progress for %(period)s",
        len(tasks),
    ) % {"unit": unit_name, "period": period, "count": len(tasks)}
    return Message(title[:300], "\n".join([note, *_listed(tasks)] if note else _listed(tasks)))


def round_message(unit_name: str, period: str, deadline: datetime.date, tasks: list[str], note: str) -> Message:
    """A round (月报) opened: the unit's work to report on for the month by the deadline (the first 30)."""
    title = ngettext(
        "Monthly report for %(period)s due %(deadline)s: %(unit)s, %(count)d task",
        "Monthly report for %(period)s due %(deadline)s: %(unit)s, %(count)d tasks",
        len(tasks),
    ) % {"unit": unit_name, "period": period, "deadline": deadline.isoformat(), "count": len(tasks)}
    return Message(title[:300], "\n".join([note, *_listed(tasks)] if note else _listed(tasks)))


LISTED = 30  # a message names this many tasks at most, then says how many more


def _listed(tasks: list[str]) -> list[str]:
    lines = [f"· {task}" for task in tasks[:LISTED]]
    if len(tasks) > LISTED:
        lines.append(_("… and %(more)d more.") % {"more": len(tasks) - LISTED})
    return lines


# The order a day's reminders are listed in one message: the most urgent first.
BY_URGENCY = (
    Kind.ESCALATION,
    Kind.OVERDUE,
    Kind.REVIEW_OVERDUE,
    Kind.ROUND_OPENED,
    Kind.REPORT_MISSING,
    Kind.DUE_SOON,
    Kind.DIGEST,
)


def daily_message(items: list[tuple[str, str]]) -> Message:
    """A day's reminders to one recipient by one channel as one message: (kind, title) of each,
    listed by urgency (BY_URGENCY), each kind's in the order given."""
    counts = {kind: sum(1 for item_kind, _title in items if item_kind == kind) for kind in BY_URGENCY}
    named = "，".join(f"{Kind(kind).label} {count}" for kind, count in counts.items() if count)
    title = ngettext(
        "Today's reminders: %(count)d item (%(kinds)s)", "Today's reminders: %(count)d items (%(kinds)s)", len(items)
    ) % {
        "count": len(items),
        "kinds": named,
    }
    ordered = sorted(items, key=lambda item: BY_URGENCY.index(item[0]) if item[0] in BY_URGENCY else len(BY_URGENCY))
    return Message(title[:300], "\n".join(f"· {item_title}" for _kind, item_title in ordered))


def digest_message(unit_name: str, week: datetime.date, *, open_count: int, soon: list, late: list) -> Message:
    """``soon`` and ``late``: (due date, task title) of the unit's work due within 30 days and overdue,
    each in the order given (the documents')."""
    title = _("Weekly digest for %(unit)s: %(open)d open, %(soon)d due soon, %(late)d overdue") % {
        "unit": unit_name,
        "open": open_count,
        "soon": len(soon),
        "late": len(late),
    }
    lines = [_("Week of %(week)s.") % {"week": week}]
    if late:
        lines.append(_("Overdue:"))
        lines += [f"· {due} {task}" for due, task in late[:20]]
    if soon:
        lines.append(_("Due within 30 days:"))
        lines += [f"· {due} {task}" for due, task in soon[:20]]
    if not late and not soon:
        lines.append(_("Nothing is overdue or due within 30 days."))
    return Message(title[:300], "\n".join(lines))


# Each event's title and first line; %(task)s, %(unit)s and %(who)s are known for every event, the
# rest come with the event (events.py).
EVENT_WORDS = {
    Kind.SUBMITTED: (
        gettext_lazy("Waiting for review: %(unit)s, %(task)s"),
        gettext_lazy("%(who)s submitted the work for review."),
    ),
    Kind.RETURNED: (
        gettext_lazy("Returned for rework: %(task)s"),
        gettext_lazy("%(who)s returned the work: %(reason)s"),
    ),
    Kind.ACCEPTED: (gettext_lazy("Accepted: %(task)s"), gettext_lazy("%(who)s accepted %(unit)s's work on this task.")),
    Kind.REOPENED: (gettext_lazy("Reopened: %(task)s"), gettext_lazy("%(who)s reopened the work: %(reason)s")),
    Kind.REVIEW_OVERDUE: (
        gettext_lazy("Waiting for review since %(since)s: %(unit)s, %(task)s"),
        gettext_lazy("%(unit)s submitted the work on %(since)s; it is not yet reviewed."),
    ),
    Kind.NOTICE_ISSUED: (
        gettext_lazy("Supervision notice %(notice)s (%(grade)s): %(task)s"),
        gettext_lazy("%(who)s issued a supervision notice: %(text)s Respond by %(respond_by)s."),
    ),
    Kind.NOTICE_ESCALATED: (
        gettext_lazy("Supervision notice %(notice)s raised to %(grade)s: %(task)s"),
        gettext_lazy("The notice was not answered by its date. Respond by %(respond_by)s."),
    ),
    Kind.NOTICE_ANSWERED: (
        gettext_lazy("Supervision notice %(notice)s answered: %(unit)s, %(task)s"),
        gettext_lazy("%(who)s answered: %(text)s"),
    ),
    Kind.INSTRUCTION: (gettext_lazy("Leader's instruction: %(task)s"), gettext_lazy("%(who)s: %(text)s")),
    Kind.EXTENSION_ASKED: (
        gettext_lazy("Extension asked: %(unit)s, %(task)s"),
        gettext_lazy("%(who)s asks to move the due date from %(previous)s to %(proposed)s: %(reason)s"),
    ),
    Kind.QUESTION_ASKED: (
        gettext_lazy("Question from %(unit)s: %(task)s"),
        gettext_lazy("%(who)s asks: %(text)s"),
    ),
    Kind.QUESTION_ANSWERED: (
        gettext_lazy("Your question answered: %(task)s"),
        gettext_lazy("%(who)s answered: %(text)s"),
    ),
    Kind.EXTENSION_DECIDED: (
        gettext_lazy("Extension request %(decision)s: %(task)s"),
        gettext_lazy("%(who)s decided on the extension to %(proposed)s: %(decision)s. %(reason)s"),
    ),
}


def event_message(kind: str, work: WorkFacts, *, actor: str, **details) -> Message:
    """The message of an event (EVENT_WORDS) about ``work``; ``details`` fill what the kind names."""
    if kind not in EVENT_WORDS:
        raise ValueError(f"no message for {kind}")
    title, lead = EVENT_WORDS[kind]
    params = {"task": work.task_title, "unit": work.unit_name, "who": actor, **details}
    return Message(
        (str(title) % params)[:300], (str(lead) % params).strip() + f"\n{work.plan_title} · {work.task_title}"
    )
