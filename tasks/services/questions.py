"""Units' questions to the office (咨询): asked by the unit about its own work, answered by staff once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs import policy
from reform import values
from tasks.choices import AssignmentStatus
from tasks.models import Assignment, Question
from tasks.reminders.choices import Kind
from tasks.reminders.events import question_event

# A question is a few lines; a longer text belongs in a report or an attached file.
MAX_LENGTH = 2000


def _words(text: str, empty_message) -> str:
    text = values.tidy_text(text or "")  # a browser's CR LF is one line break, not two characters
    if not text:
        raise ValidationError(empty_message)
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("Keep it to %(limit)s characters (this is %(length)s).") % {"limit": MAX_LENGTH, "length": len(text)}
        )
    return text


@transaction.atomic
def question_ask(*, assignment_id: int, user, text: str) -> Question:
    """The unit asks the office about its own work; staff hear of it and find it in their queue."""
    assignment = Assignment.objects.visible_to(user).filter(pk=assignment_id).first()
    if assignment is None:
        raise Assignment.DoesNotExist(_("No such assignment, or it is not yours to see."))
    if not policy.can_act_for_unit(user, assignment.unit_id):
        raise PermissionDenied(_("Only the unit the work is assigned to asks about it."))
    if assignment.status == AssignmentStatus.CANCELLED:
        raise ValidationError(_("This work is cancelled: there is nothing to ask about it."))
    question = Question.objects.create(
        assignment=assignment, text=_words(text, _("Write the question.")), asked_by=user
    )
    question_event(question, Kind.QUESTION_ASKED, actor=user)
    return question


@transaction.atomic
def question_answer(*, question_id: int, user, text: str) -> Question:
    """Staff answer a question once; the unit hears the answer."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff answer units' questions."))
    question = Question.objects.select_for_update().filter(pk=question_id).first()
    if question is None:
        raise Question.DoesNotExist(_("No such question."))
    if question.answered_at is not None:
        raise ValidationError(
            _("This question was answered already, by %(who)s on %(day)s.")
            % {"who": question.answered_by, "day": timezone.localdate(question.answered_at).isoformat()}
        )
    question.answer = _words(text, _("Write the answer."))
    question.answered_by, question.answered_at = user, timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    question_event(question, Kind.QUESTION_ANSWERED, actor=user)
    return question
