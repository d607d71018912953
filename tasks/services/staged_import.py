"""Importing through the browser: an upload is read, checked and corrected, then confirmed.

Each step moves a PlanImport row from one state to the next with a conditional
update, so a job run twice, or a page and a worker racing, do the work once.
Large documents are read, and large plans imported, by a worker; small ones at once.
"""

import copy
import datetime
import hashlib
import logging
import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.models import Unit, UnitGroup
from reform import values
from reform.files import StorageFailed, save_upload
from reform.queue import publish_after_commit
from tasks.choices import ImportStatus as S
from tasks.choices import PlanKind
from tasks.import_messages import document_error_message, mend_message, too_large_message
from tasks.importing import DocumentError, ParsedPlan, mending, readers, sniff, units
from tasks.importing.readers import read_document
from tasks.models import PlanImport
from tasks.services.plan_import import (
    ImportPreview,
    ImportRefused,
    plan_import_confirm,
    plan_import_preview,
    preview_of,
)

logger = logging.getLogger(__name__)

# Progress marks of an import: confirmed by staff, then taken by whoever does the work.
CONFIRMED, TAKEN = 5, 20
# An upload read or imported for longer than a job may run, and this much more, has lost its job.
STALL_GRACE_SECONDS = 60

UNEXPECTED_READING = gettext_lazy(
    "An unexpected error stopped the reading; nothing was kept of it. Try again, or discard the upload; "
    "the details are in the log for the administrator."
)
UNEXPECTED_IMPORTING = gettext_lazy(
    "An unexpected error stopped the import; nothing was imported. Confirm again, correct the preview or "
    "discard the upload; the details are in the log for the administrator."
)
STALLED_READING = gettext_lazy("The worker stopped while reading the document; nothing was kept of it. Try again.")
STALLED_IMPORTING = gettext_lazy(
    "The worker stopped while importing; nothing was imported. Confirm again, correct the preview or discard "
    "the upload."
)


def plan_upload_receive(*, upload, kind: str, user) -> PlanImport:
    """Keep an uploaded document and start reading it: at once if small and quick to read, else in a
    worker. A scan or a file LibreOffice converts always goes to the worker: OCR takes seconds a page."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(too_large_message(upload.size))
    if kind and kind not in PlanKind.values:
        raise ImportRefused(_("Unknown plan kind: %(kind)s.") % {"kind": kind})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    surveyed = _surveyed(upload.read(), upload.name)
    upload.seek(0)
    staged = PlanImport(
        original_name=PurePath(upload.name).name[:255],
        size=upload.size,
        sha256=digest.hexdigest(),
        kind=kind or "",
        created_by=user,
    )
    # A generated name on disk: the printed one is kept in the row, never in a path.
    suffix = sniff.SUFFIX.get(surveyed.kind, "")
    try:
        save_upload(staged.file, f"{uuid.uuid4().hex}{suffix}", upload, shown_name=staged.original_name)
    except StorageFailed as error:
        raise ImportRefused(error.messages[0]) from None
    staged.save()
    if upload.size > settings.IMPORT_INLINE_BYTES or surveyed.needs_worker:
        _queue("read_plan_upload", staged.pk)
        return staged
    plan_upload_read(import_id=staged.pk)
    staged.refresh_from_db()
    if staged.status == S.FAILED:
        # Read at once and refused: nothing is kept, the reason goes back to the form.
        staged.file.delete(save=False)
        staged.delete()
        raise ImportRefused(staged.error)
    return staged


def _surveyed(data: bytes, filename: str) -> readers.Survey:
    """What reading the file will take; a file no reader takes, or a scan over the page limit, is
    refused here, before any work starts."""
    try:
        surveyed = readers.survey(data, filename)
    except DocumentError as error:
        raise ImportRefused(document_error_message(error)) from None
    if surveyed.ocr_pages is not None and surveyed.ocr_pages > settings.IMPORT_MAX_SCAN_PAGES:
        error = DocumentError("scan_too_long", pages=surveyed.ocr_pages, limit=settings.IMPORT_MAX_SCAN_PAGES)
        raise ImportRefused(document_error_message(error))
    return surveyed


def _move(import_id: int, *, where: dict | None = None, **changes) -> int:
    """Take an upload from one state to the next (``where`` says from which), stamped with the time:
    a stalled one is told by how long it has stood."""
    return PlanImport.objects.filter(pk=import_id, **(where or {})).update(**changes, updated_at=timezone.now())


def plan_upload_read(*, import_id: int) -> None:
    """Parse the document and resolve its units; the upload ends READY, FAILED (the document cannot be
    read) or, after an unexpected error, RECEIVED again to be retried, with the reason. A scan's
    progress moves page by page."""
    if not _move(import_id, where={"status": S.RECEIVED}, status=S.PARSING, progress=10):
        return
    staged = PlanImport.objects.get(pk=import_id)

    def progress(done: int, total: int) -> None:
        _move(import_id, where={"status": S.PARSING}, progress=10 + 85 * done // max(total, 1))

    try:
        preview = plan_import_preview(
            data=_data(staged), filename=staged.original_name, kind=staged.kind or None, progress=progress
        )
    except ImportRefused as error:
        _move(import_id, status=S.FAILED, progress=100, error=" ".join(error.messages))
        return
    except Exception:
        logger.exception("plan upload %s could not be read", import_id)
        _move(import_id, status=S.RECEIVED, progress=0, error=str(UNEXPECTED_READING))
        return
    _move(import_id, status=S.READY, progress=100, parsed=_stored(preview.parsed), warnings=preview.warnings, error="")


def staged_preview(staged: PlanImport) -> ImportPreview:
    """The import preview of an upload as staff have corrected it."""
    data = _data(staged)
    return preview_of(_parsed_plan(staged, data), data=data, filename=staged.original_name)


def _parsed_plan(staged: PlanImport, data: bytes) -> ParsedPlan:
    if staged.parsed.get("text_kept"):
        return ParsedPlan.from_dict(staged.parsed)
    return ParsedPlan.from_dict({**staged.parsed, "text": read_document(data, staged.original_name).text})


def _stored(parsed: ParsedPlan) -> dict:
    stored = parsed.as_dict()
    if not parsed.text_kept:
        stored.pop("text")  # the stored file holds it, quick to read again
    return stored


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@transaction.atomic
def plan_upload_correct(
    *,
    import_id: int,
    titles: dict[int, str],
    leads: dict[int, str],
    responsibles: dict[int, str],
    choices: dict[str, str],
    plan_fields: dict[str, str] | None = None,
) -> PlanImport:
    """Apply staff's corrections to the plan's fields, its tasks and their unit decisions; re-check the units.

    Only what a form sent is changed: a preview shown a page of tasks at a time sends that page's
    tasks and the decisions on the names they use, and the rest stays as it was.
    """
    plan_fields = plan_fields or {}
    staged = PlanImport.objects.select_for_update().get(pk=import_id)
    if staged.status != S.READY:
        raise ImportRefused(_("This import is no longer waiting for corrections."))
    typed = [*titles.values(), *leads.values(), *responsibles.values(), *choices, *choices.values()]
    typed += plan_fields.values()
    if any(_CONTROL.search(value) for value in typed):
        # PostgreSQL cannot keep a NUL in the parsed plan (JSON); nobody types one on purpose.
        raise ImportRefused(_("A correction holds a control character (such as NUL) that cannot be kept: retype it."))
    for name, value in choices.items():
        try:
            if value:
                unit_choice(value)
        except values.BadValue:
            raise ImportRefused(
                _("The decision on “%(name)s” is not one of those offered: choose again.") % {"name": name}
            ) from None
    shown = copy.deepcopy((staged.parsed, staged.unit_choices))
    _correct_plan_fields(staged.parsed, plan_fields)
    for index, task in enumerate(staged.parsed["tasks"]):
        if index in titles:
            if not titles[index].strip():
                raise ImportRefused(_("Task %(number)s needs a title.") % {"number": task["number"]})
            task["title"] = titles[index].strip()
        if index in leads:
            task["lead_units"] = units.split_names(leads[index])
        if index in responsibles:
            task["responsible_units"] = units.split_names(responsibles[index])
    merged = {**staged.unit_choices, **choices}
    staged.unit_choices = {name: choice for name, choice in merged.items() if choice}
    if (staged.parsed, staged.unit_choices) == shown:
        return staged  # sent back as it was shown: nothing to save
    staged.warnings = staged_preview(staged).warnings
    staged.error = ""
    staged.save(update_fields=["parsed", "unit_choices", "warnings", "error", "updated_at"])
    return staged


PLAN_TEXT_FIELDS = ("title", "doc_number", "issuer")


def _correct_plan_fields(parsed: dict, fields: dict[str, str]) -> None:
    """The plan's title, 文号, issuer and date as staff corrected them; a title cannot be emptied."""
    for name in PLAN_TEXT_FIELDS:
        if name in fields:
            parsed[name] = values.as_typed(fields[name], parsed[name] or "") or None
    if "title" in fields and not parsed["title"]:
        raise ImportRefused(_("The plan needs a title."))
    if "issued_on" in fields:
        try:
            issued = values.day(fields["issued_on"])
        except values.BadValue as error:
            raise ImportRefused(_("Issued on: %(reason)s") % {"reason": error.message}) from None
        parsed["issued_on"] = issued.isoformat() if issued else None


MEND_ACTIONS = ("make", "split", "merge", "drop")


@transaction.atomic
def plan_upload_mend(
    *, import_id: int, action: str, index: int | None = None, line: int | None = None, first=None, last=None, at=None
) -> int:
    """Make a task from source lines, split, merge or drop one (tasks/importing/mending.py); the index of
    the task the change leaves in view. ``line`` is the first line of task ``index`` as the page showed it:
    a preview changed since is refused rather than mended in the wrong place."""
    staged = PlanImport.objects.select_for_update().get(pk=import_id)
    if staged.status != S.READY:
        raise ImportRefused(_("This import is no longer waiting for corrections."))
    data = _data(staged)
    parsed = _parsed_plan(staged, data)
    if action != "make" and (index is None or index >= len(parsed.tasks) or parsed.tasks[index].line != line):
        raise ImportRefused(_("The preview has changed since this page was shown: look again and retry."))
    try:
        if action == "make":
            shown = mending.make_task(parsed, first, last)
        elif action == "split":
            mending.split_task(parsed, index, at)
            shown = index + 1
        elif action == "merge":
            mending.merge_task(parsed, index)
            shown = index - 1
        else:
            mending.drop_task(parsed, index)
            shown = max(index - 1, 0)
    except mending.MendRefused as refused:
        raise ImportRefused(mend_message(refused)) from None
    staged.parsed = _stored(parsed)
    staged.warnings = preview_of(parsed, data=data, filename=staged.original_name).warnings
    staged.error = ""
    staged.save(update_fields=["parsed", "warnings", "error", "updated_at"])
    return shown


CHOICE_KINDS = ("unit", "group")


def unit_choice(value: str) -> tuple[str, int | None]:
    """A decision on an unknown name: ("unit", id), ("group", id), ("skip", None) or ("create", None);
    BadValue for anything else."""
    kind, _sep, key = value.partition(":")
    if kind in CHOICE_KINDS:
        return kind, values.id_number(key)
    if kind in ("skip", "create") and not key:
        return kind, None
    raise values.BadValue(_("Not a decision on a unit: %(value)s.") % {"value": value})


def decided(choices: dict[str, str]) -> dict[str, tuple[str, int | None]]:
    """Stored decisions read (unit_choice); one that cannot be read leaves its name undecided."""
    found = {}
    for name, value in choices.items():
        try:
            found[name] = unit_choice(value)
        except values.BadValue:
            continue
    return found


def unit_choice_targets(choices: dict[str, str]) -> tuple[dict[str, Unit | UnitGroup | None], set[str]]:
    """Stored decisions ("unit:3", "group:2", "skip", "create") → targets, and the names to create. A
    unit or group gone since leaves its name undecided."""
    decisions = decided(choices)
    ids = {kind: {key for chosen, key in decisions.values() if chosen == kind} for kind in CHOICE_KINDS}
    found = {"unit": Unit.objects.in_bulk(ids["unit"]), "group": UnitGroup.objects.in_bulk(ids["group"])}
    targets: dict[str, Unit | UnitGroup | None] = {}
    create: set[str] = set()
    for name, (kind, key) in decisions.items():
        if kind in found and key in found[kind]:
            targets[name] = found[kind][key]
        elif kind == "skip":
            targets[name] = None
        elif kind == "create":
            create.add(name)
    return targets, create


def plan_upload_confirm(*, import_id: int, user) -> None:
    """Create the plan from a checked upload: at once for a small plan, else in a worker."""
    if not _move(import_id, where={"status": S.READY}, status=S.IMPORTING, progress=CONFIRMED):
        raise ImportRefused(_("This import is no longer waiting for confirmation."))
    staged = PlanImport.objects.get(pk=import_id)
    if len(staged.parsed["tasks"]) <= settings.IMPORT_INLINE_TASKS:
        plan_upload_import(import_id=import_id, user_id=user.pk)
    else:
        _queue("import_plan_upload", import_id, user.pk)


def plan_upload_import(*, import_id: int, user_id: int) -> None:
    """The import itself. A refusal (a unit not decided, say) or an unexpected error returns the upload
    to READY with the reason: nothing was imported, and it can be corrected, confirmed again or discarded."""
    if not _move(import_id, where={"status": S.IMPORTING, "progress": CONFIRMED}, progress=TAKEN):
        return
    staged = PlanImport.objects.get(pk=import_id)
    user = get_user_model().objects.filter(pk=user_id).first() or staged.created_by
    try:
        targets, create = unit_choice_targets(staged.unit_choices)
        preview = staged_preview(staged)
        result = plan_import_confirm(
            preview=preview,
            user=user,
            unit_choices=targets,
            # Only when every unknown name has a decision: then the rest are the ones to create.
            create_units=set(preview.unknown_names) <= set(targets) | create,
        )
    except ImportRefused as error:
        _move(import_id, status=S.READY, progress=0, error=" ".join(error.messages))
        return
    except Exception:
        logger.exception("plan upload %s could not be imported", import_id)
        _move(import_id, status=S.READY, progress=0, error=str(UNEXPECTED_IMPORTING))
        return
    _move(import_id, status=S.DONE, progress=100, plan=result.plan, error="")


def release_stalled_uploads() -> int:
    """Uploads a worker took up and did not finish within any job's time (the worker was killed, its
    machine stopped) go back to where they can go on, with the reason: to be read again, or to be
    confirmed again; an import is one transaction, so a plan was made whole or not at all. One that
    waits for a worker still waits: a queue may be long, and the job, once taken, is done once."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + STALL_GRACE_SECONDS)
    stalled = PlanImport.objects.filter(updated_at__lt=cutoff)
    read = stalled.filter(status=S.PARSING).update(
        status=S.RECEIVED, progress=0, error=str(STALLED_READING), updated_at=timezone.now()
    )
    imported = stalled.filter(status=S.IMPORTING, progress=TAKEN).update(
        status=S.READY, progress=0, error=str(STALLED_IMPORTING), updated_at=timezone.now()
    )
    return read + imported


def _data(staged: PlanImport) -> bytes:
    with staged.file.open("rb") as stored:
        return stored.read()


def _queue(job_name: str, *args) -> None:
    """A broker that is down leaves the upload waiting to be retried, not an error page."""
    from tasks import jobs

    publish_after_commit(getattr(jobs, job_name), *args)
