"""What waits for staff, in one queue: work submitted for review, extension requests to decide,
supervision notices answered (to be closed), notices unanswered past their date and units' questions. Each list is
the caller's scope (orgs.policy); the menu shows their counts, read in one query."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet, Value

from tasks.choices import AssignmentStatus, ExtensionStatus
from tasks.models import Assignment, ExtensionRequest, ProgressReport, Question, SupervisionNotice


@dataclass(frozen=True)
class QueueCounts:
    review: int
    extensions: int
    answered: int
    unanswered: int
    questions: int

    @property
    def total(self) -> int:
        return self.review + self.extensions + self.answered + self.unanswered + self.questions


def awaiting_review(user) -> QuerySet[Assignment]:
    """Submitted work, oldest submission first; ``combined`` where its latest report is the lead
    unit's combined report for the whole task (汇总上报)."""
    combined = ProgressReport.objects.filter(assignment=OuterRef("pk"), period=OuterRef("latest_period"), combined=True)
    return (
        Assignment.objects.visible_to(user)
        .filter(status=AssignmentStatus.SUBMITTED)
        .select_related("task__plan", "unit")
        .annotate(combined=Exists(combined))
        .order_by("status_changed_at", "pk")
    )


def extensions_to_decide(user) -> QuerySet[ExtensionRequest]:
    """Extension requests waiting for a decision, oldest first."""
    return (
        ExtensionRequest.objects.visible_to(user)
        .filter(status=ExtensionStatus.PENDING)
        .select_related("assignment__task", "assignment__unit", "requested_by")
        .order_by("created_at", "pk")
    )


def _open_notices(user) -> QuerySet[SupervisionNotice]:
    return (
        SupervisionNotice.objects.visible_to(user)
        .filter(closed_at__isnull=True)
        .select_related("assignment__task", "assignment__unit")
    )


def notices_answered(user) -> QuerySet[SupervisionNotice]:
    """Open notices the unit has answered: staff read the answer and close them, earliest answer first."""
    return _open_notices(user).filter(responded_at__isnull=False).order_by("responded_at", "pk")


def notices_unanswered(user, *, today: datetime.date) -> QuerySet[SupervisionNotice]:
    """Open notices past their date with no answer, longest overdue first."""
    return _open_notices(user).filter(responded_at__isnull=True, respond_by__lt=today).order_by("respond_by", "pk")


def questions_to_answer(user) -> QuerySet[Question]:
    """Units' questions not yet answered, oldest first."""
    return (
        Question.objects.visible_to(user)
        .filter(answered_at__isnull=True)
        .select_related("assignment__task", "assignment__unit", "asked_by")
        .order_by("asked_at", "pk")
    )


def queue_counts(user, *, today: datetime.date) -> QueueCounts:
    """The five counts in one query (the menu shows them on every staff page): each list counted
    alone, the counts put together with UNION ALL."""
    notices = SupervisionNotice.objects.visible_to(user).filter(closed_at__isnull=True)
    parts = {
        "review": awaiting_review(user),
        "extensions": extensions_to_decide(user),
        "answered": notices.filter(responded_at__isnull=False),
        "unanswered": notices.filter(responded_at__isnull=True, respond_by__lt=today),
        "questions": questions_to_answer(user),
    }
    counted = [
        rows.order_by().annotate(part=Value(name)).values("part").annotate(n=Count("pk")).values_list("part", "n")
        for name, rows in parts.items()
    ]
    found = dict(counted[0].union(*counted[1:], all=True))
    return QueueCounts(**{name: found.get(name, 0) for name in parts})
