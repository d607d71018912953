"""推进情况报告: a plan's progress as it stood on a day, made into a PDF for filing and printing."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from weasyprint import HTML

from reports.charts import Bar, completion_bars, milestone_gantt
from reports.ledger import is_overdue
from reports.snapshot import Snapshot, TaskState, UnitWork
from tasks.asof import day_end
from tasks.choices import CLOSED_STATUSES, AssignmentStatus
from tasks.lights import GRAY, GREEN, RED, YELLOW
from tasks.models import Evidence
from tasks.selectors import milestone_timeline

DUE_SOON_DAYS = 30
# Units named in a row before "and n more": rows stay a few lines high.
NAMES_IN_A_ROW = 5
# More lead units than this lay out as a list under the task's row, not as a tall narrow cell.
LEADS_IN_A_CELL = 3


@dataclass(frozen=True)
class Figures:
    tasks: int
    assignments: int
    accepted: int
    in_progress: int
    overdue: int
    due_soon: int


@dataclass(frozen=True)
class Draft:
    """A report's content before it is laid out: its template and context."""

    template: str
    context: dict


@dataclass(frozen=True)
class RenderedReport:
    content: bytes
    pages: int


# How far a report has got, in percent, at each stage of render_pdf: the layout is the long part.
STAGE_LAID_OUT = 85
STAGE_WRITTEN = 95


def figures(taken: Snapshot) -> Figures:
    work = [w for _task, w in taken.work if w.status != AssignmentStatus.CANCELLED]
    soon = taken.day + datetime.timedelta(days=DUE_SOON_DAYS)
    return Figures(
        tasks=len(taken.tasks),
        assignments=len(work),
        accepted=sum(1 for w in work if w.status == AssignmentStatus.ACCEPTED),
        in_progress=sum(1 for w in work if w.status in {AssignmentStatus.IN_PROGRESS, AssignmentStatus.RETURNED}),
        overdue=sum(1 for w in work if is_overdue(w, taken.day)),
        due_soon=sum(1 for w in work if w.status not in CLOSED_STATUSES and w.due and taken.day <= w.due <= soon),
    )


def _bars(groups: dict[str, list[UnitWork]], day: datetime.date) -> list[Bar]:
    return [
        Bar(
            label=label,
            done=sum(1 for w in work if w.status == AssignmentStatus.ACCEPTED),
            late=sum(1 for w in work if is_overdue(w, day)),
            total=len(work),
        )
        for label, work in groups.items()
    ]


def section_bars(taken: Snapshot) -> list[Bar]:
    groups = defaultdict(list)
    for task, work in taken.work:
        groups[task.section or _("Other tasks")].append(work)
    return _bars(groups, taken.day)


def lead_unit_bars(taken: Snapshot) -> list[Bar]:
    """The work of the tasks each unit leads, most first."""
    groups = defaultdict(list)
    for task in taken.tasks:
        for lead in task.lead_units or [_("No lead unit")]:
            groups[lead].extend(task.work)
    return sorted(_bars(groups, taken.day), key=lambda bar: -bar.total)


@dataclass(frozen=True)
class TaskLine:
    """One task in the report: its units in short, how far they have got, the latest word."""

    task: TaskState
    light: str
    accepted: int
    total: int
    late_units: list[str]
    latest: str
    lit: dict[str, int] = field(default_factory=dict)  # how many of its units show each light

    def units_lit(self, light: str) -> int:
        return self.lit.get(light, 0)

    @property
    def many_leads(self) -> bool:
        """Too many lead units for a table's cell: listed on a line of their own beneath."""
        return len(self.task.lead_units) > LEADS_IN_A_CELL

    @property
    def responsible(self) -> str:
        return named(self.task.responsible_units)

    @property
    def state(self) -> str:
        """The task's state in words, for paper printed in black and white."""
        if self.total and self.accepted == self.total:
            return pgettext("task state", "all accepted")
        return str(LIGHT_STATES[self.light])


LIGHT_STATES = {
    RED: pgettext_lazy("task state", "overdue"),
    YELLOW: pgettext_lazy("task state", "due soon or behind schedule"),
    GREEN: pgettext_lazy("task state", "on track"),
    GRAY: pgettext_lazy("task state", "not started"),
}


def named(names: list[str]) -> str:
    shown = "、".join(names[:NAMES_IN_A_ROW])
    more = len(names) - NAMES_IN_A_ROW
    return shown + (_("and %(more)d more") % {"more": more} if more > 0 else "")


def task_lines(taken: Snapshot) -> list[TaskLine]:
    lines = []
    for task in taken.tasks:
        work = [w for w in task.work if w.status != AssignmentStatus.CANCELLED]
        reported = max(work, key=lambda w: (w.latest_period, w.latest_text), default=None)
        latest = (
            f"{reported.latest_period} {reported.unit_name}：{reported.latest_text}"
            if reported and reported.latest_period
            else ""
        )
        lines.append(
            TaskLine(
                task=task,
                light=taken.task_light(task),
                accepted=sum(1 for w in work if w.status == AssignmentStatus.ACCEPTED),
                total=len(work),
                late_units=[w.unit_name for w in work if is_overdue(w, taken.day)],
                latest=latest,
                lit=dict(Counter(taken.light(w) for w in work)),
            )
        )
    return lines


def evidence_index(taken: Snapshot) -> list[dict]:
    """The evidence on file on the snapshot's day, for the work in it."""
    ids = [work.assignment_id for _task, work in taken.work]
    fields = ("id", "original_name", "sha256", "size", "report__assignment_id", "report__period")
    if taken.as_of is None:
        files = Evidence.objects.filter(report__assignment_id__in=ids)
    else:
        moment = day_end(taken.as_of)
        withdrawn = Evidence.history.filter(history_type="-", history_date__lt=moment).values("id")
        files = Evidence.history.filter(
            Q(report__assignment_id__in=ids), history_type="+", history_date__lt=moment
        ).exclude(id__in=withdrawn)
    where = {work.assignment_id: (task, work) for task, work in taken.work}
    return [
        {**row, "task": where[row["report__assignment_id"]][0], "unit": where[row["report__assignment_id"]][1]}
        for row in files.order_by("report__assignment_id", "id").values(*fields)
    ]


def progress_report(taken: Snapshot, user) -> Draft:
    """推进情况报告 of the snapshot, as ``user`` sees it (the milestones' timeline is theirs too)."""
    lines = task_lines(taken)
    moment = day_end(taken.as_of) if taken.as_of else None
    timeline = milestone_timeline(taken.plan, user, today=taken.day, before=moment)
    context = {
        "snapshot": taken,
        "plan": taken.plan,
        "day": taken.day,
        "figures": figures(taken),
        # The screen's charts: on the page's width, their text at the body's size.
        "section_chart": completion_bars(section_bars(taken), title=_("Completion by reform area")),
        "lead_chart": completion_bars(lead_unit_bars(taken)[:15], title=_("Completion by lead unit")),
        "timeline_chart": milestone_gantt(timeline, title=_("Milestones by month"), today=taken.day),
        "flagged": [(light, [line for line in lines if line.light == light]) for light in (RED, YELLOW)],
        "lines": lines,
        "evidence": evidence_index(taken),
        "header": taken.plan.title,
    }
    return Draft("reports/pdf/progress.html", context)


def no_progress(percent: int) -> None:
    """Progress nobody follows (a report made at once)."""


def render_pdf(draft: Draft, *, made_by, code: str, progress: Callable[[int], None] = no_progress) -> RenderedReport:
    """A report's PDF: who made it and when, and the verification code it is issued under (its own:
    reports.services.new_code), in every page's footer."""
    verify_url = f"{settings.SITE_URL}{reverse('reports:verify')}"
    context = {
        **draft.context,
        "made_at": timezone.localtime(),
        "made_by": made_by,
        "code": code,
        "verify_url": verify_url,
    }
    document = HTML(string=render_to_string(draft.template, context)).render()
    progress(STAGE_LAID_OUT)
    content = document.write_pdf()
    progress(STAGE_WRITTEN)
    return RenderedReport(content, len(document.pages))
