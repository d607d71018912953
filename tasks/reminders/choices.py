from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Long overdue")
    REPORT_MISSING = "report_missing", _("Monthly report missing")
    DIGEST = "digest", _("Weekly digest")
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for rework")
    ACCEPTED = "accepted", _("Work accepted")
    REOPENED = "reopened", _("Work reopened")
    REVIEW_OVERDUE = "review_overdue", _("Review overdue")
    NOTICE_ISSUED = "notice_issued", _("Supervision notice issued")
    NOTICE_ESCALATED = "notice_escalated", _("Supervision notice escalated")
    NOTICE_ANSWERED = "notice_answered", _("Supervision notice answered")
    INSTRUCTION = "instruction", _("Leader's instruction")
    EXTENSION_ASKED = "extension_asked", _("Extension asked")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    REPORT_URGED = "report_urged", _("Progress report urged")
    ROUND_OPENED = "round_opened", _("Monthly report round opened")
    QUESTION_ASKED = "question_asked", _("Question asked")
    QUESTION_ANSWERED = "question_answered", _("Question answered")
    DAILY = "daily", _("Today's reminders")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the platform")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Group-chat bot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class WebhookFlavour(models.TextChoices):
    WECOM = "wecom", _("WeCom group bot")
    DINGTALK = "dingtalk", _("DingTalk group bot")
    GENERIC = "generic", _("Other (plain JSON)")
