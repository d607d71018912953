from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    REFORM = "reform", _("Reform plan")
    RECTIFICATION = "rectification", _("Rectification list")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    RESPONSIBLE = "responsible", _("Responsible unit")


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted for review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    # Staff take a unit off a task it should never have had, or that the plan no longer asks of it;
    # its reports stay on record.
    CANCELLED = "cancelled", _("Cancelled")


class ChangeReason(models.TextChoices):
    """Why the platform itself changed a record: kept in the history as the code, shown by its label
    (a reason a staff member typed is kept and shown as typed)."""

    EDITED = "edited", _("edited")
    REVISED = "revised", _("revised with a new version of the plan")
    WITHDRAWN = "withdrawn in a revision", _("withdrawn by a new version of the plan")
    EXTENSION_APPROVED = "extension approved", _("extension approved")
    ASSIGNED = "assigned by staff", _("assigned by staff")
    REMOVED = "removed by staff", _("removed by staff")
    NOTICE_ESCALATED = "notice escalated", _("raised a grade: not answered by its date")


# No more reports, reminders or notices for work in these states.
CLOSED_STATUSES = frozenset({AssignmentStatus.ACCEPTED, AssignmentStatus.CANCELLED})


class NoticeGrade(models.TextChoices):
    """督办单 grades, from the mildest; an unanswered notice moves up one."""

    BLUE = "blue", _("Blue: deadline near")
    YELLOW = "yellow", _("Yellow: behind schedule or poor quality")
    RED = "red", _("Red: overdue")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ImportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PARSING = "parsing", _("Reading the document")
    READY = "ready", _("Ready to check")
    FAILED = "failed", _("Could not be read")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")


class Recurrence(models.TextChoices):
    YEARLY = "yearly", _("Every year")
