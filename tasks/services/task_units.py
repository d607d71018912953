"""Staff decide which units a task is assigned to, after the import or when the plan changes."""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, QuerySet
from django.utils.translation import gettext as _

from orgs import policy
from orgs.models import Unit
from tasks.choices import AssignmentRole, ChangeReason
from tasks.models import Assignment, Task

# What a unit has put on record for an assignment; an assignment with any of it is cancelled, never removed.
RECORDS = ("reports", "status_changes", "completions", "extensions", "notices", "instructions")


@transaction.atomic
def assignment_add(*, task_id: int, user, unit_id: int, role: str) -> Assignment:
    """Give a unit a share of a task, as lead or responsible unit."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff assign units to tasks."))
    task = Task.objects.select_for_update(of=("self",)).filter(pk=task_id).first()
    if task is None:
        raise Task.DoesNotExist(_("No such task."))
    if role not in AssignmentRole.values:
        raise ValidationError(_("Choose the unit's role."))
    unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationError(_("Choose an active unit."))
    if Assignment.objects.filter(task=task, unit=unit, role=role).exists():
        raise ValidationError(
            _("%(unit)s is already the task's %(role)s.") % {"unit": unit.name, "role": AssignmentRole(role).label}
        )
    assignment = Assignment(task=task, unit=unit, role=role)
    assignment._history_user = user
    assignment._change_reason = ChangeReason.ASSIGNED
    assignment.save()
    return assignment


def with_records_flag(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate ``has_records``: whether anything was reported, reviewed or issued on each assignment."""
    related = [Assignment._meta.get_field(name).related_model for name in RECORDS]
    anything = reduce(or_, [Exists(model.objects.filter(assignment=OuterRef("pk"))) for model in related])
    return assignments.annotate(has_records=ExpressionWrapper(anything, output_field=BooleanField()))


@transaction.atomic
def assignment_remove(*, assignment_id: int, user) -> Task:
    """Take back an assignment made by mistake; its removal stays in history.

    One with anything on record is refused: it is cancelled instead, so that nothing is lost.
    """
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff assign units to tasks."))
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("task", "unit")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Assignment.DoesNotExist(_("No such assignment, or it is not yours to see."))
    if with_records_flag(Assignment.objects.filter(pk=assignment.pk)).values_list("has_records", flat=True).get():
        raise ValidationError(
            _("%(unit)s has already worked on this task; cancel its assignment instead, which keeps its record.")
            % {"unit": assignment.unit.name}
        )
    assignment._history_user = user
    assignment._change_reason = ChangeReason.REMOVED
    assignment.delete()
    return assignment.task
