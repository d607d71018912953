"""Staff changes to a task, and leaders' instructions on it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from orgs import policy
from orgs.choices import Role
from tasks.models import Assignment, Instruction, Task

# simple-history keeps a change reason of at most this many characters.
REASON_LENGTH = 100


@transaction.atomic
def task_change_due(*, task_id: int, user, due: datetime.date, reason: str) -> Task:
    """Move a task's due date; the reason is kept with the change in the task's history."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff change due dates."))
    task = Task.objects.select_for_update(of=("self",)).select_related("plan").filter(pk=task_id).first()
    if task is None:
        raise Task.DoesNotExist(_("No such task."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for changing the due date."))
    if len(reason) > REASON_LENGTH:
        raise ValidationError(_("Keep the reason within %(limit)d characters.") % {"limit": REASON_LENGTH})
    if task.plan.issued_on and due < task.plan.issued_on:
        raise ValidationError(
            _("A due date cannot be before the plan was issued (%(date)s).") % {"date": task.plan.issued_on}
        )
    if due == task.due:
        return task
    task.due, task.due_inherited = due, False
    task._history_user = user
    task._change_reason = reason
    task.save(update_fields=["due", "due_inherited", "updated_at"])
    return task


@transaction.atomic
def instruction_add(*, task_id: int, user, text: str, assignment_id: int | None = None) -> Instruction:
    """A leader's 批示 on a task, or on one unit's assignment of it."""
    if policy.role_of(user) != Role.LEADER:
        raise PermissionDenied(_("Instructions are given by leaders."))
    task = Task.objects.filter(pk=task_id).first()
    if task is None:
        raise Task.DoesNotExist(_("No such task."))
    assignment = None
    if assignment_id is not None:
        assignment = Assignment.objects.filter(pk=assignment_id, task=task).first()
        if assignment is None:
            raise ValidationError(_("That unit has no assignment in this task."))
    if not text.strip():
        raise ValidationError(_("Write the instruction."))
    return Instruction.objects.create(task=task, assignment=assignment, text=text.strip(), author=user)
