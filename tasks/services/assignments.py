"""Writes to the reform domain. Nothing else changes an assignment's status."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs import policy
from tasks.choices import AssignmentStatus as S
from tasks.models import Assignment, StatusChange
from tasks.reminders.choices import Kind
from tasks.reminders.events import assignment_event
from tasks.services.deliverables import check_delivered

# Transitions that someone else should hear of at once.
EVENTS = {"submit": Kind.SUBMITTED, "return": Kind.RETURNED, "accept": Kind.ACCEPTED, "reopen": Kind.REOPENED}


class StaleObjectError(ValidationError):
    """The assignment changed since the form that acts on it was loaded."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    by_reviewer: bool  # staff review it; otherwise the assignment's own unit acts
    needs_comment: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("start", gettext_lazy("Start"), frozenset({S.NOT_STARTED}), S.IN_PROGRESS, by_reviewer=False),
        Transition("submit", gettext_lazy("Submit for review"), frozenset({S.IN_PROGRESS}), S.SUBMITTED, False),
        Transition("accept", gettext_lazy("Accept"), frozenset({S.SUBMITTED}), S.ACCEPTED, by_reviewer=True),
        Transition(
            "return", gettext_lazy("Return"), frozenset({S.SUBMITTED}), S.RETURNED, by_reviewer=True, needs_comment=True
        ),
        Transition("resume", gettext_lazy("Resume work"), frozenset({S.RETURNED}), S.IN_PROGRESS, by_reviewer=False),
        # When a rectified problem recurs, staff reopen accepted work; cancelled work is reopened alike.
        Transition(
            "reopen",
            gettext_lazy("Reopen"),
            frozenset({S.ACCEPTED, S.CANCELLED}),
            S.IN_PROGRESS,
            by_reviewer=True,
            needs_comment=True,
        ),
        Transition(
            "cancel",
            gettext_lazy("Cancel the assignment"),
            frozenset({S.NOT_STARTED, S.IN_PROGRESS, S.SUBMITTED, S.RETURNED}),
            S.CANCELLED,
            by_reviewer=True,
            needs_comment=True,
        ),
    )
}


def may_transition(user, assignment: Assignment, action: str) -> bool:
    """Whether ``user`` has the right to take ``action`` on ``assignment`` (state aside)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return False
    if transition.by_reviewer:
        return policy.can_manage(user)
    return policy.can_act_for_unit(user, assignment.unit_id)


def allowed_actions(user, assignment: Assignment) -> list[Transition]:
    """The transitions ``user`` may take on ``assignment`` now: for showing buttons."""
    return [
        t for t in TRANSITIONS.values() if assignment.status in t.sources and may_transition(user, assignment, t.action)
    ]


@transaction.atomic
def assignment_transition(
    *,
    assignment_id: int,
    user,
    action: str,
    comment: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """Move an assignment by ``action``, after checking the move, the right and staleness.

    The row is locked for the check, so two reviewers acting at once cannot both win.
    Raises Assignment.DoesNotExist where the user may not see the assignment,
    PermissionDenied where they see it but lack the right, ValidationError for an
    illegal move, StaleObjectError for a stale form.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("Unknown action: %(action)s.") % {"action": action})
    assignment = (
        Assignment.objects.visible_to(user)
        .select_for_update(of=("self",))
        .select_related("task", "unit")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Assignment.DoesNotExist(_("No such assignment, or it is not yours to see."))
    if not may_transition(user, assignment, action):
        raise PermissionDenied(_("You may not %(action)s this assignment.") % {"action": transition.label})
    if expected_version is not None and assignment.version != expected_version:
        raise StaleObjectError(
            _("Someone else has changed this assignment since you opened it. Reload the page and try again.")
        )
    if assignment.status not in transition.sources:
        raise ValidationError(
            _("An assignment that is “%(status)s” cannot be moved to “%(target)s”.")
            % {"status": assignment.get_status_display(), "target": S(transition.target).label}
        )
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise ValidationError(_("Give a reason for this action."))
    if action == "accept":
        check_delivered(assignment.task_id, comment)

    previous = assignment.status
    assignment.status = transition.target
    assignment.status_changed_at = timezone.now()
    assignment.version += 1
    assignment._history_user = user
    assignment._change_reason = action
    assignment.save(update_fields=["status", "status_changed_at", "version", "updated_at"])
    StatusChange.objects.create(
        assignment=assignment, from_status=previous, to_status=transition.target, actor=user, comment=comment
    )
    if action in EVENTS:
        assignment_event(assignment, EVENTS[action], actor=user, comment=comment)
    return assignment


# Reviews staff take on several submissions at once.
BULK_REVIEWS = ("accept", "return")


@dataclass
class BulkReview:
    done: list[Assignment]
    refused: list[tuple[str, str]]  # (the work, as "unit · number. title", why)


def assignments_review(*, user, action: str, items: list[tuple[int, int | None]], comment: str = "") -> BulkReview:
    """Accept or return several submissions (assignment id, version seen) with one comment: each is
    its own transition, in its own transaction and history, told to its own unit; one refused (moved
    by someone else meanwhile, not submitted, not visible) is named with its reason and the rest go on."""
    if action not in BULK_REVIEWS:
        raise ValidationError(_("Unknown action: %(action)s.") % {"action": action})
    if TRANSITIONS[action].needs_comment and not comment.strip():
        raise ValidationError(_("Give a reason for this action."))
    done, refusals = [], []
    for assignment_id, version in items:
        try:
            done.append(
                assignment_transition(
                    assignment_id=assignment_id, user=user, action=action, comment=comment, expected_version=version
                )
            )
        except (Assignment.DoesNotExist, PermissionDenied, ValidationError) as error:
            refusals.append((assignment_id, " ".join(getattr(error, "messages", [str(error)]))))
    names = {
        pk: f"{unit} · {number}. {title}"
        for pk, unit, number, title in Assignment.objects.visible_to(user)
        .filter(pk__in=[pk for pk, _why in refusals])
        .values_list("pk", "unit__name", "task__number", "task__title")
    }
    return BulkReview(done, [(names.get(pk, _("(not yours to see)")), why) for pk, why in refusals])
