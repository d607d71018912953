"""Notifications of events as they happen: staff hear of work submitted for review, a unit of
work returned to it. Recorded in the transaction of the event, sent after its commit."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from orgs.choices import Role
from orgs.models import User
from tasks.models import Assignment
from tasks.reminders import records
from tasks.reminders.choices import Kind
from tasks.reminders.messages import WorkFacts, event_message
from tasks.reminders.recipients import Recipients


def assignment_event(assignment: Assignment, kind: str, *, actor, comment: str = "") -> int:
    """Record the notifications of a submission or a return; ``assignment`` has its task loaded."""
    if kind == Kind.SUBMITTED:
        people = Recipients.load(User.objects.filter(is_active=True, role=Role.STAFF))
        users, bots = people.with_role(Role.STAFF), ()
    else:
        people = Recipients.load(User.objects.filter(is_active=True, role=Role.REPORTER, unit_id=assignment.unit_id))
        users, bots = people.reporters_of(assignment.unit_id), (assignment.unit_id,)
    task = assignment.task
    facts = WorkFacts(
        task.pk, f"{task.number}. {task.title}", task.plan.title, assignment.unit.name, assignment.effective_due
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = event_message(kind, facts, actor=str(actor), comment=comment)
    return records.record(
        records.build(
            people.addressed(users, bot_units=bots),
            message=message,
            link=reverse("tasks:task_detail", args=[task.pk]),
            kind=kind,
            unit_id=assignment.unit_id,
            assignment_id=assignment.pk,
            milestone_id=None,
            subject_key=f"assignment:{assignment.pk}",
            key_date=timezone.localdate(),
            # Each event moves the assignment to a new version: the key of this one.
            step=assignment.version,
        )
    )
