"""Progress reports and their evidence: written by the assignment's own unit, checked on the way in."""

import datetime
import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from reform import values
from reform.files import StorageFailed, save_upload
from tasks.choices import CLOSED_STATUSES, AssignmentRole
from tasks.choices import AssignmentStatus as S
from tasks.evidence import EXTENSIONS, safe_name, sniff
from tasks.models import Assignment, Evidence, Milestone, MilestoneCompletion, ProgressReport
from tasks.services.assignments import StaleObjectError, assignment_transition
from tasks.services.deliverables import chosen_deliverables, deliveries_make


def check_evidence(upload) -> tuple[str, str, int]:
    """(content type, SHA-256, size) of an acceptable evidence file; ValidationError otherwise."""
    name = safe_name(upload.name)
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; evidence files may be up to %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head, upload)
    if found is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, Word, Excel, image or OFD file (judged by its content).") % {"name": name}
        )
    if PurePath(name).suffix.lower() not in EXTENSIONS[found[0]]:
        raise ValidationError(
            _("“%(name)s” does not end as its content says it should (%(suffixes)s). Rename it and upload it again.")
            % {"name": name, "suffixes": "、".join(sorted(EXTENSIONS[found[0]]))}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return found[1], digest.hexdigest(), upload.size


def _check_period(period: str, today: datetime.date) -> None:
    try:
        values.month(period, latest=today)
    except values.BadValue as error:
        raise ValidationError(error.message) from None


@transaction.atomic
def progress_report_submit(
    *,
    assignment_id: int,
    user,
    period: str,
    text: str,
    percent: int,
    files=(),
    done: bool = False,
    combined: bool = False,
    delivers=(),
    expected_version: int | None = None,
) -> ProgressReport:
    """A unit's report on its assignment, with evidence; ``done`` submits the assignment for review.
    ``combined``: the lead unit reports on the whole task for all its units (汇总上报), which staff
    read, and review, as the task's. ``delivers``: the keys of the task's deliverables its files
    deliver (deliverables.Deliverable.key).

    Reporting on work not started starts it, and on returned work resumes it. Nothing is
    written unless every part is acceptable.
    """
    assignment = Assignment.objects.visible_to(user).select_for_update(of=("self",)).filter(pk=assignment_id).first()
    if assignment is None:
        raise Assignment.DoesNotExist(_("No such assignment, or it is not yours to see."))
    if not policy.can_act_for_unit(user, assignment.unit_id):
        raise PermissionDenied(_("Only the assignment's own unit reports on it."))
    if expected_version is not None and assignment.version != expected_version:
        raise StaleObjectError(
            _("Someone else has changed this assignment since you opened it. Reload the page and try again.")
        )
    if assignment.status == S.SUBMITTED or assignment.status in CLOSED_STATUSES:
        raise ValidationError(
            _("An assignment that is “%(status)s” takes no more reports.") % {"status": assignment.get_status_display()}
        )
    _check_period(period, timezone.localdate())
    if not 0 <= percent <= 100:
        raise ValidationError(_("The percent complete is between 0 and 100."))
    if not text.strip():
        raise ValidationError(_("Say what was done."))
    if combined and assignment.role != AssignmentRole.LEAD:
        raise ValidationError(_("Only the lead unit sends a combined report for the whole task."))
    checked = [(upload, check_evidence(upload)) for upload in files]
    delivered = chosen_deliverables(delivers, task_id=assignment.task_id, with_files=bool(files))

    move = {S.NOT_STARTED: "start", S.RETURNED: "resume"}.get(assignment.status)
    if move:
        assignment_transition(assignment_id=assignment.pk, user=user, action=move)
    report = ProgressReport(
        assignment=assignment, period=period, text=text.strip(), percent=percent, combined=combined, author=user
    )
    report._history_user = user
    report.save()
    if period >= assignment.latest_period:
        Assignment.objects.filter(pk=assignment.pk).update(latest_period=period, latest_percent=percent)
    deliveries_make(_attach(report, checked, user), delivered, user=user)
    if done:
        assignment_transition(assignment_id=assignment.pk, user=user, action="submit", comment=text.strip())
    return report


def _attach(report: ProgressReport, checked, user) -> list[Evidence]:
    """Keep checked files as the report's evidence."""
    kept = []
    for upload, (content_type, sha256, size) in checked:
        evidence = Evidence(
            report=report,
            original_name=safe_name(upload.name),
            size=size,
            sha256=sha256,
            content_type=content_type,
            uploaded_by=user,
        )
        suffix = PurePath(evidence.original_name).suffix.lower()  # one check_evidence allowed
        try:
            # A generated name on disk; the name the user gave is kept only in the row.
            save_upload(evidence.file, uuid.uuid4().hex + suffix, upload, shown_name=evidence.original_name)
        except StorageFailed:
            for earlier in kept:  # the report is not kept: neither are the files saved for it
                earlier.file.delete(save=False)
            raise
        evidence._history_user = user
        evidence.save()
        kept.append(evidence)
    return kept


@transaction.atomic
def evidence_add(*, report_id: int, user, files) -> list[Evidence]:
    """More evidence for a report already made, by its unit, while the work is still open to it."""
    report = ProgressReport.objects.visible_to(user).select_related("assignment").filter(pk=report_id).first()
    if report is None:
        raise ProgressReport.DoesNotExist(_("No such report, or it is not yours to see."))
    assignment = report.assignment
    if not policy.can_act_for_unit(user, assignment.unit_id):
        raise PermissionDenied(_("Only the assignment's own unit adds evidence to its reports."))
    if assignment.status in CLOSED_STATUSES:
        raise ValidationError(
            _("Evidence cannot be added to work that is “%(status)s”.") % {"status": assignment.get_status_display()}
        )
    if not files:
        raise ValidationError(_("Choose a file to upload."))
    return _attach(report, [(upload, check_evidence(upload)) for upload in files], user)


@transaction.atomic
def evidence_delete(*, evidence_id: int, user) -> None:
    """Withdraw an evidence file before the work is accepted; the deletion stays in history."""
    evidence = Evidence.objects.visible_to(user).select_related("report__assignment").filter(pk=evidence_id).first()
    if evidence is None:
        raise Evidence.DoesNotExist(_("No such file, or it is not yours to see."))
    assignment = evidence.report.assignment
    if not policy.can_act_for_unit(user, assignment.unit_id):
        raise PermissionDenied(_("Only the assignment's own unit withdraws its evidence."))
    if assignment.status in CLOSED_STATUSES:
        raise ValidationError(
            _("Evidence of work that is “%(status)s” cannot be deleted.") % {"status": assignment.get_status_display()}
        )
    evidence._history_user = user
    evidence.delete()


@transaction.atomic
def milestone_mark_done(*, assignment_id: int, milestone_id: int, user, note: str = "") -> MilestoneCompletion:
    """The unit records that it has done one milestone of its task."""
    assignment = Assignment.objects.visible_to(user).filter(pk=assignment_id).first()
    if assignment is None:
        raise Assignment.DoesNotExist(_("No such assignment, or it is not yours to see."))
    if not policy.can_act_for_unit(user, assignment.unit_id):
        raise PermissionDenied(_("Only the assignment's own unit reports on it."))
    if assignment.status in CLOSED_STATUSES:
        raise ValidationError(
            _("An assignment that is “%(status)s” is closed.") % {"status": assignment.get_status_display()}
        )
    milestone = Milestone.objects.filter(pk=milestone_id, task_id=assignment.task_id).first()
    if milestone is None:
        raise ValidationError(_("That milestone is not one of this task's."))
    done, created = MilestoneCompletion.objects.get_or_create(
        assignment=assignment, milestone=milestone, defaults={"note": note.strip(), "done_by": user}
    )
    if not created:
        raise ValidationError(_("This milestone is already marked done."))
    return done
