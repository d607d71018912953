from django.db.models import Q, QuerySet

from tasks.reminders.choices import Channel
from tasks.reminders.models import Notification


def inbox(user) -> QuerySet[Notification]:
    """A user's notifications in the platform: their own, no one else's."""
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox(user).filter(read_at__isnull=True).count()


def delivery_log(*, status: str = "", channel: str = "", kind: str = "", query: str = "") -> QuerySet[Notification]:
    """Messages that leave the platform, newest first, for staff to follow."""
    rows = Notification.objects.exclude(channel=Channel.IN_APP).select_related("recipient", "unit")
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    if kind:
        rows = rows.filter(kind=kind)
    if query:
        rows = rows.filter(
            Q(title__icontains=query)
            | Q(unit__name__icontains=query)
            | Q(recipient__username__icontains=query)
            | Q(recipient__full_name__icontains=query)
        )
    return rows.order_by("-created_at", "-pk")
