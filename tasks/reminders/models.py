from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from orgs.models import Unit
from tasks.models import Assignment, Milestone
from tasks.reminders.choices import Channel, DeliveryStatus, Kind, WebhookFlavour
from tasks.reminders.rules import Rules


def default_days_before() -> list[int]:
    return list(Rules.days_before)


def validate_days_before(value):
    if not isinstance(value, list) or not all(isinstance(day, int) and 0 <= day <= 365 for day in value):
        raise ValidationError(_("Give whole numbers of days from 0 to 365."))


class ReminderSettings(models.Model):
    """The reminder rules: one row, edited by staff."""

    days_before = models.JSONField(
        _("days before a deadline"),
        default=default_days_before,
        validators=[validate_days_before],
        help_text=_("0 is the day itself."),
    )
    overdue_every = models.PositiveSmallIntegerField(
        _("remind overdue work every so many days"),
        default=Rules.overdue_every,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("escalate after so many days overdue"),
        default=Rules.escalate_after,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    report_day = models.PositiveSmallIntegerField(
        _("day of the month for progress reports"),
        default=Rules.report_day,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("In shorter months, the month's last day."),
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekday of the weekly digest"),
        default=Rules.digest_weekday,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    round_open_day = models.PositiveSmallIntegerField(
        _("day the month's reporting round opens"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Empty: staff open each round themselves. In shorter months, the month's last day."),
    )
    round_deadline_day = models.PositiveSmallIntegerField(
        _("day a reporting round is due"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("The first such day on or after the round opens: in the next month if it falls earlier."),
    )
    workdays_only = models.BooleanField(
        _("only on working days"),
        default=Rules.workdays_only,
        help_text=_("Reminders falling on a weekend or public holiday move to the next working day."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder rules")
        verbose_name_plural = _("reminder rules")

    def __str__(self):
        return str(_("Reminder rules"))

    @classmethod
    def current(cls) -> "ReminderSettings":
        """The saved rules, or the defaults (unsaved) until staff first change them."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def as_rules(self) -> Rules:
        return Rules(
            days_before=tuple(self.days_before),
            overdue_every=self.overdue_every,
            escalate_after=self.escalate_after,
            report_day=self.report_day,
            digest_weekday=self.digest_weekday,
            workdays_only=self.workdays_only,
        )


class ChannelChoice(models.Model):
    """How a user wants to be told; without a row, in the platform and by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="channels"
    )
    in_app = models.BooleanField(_("in the platform"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("channel choice")
        verbose_name_plural = _("channel choices")

    def __str__(self):
        return str(self.user)


class UnitWebhook(models.Model):
    """A unit's group-chat bot (WeCom or DingTalk style) that is told of the unit's reminders."""

    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="webhook")
    url = models.URLField(_("webhook address"), max_length=500)
    flavour = models.CharField(
        _("kind of bot"), max_length=20, choices=WebhookFlavour.choices, default=WebhookFlavour.WECOM
    )
    secret = models.CharField(
        _("signing secret"), max_length=200, blank=True, help_text=_("DingTalk bots with 加签 only.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("unit webhook")
        verbose_name_plural = _("unit webhooks")

    def __str__(self):
        return f"{self.unit} · {self.get_flavour_display()}"


class Notification(models.Model):
    """One message to one recipient by one channel, recorded before it is sent.

    The unique key (recipient, subject, kind, date, step, channel) makes a second sweep, or a
    second beat process, create nothing new; delivery claims a row by a conditional update.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Indexed by notification_inbox, which leads with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    # The unit the message is about; none for a task's whole (a leader's instruction on the task, to staff).
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # A notification sent stays in the inbox and the delivery log when its object is removed.
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The key: "user:5" or "unit:7" (a unit's bot); "assignment:9", "milestone:3", "unit:7", "notice:4",
    # "extension:2" or "instruction:8".
    recipient_key = models.CharField(_("recipient key"), max_length=40)
    subject_key = models.CharField(_("subject key"), max_length=40)
    key_date = models.DateField(_("date it is about"))
    step = models.SmallIntegerField(_("step"), default=0)

    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True)

    status = models.CharField(
        _("delivery"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by job"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient_key", "subject_key", "kind", "key_date", "step", "channel"],
                name="notification_once",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="notification_kind_valid"),
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values), name="notification_channel_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="notification_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_queue"),
        ]

    def __str__(self):
        return self.title


class SweepRun(models.Model):
    """A sweep of one day: the next sweep catches up from the day after the last one."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("notifications created"), default=0)

    class Meta:
        verbose_name = _("reminder sweep")
        verbose_name_plural = _("reminder sweeps")
        ordering = ["-day"]

    def __str__(self):
        return str(self.day)


class UrgeBatch(models.Model):
    """One 一键催报: staff urged every unit (or those they chose) with no progress report for the month.
    Its messages carry its key ("urge:<id>"), so the delivery log shows them as one batch."""

    period = models.CharField(_("month"), max_length=7)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    units = models.PositiveIntegerField(_("units urged"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("report urging")
        verbose_name_plural = _("report urgings")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.period} · {self.units}"
