"""A revised version of an imported plan: what changed, and applying it without losing work.

Tasks are matched on their content, never on their number alone: first by the same title
(folded: 推進 and 推进 are one word), then by a title nearly the same wherever it now stands
(a renumbered, reworded task keeps its work), then at the same section and number only where
the title or the text is still much the same. A new task under an old number is new, and the
old one is withdrawn. A matched task whose title, text, units or dates differ is
changed in place, so its assignments, reports and history stay with it; a task the
revision no longer lists is withdrawn, not deleted; new tasks are created.
"""

import difflib
from dataclasses import dataclass, field

from django.db.models import F, Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.choices import AssignmentStatus, ChangeReason
from tasks.history import bulk_create_recorded
from tasks.importing import ParsedPlan, ParsedTask
from tasks.importing.normalize import match_key
from tasks.models import Assignment, Milestone, MilestoneCompletion, Plan, Section, Task
from tasks.services.plan_rows import (
    Targets,
    create_assignments,
    create_milestones,
    create_sections,
    create_tasks,
    named_units,
)
from tasks.services.task_units import with_records_flag

# Positions are moved out of the way first: (plan, position) is unique.
_PARKING = 1_000_000


@dataclass
class TaskChange:
    task: Task
    parsed: ParsedTask
    changes: list[str] = field(default_factory=list)
    units_added: list[tuple[str, str]] = field(default_factory=list)
    units_removed: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PlanDiff:
    plan: Plan
    added: list[ParsedTask] = field(default_factory=list)
    removed: list[Task] = field(default_factory=list)
    changed: list[TaskChange] = field(default_factory=list)
    unchanged: list[TaskChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def plan_revision_target(parsed: ParsedPlan) -> Plan | None:
    """The imported plan a document revises: same 文号, or with none, same title and issuer."""
    plans = Plan.objects.all()
    if parsed.doc_number:
        return plans.filter(doc_number=parsed.doc_number).first()
    if parsed.title:
        return plans.filter(doc_number="", title=parsed.title, issuer=parsed.issuer or "").first()
    return None


def plan_revision_diff(plan: Plan, parsed: ParsedPlan) -> PlanDiff:
    current = list(
        plan.tasks.filter(withdrawn_at__isnull=True)
        .select_related("section")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position")),
            Prefetch("assignments", queryset=Assignment.objects.only("task_id", "role", "printed_name")),
        )
        .order_by("position")
    )
    diff = PlanDiff(plan)
    unmatched = list(parsed.tasks)
    for finder in (_same_title, _nearly_same_title, _same_place_and_content):
        for task in list(current):
            found = finder(task, unmatched)
            if found is not None:
                unmatched.remove(found)
                current.remove(task)
                change = _compare(task, found)
                (diff.changed if change.changes else diff.unchanged).append(change)
    diff.removed = current
    diff.added = unmatched
    return diff


def _same_title(task: Task, candidates: list[ParsedTask]) -> ParsedTask | None:
    key = match_key(task.title)
    return next((c for c in candidates if match_key(c.title) == key), None)


NEARLY_SAME_TITLE = 0.75
MUCH_THE_SAME = 0.5
SAME_TEXT = 0.7  # a unit bracket the old and new texts share makes even different tasks look alike


def _likeness(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, match_key(a), match_key(b), autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= MUCH_THE_SAME else 0.0


def _nearly_same_title(task: Task, candidates: list[ParsedTask]) -> ParsedTask | None:
    scored = [(_likeness(task.title, c.title), index) for index, c in enumerate(candidates)]
    best = max(scored, default=(0.0, -1))
    return candidates[best[1]] if best[0] >= NEARLY_SAME_TITLE else None


def _same_place_and_content(task: Task, candidates: list[ParsedTask]) -> ParsedTask | None:
    section = task.section.number if task.section else ""
    for candidate in candidates:
        if (candidate.section, candidate.number) != (section, task.number):
            continue
        if _likeness(task.title, candidate.title) >= MUCH_THE_SAME or _likeness(task.body, candidate.body) >= SAME_TEXT:
            return candidate
    return None


def _compare(task: Task, parsed: ParsedTask) -> TaskChange:
    change = TaskChange(task, parsed)
    if task.title != parsed.title:
        change.changes.append(_("title: “%(old)s” → “%(new)s”") % {"old": task.title, "new": parsed.title})
    elif task.body != parsed.body:
        change.changes.append(_("text reworded"))
    old_units = {(a.role, a.printed_name) for a in task.assignments.all()}
    new_units = set(named_units(parsed))
    change.units_added = sorted(new_units - old_units)
    change.units_removed = sorted(old_units - new_units)
    if change.units_added or change.units_removed:
        change.changes.append(
            _("units: added %(added)s; removed %(removed)s")
            % {
                "added": "、".join(name for _role, name in change.units_added) or "—",
                "removed": "、".join(name for _role, name in change.units_removed) or "—",
            }
        )
    old_dates = [(m.due, m.text) for m in task.milestones.all()]
    new_dates = [(m.due, m.text) for m in parsed.milestones]
    if old_dates != new_dates or task.due != parsed.due:
        change.changes.append(
            _("deadline: %(old)s → %(new)s") % {"old": task.due or "—", "new": parsed.due or "—"}
            if task.due != parsed.due
            else _("milestones changed")
        )
    return change


def revision_summary(diff: PlanDiff) -> tuple[str, list[str]]:
    """A sentence and one line per change, for the page and the command alike."""
    headline = _(
        "This document is a revision of “%(title)s”: %(added)d tasks added, %(removed)d withdrawn, "
        "%(changed)d changed, %(unchanged)d unchanged."
    ) % {
        "title": diff.plan.title,
        "added": len(diff.added),
        "removed": len(diff.removed),
        "changed": len(diff.changed),
        "unchanged": len(diff.unchanged),
    }
    lines = [_("Added: %(section)s%(number)s %(title)s") % _described(t) for t in diff.added]
    lines += [_("Withdrawn: %(section)s%(number)s %(title)s") % _described(t) for t in diff.removed]
    lines += [
        _("Changed: %(section)s%(number)s %(title)s — %(changes)s")
        % {**_described(c.parsed), "changes": "；".join(c.changes)}
        for c in diff.changed
    ]
    return headline, lines


def _described(task: Task | ParsedTask) -> dict:
    section = task.section.number if isinstance(task.section, Section) else task.section
    return {"section": section or "", "number": task.number, "title": task.title}


def plan_revision_apply(*, diff: PlanDiff, parsed: ParsedPlan, targets: Targets, user) -> dict[str, int]:
    """Apply a revision in the caller's transaction. Returns what it did, by kind."""
    plan = diff.plan
    now = timezone.now()
    sections = _sections(plan, parsed)
    order = {id(task): position for position, task in enumerate(parsed.tasks)}
    kept = diff.changed + diff.unchanged
    # Move every active task out of the way, so that new positions never collide.
    Task.objects.filter(plan=plan, withdrawn_at__isnull=True).update(position=F("position") + _PARKING)
    withdrawn_base = Task.objects.filter(plan=plan).aggregate(last=Max("position"))["last"] + 1
    for offset, task in enumerate(diff.removed):
        task.withdrawn_at, task.position = now, withdrawn_base + offset
        task._history_user = user
        task._change_reason = ChangeReason.WITHDRAWN
        task.save(update_fields=["withdrawn_at", "position", "updated_at"])
    for change in kept:
        _update_task(change, order[id(change.parsed)], sections, user)
    added = create_tasks(plan, [(order[id(p)], p) for p in diff.added], sections, user)
    create_milestones(list(zip(added, diff.added, strict=True)), user)
    _replace_milestones([c for c in diff.changed if c.changes], user)
    wanted = [(task, role, name) for task, p in zip(added, diff.added, strict=True) for role, name in named_units(p)]
    wanted += [(c.task, role, name) for c in diff.changed for role, name in c.units_added]
    existing = Assignment.objects.filter(task__plan=plan).values_list("task_id", "unit_id", "role")
    assignments = create_assignments(wanted, targets, user, existing=existing)
    kept_with_work = _drop_assignments(diff.changed, user)
    return {
        "added": len(added),
        "withdrawn": len(diff.removed),
        "changed": len(diff.changed),
        "assignments": assignments,
        "kept_with_work": kept_with_work,
    }


def _sections(plan: Plan, parsed: ParsedPlan) -> list[Section]:
    """The revision's sections: the existing ones where number and title match, new ones otherwise."""
    existing = {(s.number, s.title): s for s in plan.sections.all()}
    missing = ParsedPlan(sections=[s for s in parsed.sections if (s.label, s.title) not in existing])
    first = (plan.sections.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    created = iter(create_sections(plan, missing, first_position=first))
    return [existing.get((s.label, s.title)) or next(created) for s in parsed.sections]


def _update_task(change: TaskChange, position: int, sections: list[Section], user) -> None:
    task, parsed = change.task, change.parsed
    task.section = sections[parsed.section_index] if parsed.section_index is not None else None
    task.number, task.title, task.body = parsed.number, parsed.title[:500], parsed.body
    task.position, task.due, task.due_inherited = position, parsed.due, parsed.due_inherited
    task.recurrence, task.source_line = parsed.recurrence or "", parsed.line
    task._history_user = user
    task._change_reason = ChangeReason.REVISED
    task.save()


def _replace_milestones(changes: list[TaskChange], user) -> None:
    """Milestones follow the revision: changed in place by position, new ones added, extra ones removed."""
    for change in changes:
        current = list(change.task.milestones.order_by("position"))
        for milestone, found in zip(current, change.parsed.milestones, strict=False):
            if (milestone.due, milestone.text, milestone.deliverables) != (found.due, found.text, found.deliverables):
                milestone.due, milestone.text, milestone.deliverables = found.due, found.text, found.deliverables
                milestone._history_user = user
                milestone.save()
        dropped = current[len(change.parsed.milestones) :]
        done = set(MilestoneCompletion.objects.filter(milestone__in=dropped).values_list("milestone_id", flat=True))
        for milestone in dropped:
            if milestone.pk in done:
                continue  # units have marked it done: kept with their record, as withdrawn tasks are
            milestone._history_user = user
            milestone.delete()
        extra = change.parsed.milestones[len(current) :]
        # After the last one, wherever staff's edits have put it.
        after = current[-1].position + 1 if current else 0
        bulk_create_recorded(
            [
                Milestone(task=change.task, position=after + n, due=m.due, text=m.text, deliverables=m.deliverables)
                for n, m in enumerate(extra)
            ],
            user=user,
        )


def _drop_assignments(changes: list[TaskChange], user) -> int:
    """Remove assignments of units the revision no longer names, unless anything is on record for them.
    Units staff assigned themselves (no printed name) are theirs to remove, not the document's."""
    kept = 0
    for change in changes:
        for role, name in change.units_removed:
            if not name:
                continue
            named = change.task.assignments.filter(role=role, printed_name=name)
            for assignment in with_records_flag(named):
                if assignment.has_records or assignment.status != AssignmentStatus.NOT_STARTED:
                    kept += 1
                    continue
                assignment._history_user = user
                assignment.delete()
    return kept
