"""Supervision notices (督办单): issued by staff, answered by the unit, escalated when unanswered."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from tasks.choices import CLOSED_STATUSES, ChangeReason, NoticeGrade
from tasks.models import Assignment, NoticeEscalation, SupervisionNotice
from tasks.reminders.choices import Kind
from tasks.reminders.events import notice_event

# An unanswered notice moves up one grade; red is the last.
NEXT_GRADE = {NoticeGrade.BLUE: NoticeGrade.YELLOW, NoticeGrade.YELLOW: NoticeGrade.RED}


def notice_issue(*, assignment_id: int, user, grade: str, text: str, respond_by: datetime.date) -> SupervisionNotice:
    """A numbered notice to the assignment's unit. Numbers run from 1 each year, without gaps or twins."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff issue supervision notices."))
    assignment = Assignment.objects.filter(pk=assignment_id).first()
    if assignment is None:
        raise Assignment.DoesNotExist(_("No such assignment, or it is not yours to see."))
    if assignment.status in CLOSED_STATUSES:
        raise ValidationError(
            _("Work that is “%(status)s” needs no supervision notice.") % {"status": assignment.get_status_display()}
        )
    if grade not in NoticeGrade.values:
        raise ValidationError(_("Unknown grade: %(grade)s.") % {"grade": grade})
    if not text.strip():
        raise ValidationError(_("Say what the unit must do."))
    if respond_by < timezone.localdate():
        raise ValidationError(_("The date to respond by cannot be in the past."))
    year = timezone.localdate().year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = SupervisionNotice.objects.filter(year=year).aggregate(last=Max("sequence"))["last"] or 0
                notice = SupervisionNotice(
                    year=year,
                    sequence=last + 1,
                    assignment=assignment,
                    grade=grade,
                    issued_grade=grade,
                    text=text.strip(),
                    respond_by=respond_by,
                    issued_by=user,
                )
                notice._history_user = user
                notice.save()
                notice_event(notice, Kind.NOTICE_ISSUED, actor=user)
                return notice
        except IntegrityError:
            continue  # another notice took the number at the same moment: take the next
    raise ValidationError(_("Could not number the notice; try again."))


def _open_notice(notice_id: int, user) -> SupervisionNotice:
    """The notice, locked, if the user may see it and it is still open."""
    notice = (
        SupervisionNotice.objects.visible_to(user)
        .select_for_update(of=("self",))
        .select_related("assignment")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise SupervisionNotice.DoesNotExist(_("No such notice, or it is not yours to see."))
    if not notice.is_open:
        raise ValidationError(_("This notice is closed."))
    return notice


@transaction.atomic
def notice_respond(*, notice_id: int, user, text: str) -> SupervisionNotice:
    notice = _open_notice(notice_id, user)
    if not policy.can_act_for_unit(user, notice.assignment.unit_id):
        raise PermissionDenied(_("Only the unit the notice is addressed to responds."))
    if not text.strip():
        raise ValidationError(_("Write the response."))
    notice.response, notice.responded_at = text.strip(), timezone.now()
    notice._history_user = user
    notice.save(update_fields=["response", "responded_at"])
    notice_event(notice, Kind.NOTICE_ANSWERED, actor=user)
    return notice


@transaction.atomic
def notice_close(*, notice_id: int, user, reason: str) -> SupervisionNotice:
    """Close a notice once the unit has caught up."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff close supervision notices."))
    notice = _open_notice(notice_id, user)
    if not reason.strip():
        raise ValidationError(_("Say why the notice is closed."))
    notice.closed_at, notice.close_reason = timezone.now(), reason.strip()
    notice._history_user = user
    notice.save(update_fields=["closed_at", "close_reason"])
    return notice


def notices_escalate(*, today: datetime.date) -> int:
    """Move each open, unanswered notice past its date up one grade, with a new date to respond by.

    Each is moved by a conditional update on its grade and date, so a sweep run twice, or two
    at once, escalate a notice once. In the same transaction the raise is recorded (a NoticeEscalation
    for the timeline, a version in the notice's history) and the unit is told.
    """
    later = today + datetime.timedelta(days=settings.NOTICE_RESPONSE_DAYS)
    escalated = 0
    due = SupervisionNotice.objects.filter(
        closed_at__isnull=True, responded_at__isnull=True, respond_by__lt=today, grade__in=list(NEXT_GRADE)
    ).exclude(assignment__status__in=CLOSED_STATUSES)
    for notice in due:
        raised, now = NEXT_GRADE[notice.grade], timezone.now()
        with transaction.atomic():
            moved = SupervisionNotice.objects.filter(
                pk=notice.pk, grade=notice.grade, respond_by=notice.respond_by
            ).update(grade=raised, respond_by=later, escalated_at=now)
            if moved:
                NoticeEscalation.objects.create(
                    notice=notice, from_grade=notice.grade, to_grade=raised, respond_by=later, escalated_at=now
                )
                notice.grade, notice.respond_by, notice.escalated_at = raised, later, now
                # The update wrote no history of its own: its version is recorded as the platform's change.
                SupervisionNotice.history.bulk_history_create(
                    [notice], update=True, default_change_reason=ChangeReason.NOTICE_ESCALATED, default_date=now
                )
                notice_event(notice, Kind.NOTICE_ESCALATED)
        escalated += moved
    return escalated
