"""Notifications of events as they happen, each to whoever must act on it next: staff hear of work
submitted, a notice answered, an extension asked, a unit's question (a review waiting too long, from the
sweep); a unit hears of its work returned, accepted or reopened, a notice issued or raised, an extension
decided, its question answered; a leader's
instruction reaches the unit and staff. Recorded in the transaction of the event, sent after its
commit; each event's key (its subject and step) makes a repeat of it record nothing."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from orgs.choices import Role
from orgs.models import User
from tasks.choices import AssignmentStatus
from tasks.models import Assignment, ExtensionRequest, Instruction, Question, SupervisionNotice, Task
from tasks.reminders import records
from tasks.reminders.choices import Kind
from tasks.reminders.messages import WorkFacts, event_message
from tasks.reminders.recipients import Recipients

# Events about one unit's work that staff act on next; the unit acts on the rest.
TO_STAFF = frozenset({Kind.SUBMITTED, Kind.NOTICE_ANSWERED, Kind.EXTENSION_ASKED, Kind.QUESTION_ASKED})


@dataclass(frozen=True)
class Event:
    """What happened, to which work, and the key that makes it recorded once."""

    kind: str
    task: object  # the Task, its plan loaded
    subject_key: str
    step: int
    actor: str = ""


def assignment_event(assignment: Assignment, kind: str, *, actor, comment: str = "") -> int:
    """A transition of the assignment (task and unit loaded): each moves it to a new version, the step."""
    event = Event(kind, assignment.task, f"assignment:{assignment.pk}", assignment.version, str(actor))
    return _work_event(event, assignment, reason=comment)


# A notice's steps: issued, raised to yellow, raised to red, answered.
NOTICE_STEPS = {Kind.NOTICE_ISSUED: 0, Kind.NOTICE_ANSWERED: 3}
GRADE_STEPS = {"yellow": 1, "red": 2}


def notice_event(notice: SupervisionNotice, kind: str, *, actor="") -> int:
    """A supervision notice issued, raised a grade (by the sweep: no actor) or answered."""
    assignment = _loaded(notice.assignment_id)
    step = GRADE_STEPS.get(notice.grade, 0) if kind == Kind.NOTICE_ESCALATED else NOTICE_STEPS[kind]
    # Answered and closed on the task's page, where its unit's card shows it.
    event = Event(kind, assignment.task, f"notice:{notice.pk}", step, str(actor))
    return _work_event(
        event,
        assignment,
        notice=notice.number,
        grade=notice.get_grade_display(),
        text=notice.response if kind == Kind.NOTICE_ANSWERED else notice.text,
        respond_by=notice.respond_by,
    )


def extension_event(request: ExtensionRequest, kind: str, *, actor) -> int:
    """An extension asked (step 0) or decided (step 1)."""
    assignment = _loaded(request.assignment_id)
    asked = kind == Kind.EXTENSION_ASKED
    event = Event(kind, assignment.task, f"extension:{request.pk}", 0 if asked else 1, str(actor))
    return _work_event(
        event,
        assignment,
        previous=request.previous_due or "—",
        proposed=request.proposed_due,
        reason=request.reason if asked else request.decision_comment,
        decision=request.get_status_display(),
    )


def question_event(question: Question, kind: str, *, actor) -> int:
    """A unit's question asked (step 0, to staff, with its words) or answered (step 1, to the unit)."""
    assignment = _loaded(question.assignment_id)
    asked = kind == Kind.QUESTION_ASKED
    event = Event(kind, assignment.task, f"question:{question.pk}", 0 if asked else 1, str(actor))
    return _work_event(event, assignment, text=question.text if asked else question.answer)


def instruction_event(instruction: Instruction) -> int:
    """A leader's instruction: to the unit it names, or every unit of the task with its work not
    cancelled, and to staff."""
    task = Task.objects.select_related("plan").get(pk=instruction.task_id)
    event = Event(Kind.INSTRUCTION, task, f"instruction:{instruction.pk}", 0, str(instruction.author))
    if instruction.assignment_id:
        share = _loaded(instruction.assignment_id)
        about = (share.unit_id, share.pk)
        return _recorded(event, share.unit.name, [about], staff_about=about, text=instruction.text)
    shares = Assignment.objects.filter(task=task).exclude(status=AssignmentStatus.CANCELLED).order_by("pk")
    units = list(shares.values_list("unit_id", "pk"))
    return _recorded(event, "", units, staff_about=(None, None), text=instruction.text)


def _loaded(assignment_id: int) -> Assignment:
    return Assignment.objects.select_related("task__plan", "unit").get(pk=assignment_id)


def _work_event(event: Event, assignment: Assignment, **details) -> int:
    """An event about one unit's work, to staff or to the unit by its kind."""
    if event.kind in TO_STAFF:
        return _recorded(event, assignment.unit.name, [], staff_about=(assignment.unit_id, assignment.pk), **details)
    return _recorded(event, assignment.unit.name, [(assignment.unit_id, assignment.pk)], **details)


def _recorded(event: Event, unit_name: str, units, *, staff_about=None, **details) -> int:
    """Record the event's message to the reporters and bot of each (unit, assignment) of ``units``, and
    to staff where ``staff_about`` gives the (unit, assignment) it is about (either may be None)."""
    task = event.task
    unit_ids = [unit_id for unit_id, _assignment in units]
    people = Q(role=Role.REPORTER, unit_id__in=unit_ids)
    if staff_about is not None:
        people |= Q(role=Role.STAFF)
    recipients = Recipients.load(User.objects.filter(people, is_active=True))
    facts = WorkFacts(task.pk, f"{task.number}. {task.title}", task.plan.title, unit_name, None)
    with translation.override(settings.LANGUAGE_CODE):
        message = event_message(event.kind, facts, actor=event.actor, **details)
    about = {
        "message": message,
        "link": reverse("tasks:task_detail", args=[task.pk]),
        "kind": event.kind,
        "milestone_id": None,
        "subject_key": event.subject_key,
        "key_date": timezone.localdate(),
        "step": event.step,
    }
    made = []
    for unit_id, assignment_id in units:
        addressed = recipients.addressed(recipients.reporters_of(unit_id), bot_units=(unit_id,))
        made += records.build(addressed, unit_id=unit_id, assignment_id=assignment_id, **about)
    if staff_about is not None:
        unit_id, assignment_id = staff_about
        addressed = recipients.addressed(recipients.with_role(Role.STAFF))
        made += records.build(addressed, unit_id=unit_id, assignment_id=assignment_id, **about)
    return records.record(made)
