"""Importing a plan document: preview what the parser found, then create it all at once."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from orgs.choices import UnitKind
from orgs.models import Unit, UnitGroup
from orgs.selectors import group_member_units
from orgs.services import unit_add_alias, unit_create
from tasks.choices import AssignmentRole, PlanKind
from tasks.import_messages import DOCUMENT_ERRORS, document_error_message, notice_message
from tasks.importing import DocumentError, Notice, ParsedPlan, parse_document
from tasks.models import Assignment, Milestone, Plan, Section, Task
from tasks.selectors import UnitMatch, resolve_unit_names

COLLECTIVE_PREFIX = "各"


class ImportRefused(ValidationError):
    """The document cannot be imported as it is; nothing was written."""


@dataclass
class ImportPreview:
    """What importing a document would create, for a person to check before confirming."""

    filename: str
    data: bytes
    sha256: str
    parsed: ParsedPlan
    units: dict[str, UnitMatch]
    existing: Plan | None
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def unknown_names(self) -> list[str]:
        return [name for name, match in self.units.items() if not match.known]


@dataclass
class ImportResult:
    plan: Plan
    created: bool
    tasks: int = 0
    milestones: int = 0
    assignments: int = 0
    warnings: list[str] = field(default_factory=list)


def plan_import_preview(*, data: bytes, filename: str, kind: str | None = None) -> ImportPreview:
    """Parse a document and resolve the units it names. Reads only; raises ImportRefused."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            str(DOCUMENT_ERRORS["too_large"])
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )
    if kind is not None and kind not in PlanKind.values:
        raise ImportRefused(_("Unknown plan kind: %(kind)s.") % {"kind": kind})
    try:
        parsed = parse_document(data, filename, kind=kind)
    except DocumentError as error:
        raise ImportRefused(document_error_message(error)) from None
    return preview_of(parsed, data=data, filename=filename)


def preview_of(parsed: ParsedPlan, *, data: bytes, filename: str) -> ImportPreview:
    """The preview of an already parsed (and perhaps corrected) plan: its units resolved, its warnings."""
    sha256 = hashlib.sha256(data).hexdigest()
    names = dict.fromkeys(name for task in parsed.tasks for name in task.lead_units + task.responsible_units)
    units = resolve_unit_names(names)
    notices = list(parsed.notices)
    for task in parsed.tasks:
        for name in task.lead_units + task.responsible_units:
            if not units[name].known:
                notices.append(Notice(task.line, "unknown_unit", {"number": task.number, "name": name}))
    warnings = sorted((notice.line, notice_message(notice)) for notice in notices)
    existing = Plan.objects.filter(source_sha256=sha256).first()
    return ImportPreview(filename, data, sha256, parsed, units, existing, warnings)


@transaction.atomic
def plan_import_confirm(
    *,
    preview: ImportPreview,
    user,
    unit_choices: Mapping[str, Unit | UnitGroup | None] | None = None,
    create_units: bool = False,
) -> ImportResult:
    """Create the plan, its sections, tasks, milestones and one assignment per unit, all or nothing.

    Each name the preview could not resolve needs a decision: ``unit_choices`` maps it
    to a unit (remembered as an alias for next time), a group, or None (no assignment);
    ``create_units`` creates the rest, a collective name (各…) as an empty group.
    The same document imported again changes nothing.
    """
    if preview.existing is not None:
        return ImportResult(preview.existing, created=False)
    conflicting = _plan_with_same_number(preview.parsed)
    if conflicting:
        raise ImportRefused(
            _(
                "A plan with the document number %(number)s is already imported (“%(title)s”). "
                "This file is a different version of it; importing revisions is not available yet."
            )
            % {"number": conflicting.doc_number, "title": conflicting.title}
        )
    result_warnings: list[str] = []
    targets = _decide_units(preview, unit_choices or {}, create_units, result_warnings)
    plan = _create_plan(preview, user)
    sections = _create_sections(plan, preview.parsed)
    tasks = _create_tasks(plan, preview.parsed, sections, user)
    milestones = _create_milestones(preview.parsed, tasks, user)
    assignments = _create_assignments(preview.parsed, tasks, targets, user)
    return ImportResult(plan, True, len(tasks), milestones, assignments, result_warnings)


def _plan_with_same_number(parsed: ParsedPlan) -> Plan | None:
    if not parsed.doc_number:
        return None
    return Plan.objects.filter(doc_number=parsed.doc_number).first()


def _decide_units(preview, choices, create_units, warnings) -> dict[str, list[tuple[Unit, UnitGroup | None]]]:
    """Each printed name → the units it assigns, with the group it came through."""
    undecided = [name for name in preview.unknown_names if name not in choices and not create_units]
    if undecided:
        raise ImportRefused(
            _("These units are not known; map each to a unit or group, create it, or leave it out: %(names)s.")
            % {"names": "、".join(undecided)}
        )
    resolved: dict[str, Unit | UnitGroup | None] = {}
    for name, match in preview.units.items():
        if match.known:
            resolved[name] = match.unit or match.group
        elif name in choices:
            resolved[name] = choices[name]
            if isinstance(choices[name], Unit) and name != choices[name].name:
                unit_add_alias(unit=choices[name], name=name)
        elif name.startswith(COLLECTIVE_PREFIX):
            resolved[name] = UnitGroup.objects.create(name=name)
            warnings.append(_("Group “%(name)s” was created without members: add them, then assign.") % {"name": name})
        else:
            resolved[name] = unit_create(name=name, kind=UnitKind.OTHER)
    members: dict[int, list[Unit]] = {}
    targets = {}
    for name, target in resolved.items():
        if isinstance(target, UnitGroup):
            if target.pk not in members:
                members[target.pk] = list(group_member_units(target))
            targets[name] = [(unit, target) for unit in members[target.pk]]
        else:
            targets[name] = [(target, None)] if target else []
    return targets


def _create_plan(preview: ImportPreview, user) -> Plan:
    parsed = preview.parsed
    plan = Plan(
        title=parsed.title or _fallback_title(preview),
        doc_number=parsed.doc_number or "",
        issuer=parsed.issuer or "",
        issued_on=parsed.issued_on,
        kind=parsed.kind,
        period_start=parsed.period_start,
        period_end=parsed.period_end,
        source_name=preview.filename,
        source_text=parsed.text,
        source_sha256=preview.sha256,
        created_by=user,
    )
    # Stored under its checksum: the same bytes are one file, and no printed name reaches the disk.
    name = f"plans/{preview.sha256[:2]}/{preview.sha256}{PurePath(preview.filename).suffix.lower()}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(preview.data))
    plan.source_file.name = name
    plan._history_user = user
    plan.save()
    return plan


def _fallback_title(preview: ImportPreview) -> str:
    parsed = preview.parsed
    if parsed.issuer:
        kind = PlanKind(parsed.kind).label
        return f"{parsed.issuer}{kind}（{parsed.issued_on or ''}）".replace("（）", "")
    return PurePath(preview.filename).stem


def _create_sections(plan: Plan, parsed: ParsedPlan) -> list[Section]:
    sections: list[Section] = []
    for position, found in enumerate(parsed.sections):
        parent = next(
            (s for s in reversed(sections) if found.parent and s.number == found.parent and s.parent_id is None),
            None,
        )
        section = Section(plan=plan, number=found.label, title=found.title[:300], position=position, parent=parent)
        section.save()
        sections.append(section)
    return sections


def _create_tasks(plan: Plan, parsed: ParsedPlan, sections: list[Section], user) -> list[Task]:
    return bulk_create_with_history(
        [
            Task(
                plan=plan,
                section=sections[task.section_index] if task.section_index is not None else None,
                number=task.number,
                title=task.title[:500],
                body=task.body,
                position=position,
                due=task.due,
                due_inherited=task.due_inherited,
                recurrence=task.recurrence or "",
                source_line=task.line,
            )
            for position, task in enumerate(parsed.tasks)
        ],
        Task,
        default_user=user,
    )


def _create_milestones(parsed: ParsedPlan, tasks: list[Task], user) -> int:
    milestones = [
        Milestone(task=task, position=position, due=found.due, text=found.text, deliverables=found.deliverables)
        for task, parsed_task in zip(tasks, parsed.tasks, strict=True)
        for position, found in enumerate(parsed_task.milestones)
    ]
    return len(bulk_create_with_history(milestones, Milestone, default_user=user))


def _create_assignments(parsed: ParsedPlan, tasks: list[Task], targets, user) -> int:
    assignments, seen = [], set()
    for task, parsed_task in zip(tasks, parsed.tasks, strict=True):
        for role, names in (
            (AssignmentRole.LEAD, parsed_task.lead_units),
            (AssignmentRole.RESPONSIBLE, parsed_task.responsible_units),
        ):
            for name in names:
                for unit, group in targets[name]:
                    # A unit named twice (directly and through a group) is assigned once per role.
                    if (task.pk, unit.pk, role) not in seen:
                        seen.add((task.pk, unit.pk, role))
                        assignments.append(
                            Assignment(task=task, unit=unit, role=role, via_group=group, printed_name=name)
                        )
    return len(bulk_create_with_history(assignments, Assignment, default_user=user, batch_size=2000))
