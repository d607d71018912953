"""Importing a plan document: preview what the parser found, then create it all at once."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from orgs.models import Unit, UnitGroup
from tasks.choices import PlanKind
from tasks.import_messages import document_error_message, notice_message, too_large_message
from tasks.importing import DocumentError, Notice, ParsedPlan, parse_document
from tasks.models import Plan
from tasks.selectors import UnitMatch, resolve_unit_names
from tasks.services.errors import ImportRefused
from tasks.services.plan_revision import PlanDiff, plan_revision_apply, plan_revision_diff, plan_revision_target
from tasks.services.plan_rows import (
    create_assignments,
    create_milestones,
    create_sections,
    create_tasks,
    decide_units,
    named_units,
)


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
    revision: PlanDiff | None = None  # set when the document is another version of an imported plan

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
    revised: dict[str, int] | None = None  # what a revision did: added, withdrawn, changed …


def plan_import_preview(*, data: bytes, filename: str, kind: str | None = None, progress=None) -> ImportPreview:
    """Parse a document and resolve the units it names. Reads only; raises ImportRefused."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(too_large_message(len(data)))
    if kind is not None and kind not in PlanKind.values:
        raise ImportRefused(_("Unknown plan kind: %(kind)s.") % {"kind": kind})
    try:
        parsed = parse_document(data, filename, kind=kind, progress=progress)
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
    revised = None if existing else plan_revision_target(parsed)
    revision = plan_revision_diff(revised, parsed) if revised else None
    return ImportPreview(filename, data, sha256, parsed, units, existing, warnings, revision)


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
    result_warnings: list[str] = []
    targets = decide_units(preview, unit_choices or {}, create_units, result_warnings)
    if preview.revision is not None:
        # Locked: two revisions confirmed at once are applied one after the other.
        Plan.objects.select_for_update().filter(pk=preview.revision.plan.pk).first()
        plan = _save_plan(preview, user, preview.revision.plan)
        revised = plan_revision_apply(diff=preview.revision, parsed=preview.parsed, targets=targets, user=user)
        return ImportResult(plan, False, len(preview.parsed.tasks), 0, revised["assignments"], result_warnings, revised)
    plan = _save_plan(preview, user, Plan())
    parsed = preview.parsed
    sections = create_sections(plan, parsed)
    tasks = create_tasks(plan, list(enumerate(parsed.tasks)), sections, user)
    pairs = list(zip(tasks, parsed.tasks, strict=True))
    milestones = create_milestones(pairs, user)
    wanted = [(task, role, name) for task, parsed_task in pairs for role, name in named_units(parsed_task)]
    assignments = create_assignments(wanted, targets, user)
    return ImportResult(plan, True, len(tasks), milestones, assignments, result_warnings)


def _save_plan(preview: ImportPreview, user, plan: Plan) -> Plan:
    """A new plan, or a revised one, with the document's metadata and the document itself."""
    parsed = preview.parsed
    plan.title = parsed.title or plan.title or fallback_title(preview)
    plan.doc_number = parsed.doc_number or ""
    plan.issuer = parsed.issuer or ""
    plan.issued_on = parsed.issued_on
    plan.kind = parsed.kind
    plan.period_start, plan.period_end = parsed.period_start, parsed.period_end
    plan.source_name, plan.source_text, plan.source_sha256 = preview.filename, parsed.text, preview.sha256
    plan.created_by = plan.created_by or user
    # Stored under its checksum: the same bytes are one file, and no printed name reaches the disk.
    name = f"plans/{preview.sha256[:2]}/{preview.sha256}{PurePath(preview.filename).suffix.lower()}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(preview.data))
    plan.source_file.name = name
    plan._history_user = user
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ImportRefused(_("This document has just been imported by someone else.")) from None
    return plan


def fallback_title(preview: ImportPreview) -> str:
    """The name a plan gets when its document states no title: its issuer and kind, or the file's name."""
    parsed = preview.parsed
    if parsed.issuer:
        kind = PlanKind(parsed.kind).label
        return f"{parsed.issuer}{kind}（{parsed.issued_on or ''}）".replace("（）", "")
    return PurePath(preview.filename).stem
