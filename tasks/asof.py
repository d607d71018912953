"""The platform as it stood at the end of a past day: that moment, and each object's version then,
from the history kept since the foundation."""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone


def day_end(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` in the platform's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def as_of_versions(history: QuerySet, moment) -> QuerySet:
    """Each object's last recorded version before ``moment``, unless that version is its removal."""
    last = (
        history.model.objects.filter(id=OuterRef("id"), history_date__lt=moment)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return history.filter(history_date__lt=moment, history_id=Subquery(last)).exclude(history_type="-")
