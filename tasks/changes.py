"""The history panel of a task: every recorded change of the task, its milestones and its units'
assignments, each field before and after, newest first."""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from orgs.models import Unit
from tasks.choices import ChangeReason
from tasks.models import Assignment, Milestone, Section, SupervisionNotice, Task
from tasks.services import TRANSITIONS

# Bookkeeping, not content: left out of the panel.
HIDDEN = [
    *("id", "task", "plan", "position", "created_at", "updated_at", "version", "status_changed_at"),
    *("source_line", "via_group", "printed_name"),
]
HISTORY_LENGTH = 100


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    subject: str
    kind: str  # "+" created, "~" changed, "-" removed, as simple-history records them
    reason: str
    changes: list[Change] = field(default_factory=list)


def task_history(task: Task, user, limit: int | None = HISTORY_LENGTH) -> list[HistoryEntry]:
    """The latest ``limit`` changes (all with None) the user may see: of other units' assignments,
    only those who see everything learn anything. The newest records of each source are read,
    then the versions before the changed ones: at most eight queries, plus one per kind of name."""
    assignments = Assignment.history.filter(task_id=task.pk)
    notices = SupervisionNotice.history.filter(assignment__task_id=task.pk)
    if not policy.sees_everything(user):
        visible = Assignment.objects.visible_to(user).filter(task=task).values("pk")
        assignments = assignments.filter(id__in=visible)
        notices = notices.filter(assignment_id__in=visible)
    sources = [
        (Task, task.history.all(), lambda record: _("the task")),
        (
            Milestone,
            Milestone.history.filter(task_id=task.pk),
            lambda record: _("milestone “%(text)s”") % {"text": record.text[:30]},
        ),
        (Assignment, assignments.select_related("unit"), lambda record: record.unit.name if record.unit else "?"),
        (SupervisionNotice, notices, lambda record: record.instance.number),
    ]
    picked = []
    for model, records, subject in sources:
        newest = records.select_related("history_user").order_by("-history_date", "-history_id")
        picked += [(model, record, subject) for record in (newest[:limit] if limit else newest)]
    picked.sort(key=lambda item: (item[1].history_date, item[1].history_id), reverse=True)
    picked = picked[:limit] if limit else picked
    before = _previous_versions(picked)
    entries, diffs = [], []
    for model, record, subject in picked:
        previous = before.get((model, record.history_id))
        diff = _diff(model, record, previous) if record.history_type == "~" and previous else []
        if record.history_type == "~" and not diff:
            continue  # bookkeeping only
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            subject=subject(record),
            kind=record.history_type,
            reason=_reason(record.history_change_reason),
        )
        entries.append(entry)
        diffs.append((model, diff))
    names = _names(diffs)
    for entry, (model, diff) in zip(entries, diffs, strict=True):
        entry.changes = [_shown(model, name, old, new, names) for name, old, new in diff]
    return entries


def _previous_versions(picked) -> dict:
    """(model, history id) -> the record before it of the same object, for the changes in ``picked``."""
    before = {}
    for model in {model for model, _record, _subject in picked}:
        changed = [record for m, record, _s in picked if m is model and record.history_type == "~"]
        if not changed:
            continue
        versions = model.history.filter(id__in={record.id for record in changed}).order_by(
            "id", "history_date", "history_id"
        )
        for _pk, records in groupby(versions, key=lambda record: record.id):
            previous = None
            for record in records:
                if previous is not None:
                    before[(model, record.history_id)] = previous
                previous = record
    return before


def _reason(reason: str | None) -> str:
    """The reason as the reader's words: status moves are recorded under their action's code, the
    platform's own changes under a ChangeReason; a reason typed by staff is shown as typed."""
    transition = TRANSITIONS.get(reason or "")
    if transition:
        return str(transition.label)
    if reason in ChangeReason.values:
        return str(ChangeReason(reason).label)
    return reason or ""


def _diff(model, record, previous) -> list[tuple[str, object, object]]:
    delta = record.diff_against(previous, excluded_fields=[f for f in HIDDEN if _has(model, f)])
    return [(change.field, change.old, change.new) for change in delta.changes]


def _has(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _names(diffs) -> dict:
    """Names of the sections and units that changes refer to by id, in one query each."""
    wanted = {Section: set(), Unit: set()}
    for model, diff in diffs:
        for name, old, new in diff:
            target = getattr(model._meta.get_field(name), "related_model", None)
            if target in wanted:
                wanted[target] |= {old, new} - {None}
    return {
        Section: dict(Section.objects.filter(pk__in=wanted[Section]).values_list("pk", "title")),
        Unit: dict(Unit.objects.filter(pk__in=wanted[Unit]).values_list("pk", "name")),
    }


def _shown(model, name: str, old, new, names: dict) -> Change:
    model_field = model._meta.get_field(name)

    def show(value) -> str:
        if value is None or value == "":
            return ""
        if isinstance(model_field, models.ForeignKey):
            return names.get(model_field.related_model, {}).get(value, str(value))
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, list):
            return "、".join(str(item) for item in value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime.datetime):
            return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    return Change(str(model_field.verbose_name), show(old), show(new))
