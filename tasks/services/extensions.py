"""Extensions (延期申请): a unit asks for a later date, staff decide; the decision is on the timeline."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from tasks.choices import CLOSED_STATUSES, ChangeReason, ExtensionStatus
from tasks.models import Assignment, ExtensionRequest
from tasks.reminders.choices import Kind
from tasks.reminders.events import extension_event


@transaction.atomic
def extension_request(*, assignment_id: int, user, reason: str, proposed_due: datetime.date) -> ExtensionRequest:
    assignment = Assignment.objects.visible_to(user).select_related("task").filter(pk=assignment_id).first()
    if assignment is None:
        raise Assignment.DoesNotExist(_("No such assignment, or it is not yours to see."))
    if not policy.can_act_for_unit(user, assignment.unit_id):
        raise PermissionDenied(_("Only the assignment's own unit asks for an extension."))
    if assignment.status in CLOSED_STATUSES:
        raise ValidationError(
            _("Work that is “%(status)s” needs no extension.") % {"status": assignment.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError(_("Give a reason for the extension."))
    current = assignment.effective_due
    if proposed_due < timezone.localdate() or (current and proposed_due <= current):
        raise ValidationError(
            _("The new date must be after the current due date (%(due)s) and not in the past.")
            % {"due": current or "—"}
        )
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                assignment=assignment,
                reason=reason.strip(),
                proposed_due=proposed_due,
                previous_due=current,
                requested_by=user,
            )
    except IntegrityError:
        raise ValidationError(
            _("An extension request for this assignment is already waiting for a decision.")
        ) from None
    extension_event(request, Kind.EXTENSION_ASKED, actor=user)
    return request


@transaction.atomic
def extension_decide(*, request_id: int, user, approve: bool, comment: str = "") -> ExtensionRequest:
    """Approve (the assignment becomes due on the proposed date) or refuse (with a reason)."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff decide on extensions."))
    request = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("assignment")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise ExtensionRequest.DoesNotExist(_("No such extension request."))
    if request.status != ExtensionStatus.PENDING:
        raise ValidationError(_("This request has been decided already."))
    if not approve and not comment.strip():
        raise ValidationError(_("Give a reason for refusing."))
    if approve:
        assignment = Assignment.objects.select_for_update(of=("self",)).get(pk=request.assignment_id)
        assignment.due = request.proposed_due
        assignment.version += 1
        assignment._history_user = user
        assignment._change_reason = ChangeReason.EXTENSION_APPROVED
        assignment.save(update_fields=["due", "version", "updated_at"])
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by, request.decided_at, request.decision_comment = user, timezone.now(), comment.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    extension_event(request, Kind.EXTENSION_DECIDED, actor=user)
    return request
