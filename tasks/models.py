"""The reform domain: plans, their sections and tasks, milestones, assignments, reports.

History (who changed what, when, before and after) is kept by django-simple-history for
every model whose past a page or report may be asked "as of" a date.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from orgs.models import Unit, UnitGroup
from tasks.choices import (
    AssignmentRole,
    AssignmentStatus,
    ExtensionStatus,
    ImportStatus,
    NoticeGrade,
    PlanKind,
    Recurrence,
)
from tasks.querysets import VisibleQuerySet

period_validator = RegexValidator(r"^[0-9]{4}-(0[1-9]|1[0-2])$", _("Enter a month as YYYY-MM, e.g. 2021-03."))


class Plan(models.Model):
    """A reform plan or rectification list, as published, with its source kept verbatim."""

    title = models.CharField(_("title"), max_length=300)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices, default=PlanKind.REFORM)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    source_name = models.CharField(_("source file name"), max_length=255, blank=True)
    source_file = models.FileField(_("source file"), upload_to="plans/%Y/", blank=True)
    source_text = models.TextField(_("source text"), blank=True)
    source_sha256 = models.CharField(_("source SHA-256"), max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["source_text"])
    objects = VisibleQuerySet.as_manager()
    access_unit_path = "tasks__assignments__unit"

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PlanKind.values), name="plan_kind_valid"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=models.F("period_end")),
                name="plan_period_ordered",
            ),
            # One plan per document: two imports of the same file at once cannot both win.
            models.UniqueConstraint(
                fields=["source_sha256"], condition=~Q(source_sha256=""), name="plan_source_unique"
            ),
        ]

    def __str__(self):
        return self.title


class Section(models.Model):
    """A heading of the plan (一、 or (一)) under which tasks stand."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveIntegerField(_("position"))

    objects = VisibleQuerySet.as_manager()
    access_unit_path = "plan__tasks__assignments__unit"

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="section_position_unique")]

    def __str__(self):
        return f"{self.number}{self.title}"


class Task(models.Model):
    """A numbered task of a plan: its number as printed, heading sentence and full text."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    position = models.PositiveIntegerField(_("position"))
    due = models.DateField(_("due"), null=True, blank=True)
    due_inherited = models.BooleanField(
        _("due date inherited from the plan"),
        default=False,
        help_text=_("The task names no date of its own and is due at the end of the plan."),
    )
    recurrence = models.CharField(_("recurrence"), max_length=20, choices=Recurrence.choices, blank=True)
    source_line = models.PositiveIntegerField(_("line in the source document"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("A revised plan no longer lists the task; it is kept with the work reported on it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = VisibleQuerySet.as_manager()
    access_unit_path = "assignments__unit"

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="task_position_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Milestone(models.Model):
    """A dated step of a task ("2021年出台《…负面清单》") and the documents it must deliver."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField(_("position"))
    due = models.DateField(_("due"), null=True, blank=True)
    text = models.TextField(_("what must be done"))
    deliverables = models.JSONField(_("deliverables"), default=list, blank=True)

    history = HistoricalRecords()
    objects = VisibleQuerySet.as_manager()
    access_unit_path = "task__assignments__unit"

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "position"]
        constraints = [models.UniqueConstraint(fields=["task", "position"], name="milestone_position_unique")]

    def __str__(self):
        return self.text[:60]


class Assignment(models.Model):
    """One unit's share of a task, in the role the plan gives it, and how far it has got.

    ``status`` is changed only by the transition services in ``tasks.services``;
    ``version`` grows with every change so that a stale form can be refused.
    """

    # No index of their own: (task, unit, role) and (unit, status) lead with them.
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments", db_index=False
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.NOT_STARTED
    )
    via_group = models.ForeignKey(
        UnitGroup,
        verbose_name=_("assigned through group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    printed_name = models.CharField(_("name as printed"), max_length=100, blank=True)
    due = models.DateField(
        _("extended due date"),
        null=True,
        blank=True,
        help_text=_("Set when an extension is approved; until then the task's due date applies."),
    )
    # The latest progress report, kept here by progress_report_submit so that lists of thousands of
    # assignments need not look each one up (the reports themselves are the record).
    latest_period = models.CharField(_("latest period reported"), max_length=7, blank=True)
    latest_percent = models.PositiveSmallIntegerField(_("latest percent reported"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["latest_period", "latest_percent"])
    objects = VisibleQuerySet.as_manager()
    access_unit_path = "unit"

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task", "role", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "role"], name="assignment_unique_per_role"),
            models.CheckConstraint(condition=Q(role__in=AssignmentRole.values), name="assignment_role_valid"),
            models.CheckConstraint(condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="assignment_unit_status"),
            # Own due dates are the few extended ones: the range of deadline years reads them at once.
            models.Index(fields=["due"], name="assignment_own_due", condition=Q(due__isnull=False)),
            # The review queue, oldest submission first, and its count in every staff page's menu.
            models.Index(
                fields=["status_changed_at", "id"],
                name="assignment_awaiting_review",
                condition=Q(status="submitted"),
            ),
            # The tasks a unit leads (in every reporter's view of the work: orgs.policy.led_tasks),
            # read off the index alone rather than out of the unit's thousand assignments.
            models.Index(fields=["unit", "task", "status"], name="assignment_led", condition=Q(role="lead")),
        ]

    def __str__(self):
        return f"{self.task} · {self.unit}"

    @property
    def effective_due(self):
        """The date this unit's share is due: its approved extension, else the task's."""
        return self.due or self.task.due


class MilestoneCompletion(models.Model):
    """A unit marks one milestone of its task done (its deliverable issued, its step taken)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="completions"
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="completions"
    )
    note = models.TextField(_("note"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    access_unit_path = "assignment__unit"

    class Meta:
        verbose_name = _("milestone completion")
        verbose_name_plural = _("milestone completions")
        ordering = ["-done_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["assignment", "milestone"], name="milestone_done_once_per_unit")]

    def __str__(self):
        return f"{self.assignment} · {self.milestone}"


class StatusChange(models.Model):
    """One move of an assignment's status: who, when, from, to, and why. Append-only."""

    # No index of its own: (assignment, created_at) leads with it.
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="status_changes",
        db_index=False,
    )
    from_status = models.CharField(_("from"), max_length=20, choices=AssignmentStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=AssignmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    access_unit_path = "assignment__unit"

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["assignment", "created_at", "pk"]
        indexes = [
            models.Index(fields=["-created_at"], name="status_change_newest"),
            # A few units' latest reviews (a narrow dashboard's activity): each unit's newest at once.
            models.Index(fields=["assignment", "created_at"], name="status_change_assignment_at"),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ProgressReport(models.Model):
    """A unit's report on an assignment for one period (月报)."""

    # No index of its own: (assignment, period) leads with it.
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="reports", db_index=False
    )
    period = models.CharField(_("period"), max_length=7, validators=[period_validator])
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("percent complete"), validators=[MaxValueValidator(100)])
    combined = models.BooleanField(
        _("combined report for the task"),
        default=False,
        help_text=_("The lead unit's report on the whole task, for all its units (汇总上报)."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = VisibleQuerySet.as_manager()
    access_unit_path = "assignment__unit"

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["assignment", "-period", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_at_most_100")]
        indexes = [
            models.Index(fields=["assignment", "period"], name="report_assignment_period"),
            # Who had reported for a month by a past day (a dashboard as of then).
            models.Index(fields=["period", "assignment"], name="report_period_assignment"),
            # The latest activity of a dashboard: the newest reports first; for a few units' work, each
            # unit's newest at once.
            models.Index(fields=["-created_at"], name="report_newest"),
            # The newest of some assignments' reports (a task's timeline) read off the index alone:
            # their ids first, then the few rows shown.
            models.Index(fields=["assignment", "created_at", "id"], name="report_assignment_at"),
            # A task's latest combined report (汇总上报), the few among its units' thousands.
            models.Index(fields=["assignment", "period"], condition=Q(combined=True), name="report_combined"),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.period}"


class Evidence(models.Model):
    """A file supporting a progress report (佐证材料), stored under a generated name."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = VisibleQuerySet.as_manager()
    access_unit_path = "report__assignment__unit"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report", "pk"]

    def __str__(self):
        return self.original_name


class Delivery(models.Model):
    """An evidence file that delivers one deliverable a milestone names (《…负面清单》): the task's
    deliverable is delivered once a file of any of its units delivers it."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="deliveries"
    )
    deliverable = models.CharField(_("deliverable"), max_length=500)
    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="deliveries"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("delivered at"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    access_unit_path = "evidence__report__assignment__unit"

    class Meta:
        verbose_name = _("deliverable delivered")
        verbose_name_plural = _("deliverables delivered")
        ordering = ["milestone", "deliverable", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "deliverable", "evidence"], name="delivered_once_by_a_file")
        ]

    def __str__(self):
        return f"《{self.deliverable}》 · {self.evidence}"


class ExtensionRequest(models.Model):
    """A unit asks for more time on its assignment (延期申请); staff approve or refuse."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="extensions"
    )
    reason = models.TextField(_("reason"))
    proposed_due = models.DateField(_("proposed due date"))
    previous_due = models.DateField(_("due date before"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_comment = models.TextField(_("decision"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    access_unit_path = "assignment__unit"

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExtensionStatus.values), name="extension_status_valid"),
            # One open request per assignment: a second waits for the first to be decided.
            models.UniqueConstraint(fields=["assignment"], condition=Q(status="pending"), name="extension_one_pending"),
        ]

    def __str__(self):
        return f"{self.assignment} → {self.proposed_due}"


class SupervisionNotice(models.Model):
    """A numbered supervision notice (督办单) to a unit about its assignment."""

    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="notices"
    )
    # Its grade now, raised while unanswered (each raise a NoticeEscalation), and the grade it was issued at.
    grade = models.CharField(_("grade"), max_length=10, choices=NoticeGrade.choices)
    issued_grade = models.CharField(_("grade at issue"), max_length=10, choices=NoticeGrade.choices)
    text = models.TextField(_("requirements"))
    respond_by = models.DateField(_("respond by"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("why closed"), blank=True)

    history = HistoricalRecords()
    objects = VisibleQuerySet.as_manager()
    access_unit_path = "assignment__unit"

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="notice_number_unique"),
            models.CheckConstraint(condition=Q(grade__in=NoticeGrade.values), name="notice_grade_valid"),
        ]
        # The open notices, counted in every staff page's menu; the closed ones are most of them.
        indexes = [models.Index(fields=["respond_by"], name="notice_open", condition=Q(closed_at__isnull=True))]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"督办〔{self.year}〕{self.sequence}号"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class NoticeEscalation(models.Model):
    """A notice raised one grade for want of an answer by its date, with the new date. Append-only."""

    notice = models.ForeignKey(
        SupervisionNotice, verbose_name=_("supervision notice"), on_delete=models.CASCADE, related_name="escalations"
    )
    from_grade = models.CharField(_("from"), max_length=10, choices=NoticeGrade.choices)
    to_grade = models.CharField(_("to"), max_length=10, choices=NoticeGrade.choices)
    respond_by = models.DateField(_("respond by"))
    escalated_at = models.DateTimeField(_("escalated at"), default=timezone.now)

    objects = VisibleQuerySet.as_manager()
    access_unit_path = "notice__assignment__unit"

    class Meta:
        verbose_name = _("notice escalation")
        verbose_name_plural = _("notice escalations")
        ordering = ["escalated_at", "pk"]

    def __str__(self):
        return f"{self.notice} → {self.get_to_grade_display()}"


class Instruction(models.Model):
    """A leader's instruction (批示) on a task, or on one unit's share of it."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="instructions")
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="instructions",
    )
    text = models.TextField(_("instruction"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    access_unit_path = "task__assignments__unit"

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:60]


class PlanImport(models.Model):
    """A plan document on its way in: uploaded, read, checked and corrected by staff, confirmed.

    The row carries the work's state for the page that shows it; a worker takes it
    from one state to the next with a conditional update, so it is never done twice.
    """

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.RECEIVED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    parsed = models.JSONField(_("parsed plan"), null=True, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    unit_choices = models.JSONField(_("unit decisions"), default=dict, blank=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="plan_import_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="plan_import_progress_at_most_100"),
        ]

    def __str__(self):
        return self.original_name


class ReportingRound(models.Model):
    """A month's reporting round (月报): every unit with work owing reports on the period by the
    deadline. Open, its missing list is worked out from the reports; closed, its summary is filed
    (RoundReturn) and stays as it was on that day."""

    period = models.CharField(_("month reported on"), max_length=7, unique=True, validators=[period_validator])
    deadline = models.DateField(_("deadline"))
    note = models.TextField(_("note"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the round opened by itself on the configured day."),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-period"]

    def __str__(self):
        return self.period

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class RoundReturn(models.Model):
    """One unit's line of a closed round's summary: how much of its work owed the report, how much
    was reported, and how late the last of it came."""

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("reporting round"), on_delete=models.CASCADE, related_name="returns"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    owed = models.PositiveIntegerField(_("work owing the report"))
    reported = models.PositiveIntegerField(_("work reported"))
    completed_at = models.DateTimeField(_("all reported at"), null=True, blank=True)
    days_late = models.PositiveIntegerField(
        _("days late"), null=True, blank=True, help_text=_("Empty: not all of the work was reported.")
    )

    objects = VisibleQuerySet.as_manager()
    access_unit_path = "unit"

    class Meta:
        verbose_name = _("round return")
        verbose_name_plural = _("round returns")
        ordering = ["round", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="round_return_once_per_unit")]

    def __str__(self):
        return f"{self.round} · {self.unit}"


class Question(models.Model):
    """A unit's question to the office about its work (咨询): in staff's queue until answered, the
    answer told to the unit."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    access_unit_path = "assignment__unit"

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-asked_at", "-pk"]
        indexes = [
            # Staff's queue: the questions not yet answered, oldest first.
            models.Index(fields=["asked_at"], condition=Q(answered_at__isnull=True), name="question_unanswered"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""), name="question_answered_with_text"
            )
        ]

    def __str__(self):
        return self.text[:60]
