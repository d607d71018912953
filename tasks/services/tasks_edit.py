"""Staff changes to a task and its milestones, and leaders' instructions on it."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from reform.values import as_typed, tidy_text
from tasks.choices import ChangeReason
from tasks.models import Assignment, Instruction, Milestone, MilestoneCompletion, Section, Task
from tasks.reminders.events import instruction_event
from tasks.services.assignments import StaleObjectError

# simple-history keeps a change reason of at most this many characters.
REASON_LENGTH = 100


@dataclass(frozen=True)
class MilestoneDraft:
    """A milestone as the edit form gives it: ``pk`` is None for a new one."""

    pk: int | None
    due: datetime.date | None
    text: str
    deliverables: tuple[str, ...] = ()


def _check_reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ValidationError(_("Give a reason for changing the due date."))
    if len(reason) > REASON_LENGTH:
        raise ValidationError(_("Keep the reason within %(limit)d characters.") % {"limit": REASON_LENGTH})
    return reason


def _check_date(due: datetime.date | None, task: Task) -> None:
    if due and task.plan.issued_on and due < task.plan.issued_on:
        raise ValidationError(
            _("A due date cannot be before the plan was issued (%(date)s).") % {"date": task.plan.issued_on}
        )


def _locked_task(task_id: int, user) -> Task:
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff edit tasks."))
    task = Task.objects.select_for_update(of=("self",)).select_related("plan").filter(pk=task_id).first()
    if task is None:
        raise Task.DoesNotExist(_("No such task."))
    return task


@transaction.atomic
def task_edit(
    *,
    task_id: int,
    user,
    number: str,
    title: str,
    body: str,
    section_id: int | None,
    milestones: list[MilestoneDraft],
    expected_updated_at: datetime.datetime | None = None,
    reason: str = "",
) -> Task:
    """Correct a task's number, title, text, section and milestones, as the import could not.

    Every change is kept in history with the editor and the reason. Milestones are kept in the
    order given; one missing from ``milestones`` is removed, unless a unit has marked it done.
    """
    task = _locked_task(task_id, user)
    if expected_updated_at is not None and task.updated_at != expected_updated_at:
        raise StaleObjectError(_("Someone else has changed this task since you opened it. Your text is kept below."))
    reason = _check_reason(reason, required=False) or ChangeReason.EDITED
    given = {
        "number": as_typed(number, task.number, str.strip),
        "title": as_typed(title, task.title, _one_line),
        "body": as_typed(body, task.body, tidy_text),
        "section_id": section_id,
    }
    if not given["number"] or not given["title"]:
        raise ValidationError(_("A task needs a number and a title."))
    if section_id is not None and not Section.objects.filter(pk=section_id, plan_id=task.plan_id).exists():
        raise ValidationError(_("That section is not one of this plan's."))
    milestones_changed = _milestones_replace(task, milestones, user=user, reason=reason)
    changed = [name for name, value in given.items() if getattr(task, name) != value]
    if changed:
        for name in changed:
            setattr(task, name, given[name])
        task._history_user = user
        task._change_reason = reason
        task.save(update_fields=[*(name.removesuffix("_id") for name in changed), "updated_at"])
    elif milestones_changed:
        # A form opened before is stale now; the milestones' own history says what changed.
        Task.objects.filter(pk=task.pk).update(updated_at=timezone.now())
        task.refresh_from_db(fields=["updated_at"])
    return task


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _milestones_replace(task: Task, drafts: list[MilestoneDraft], *, user, reason: str) -> bool:
    """Whether any milestone was added, changed, moved or removed."""
    existing = {milestone.pk: milestone for milestone in task.milestones.all()}
    for draft in drafts:
        if draft.pk is not None and draft.pk not in existing:
            raise ValidationError(_("A milestone of another task cannot be edited here."))
        if not draft.text.strip():
            raise ValidationError(_("Say what each milestone requires."))
        # Documents do date steps before their own issue; only a date typed now is checked.
        if draft.pk is None or existing[draft.pk].due != draft.due:
            _check_date(draft.due, task)
    removed = existing.keys() - {draft.pk for draft in drafts}
    done = (
        MilestoneCompletion.objects.filter(milestone__in=removed)
        .select_related("milestone")
        .order_by("milestone__position")
        .first()
    )
    if done is not None:
        raise ValidationError(
            _("Units have marked the milestone “%(text)s” done; it cannot be removed.")
            % {"text": done.milestone.text[:40]}
        )
    contents = [_milestone_content(draft, existing.get(draft.pk)) for draft in drafts]
    same = [
        draft.pk is not None and all(getattr(existing[draft.pk], name) == value for name, value in content.items())
        for draft, content in zip(drafts, contents, strict=True)
    ]
    in_place = [draft.pk for draft in drafts] == [m.pk for m in sorted(existing.values(), key=lambda m: m.position)]
    if in_place and all(same):
        return False  # sent back as it was shown
    for pk in removed:
        milestone = existing[pk]
        milestone._history_user, milestone._change_reason = user, reason
        milestone.delete()
    # Out of the way first: positions are unique within a task.
    Milestone.objects.filter(task=task).update(position=F("position") + len(existing) + len(drafts) + 1)
    for position, (draft, content, unchanged) in enumerate(zip(drafts, contents, same, strict=True)):
        milestone = existing[draft.pk] if draft.pk is not None else Milestone(task=task)
        if unchanged:
            # Its content unchanged: put in its place without a history entry.
            Milestone.objects.filter(pk=milestone.pk).update(position=position)
            continue
        for name, value in {**content, "position": position}.items():
            setattr(milestone, name, value)
        milestone._history_user, milestone._change_reason = user, reason
        milestone.save()
    return True


def _milestone_content(draft: MilestoneDraft, stored: Milestone | None) -> dict:
    """A milestone's fields as the draft gives them; each the stored one if sent back as shown."""
    deliverables = _documents(draft.deliverables)
    if stored is None:
        return {"due": draft.due, "text": tidy_text(draft.text), "deliverables": deliverables}
    return {
        "due": draft.due,
        "text": as_typed(draft.text, stored.text, tidy_text),
        "deliverables": stored.deliverables if deliverables == _documents(stored.deliverables) else deliverables,
    }


def _documents(names) -> list[str]:
    """Deliverables' names, one a line, with or without their 《》."""
    return [name.strip().strip("《》") for name in names if name.strip().strip("《》")]


@transaction.atomic
def task_change_due(*, task_id: int, user, due: datetime.date, reason: str) -> Task:
    """Move a task's due date; the reason is kept with the change in the task's history."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff change due dates."))
    task = _locked_task(task_id, user)
    reason = _check_reason(reason, required=True)
    _check_date(due, task)
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
    if not policy.can_instruct(user):
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
    instruction = Instruction.objects.create(task=task, assignment=assignment, text=text.strip(), author=user)
    instruction_event(instruction)
    return instruction
