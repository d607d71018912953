"""Monthly reporting rounds (月报), written: staff open a round for a month with a deadline (or it opens
by itself on the configured day) and close it, which files its summary."""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orgs import policy
from reform import values
from tasks.models import ReportingRound, RoundReturn
from tasks.reminders import records
from tasks.reminders.urging import round_opened_records
from tasks.rounds import round_standing
from tasks.work import next_month


def round_open(*, user, period: str, deadline: datetime.date, note: str = "") -> ReportingRound:
    """Open the round for ``period`` (a month not yet to come), due on ``deadline`` (today or later)."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff open reporting rounds."))
    today = timezone.localdate()
    try:
        period = values.month(period)
    except values.BadValue as error:
        raise ValidationError(error.message) from None
    if period > f"{today:%Y-%m}":
        raise ValidationError(_("A round cannot be for a month still to come."))
    if deadline < today:
        raise ValidationError(_("The deadline has passed: give today or a later day."))
    with transaction.atomic():
        reporting_round = _create(period=period, deadline=deadline, note=values.tidy_text(note), opened_by=user)
        with translation.override(settings.LANGUAGE_CODE):
            records.record(round_opened_records([reporting_round]))  # each unit on its missing list hears of it
    return reporting_round


def _create(**fields) -> ReportingRound:
    try:
        with transaction.atomic():
            return ReportingRound.objects.create(**fields)
    except IntegrityError:
        raise ValidationError(
            _("There is already a round for %(period)s: open it from the list.") % {"period": fields["period"]}
        ) from None


def round_close(*, user, round_id: int) -> ReportingRound:
    """Close an open round: each unit's part (owed, reported, when the last came) is filed as it stands."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff close reporting rounds."))
    with transaction.atomic():
        reporting_round = ReportingRound.objects.select_for_update().get(pk=round_id)
        if not reporting_round.is_open:
            raise ValidationError(_("This round is already closed."))
        # The moment it closes bounds what it files: a report committed while the summary is
        # worked out is after the close, not half in it. Staff see all the work: the whole round's.
        closed_at = timezone.now()
        RoundReturn.objects.bulk_create(
            RoundReturn(
                round=reporting_round,
                unit_id=standing.unit_id,
                owed=standing.owed,
                reported=standing.reported,
                completed_at=standing.completed_at if not standing.missing else None,
                days_late=standing.days_late(reporting_round.deadline),
            )
            for standing in round_standing(user, reporting_round, before=closed_at)
        )
        reporting_round.closed_at, reporting_round.closed_by = closed_at, user
        reporting_round.save(update_fields=["closed_at", "closed_by"])
    return reporting_round


def _day_in(year: int, month: int, day: int) -> datetime.date:
    """The month's ``day``, or its last day in a shorter month."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def scheduled_round(day: datetime.date, *, open_day: int | None, deadline_day: int) -> tuple[str, datetime.date] | None:
    """The round that opens by itself on ``day``, as (period, deadline): the month's, on its
    ``open_day`` (its last day in a shorter month), due on the next ``deadline_day`` from then."""
    if open_day is None or day != _day_in(day.year, day.month, open_day):
        return None
    deadline = _day_in(day.year, day.month, deadline_day)
    if deadline < day:
        following = next_month(day)
        deadline = _day_in(following.year, following.month, deadline_day)
    return f"{day:%Y-%m}", deadline


def rounds_open_due(days: list[datetime.date], *, open_day: int | None, deadline_day: int) -> list[ReportingRound]:
    """The rounds scheduled on ``days`` (the sweep's window, its last day today), opened if they do not
    exist yet: once each, however many sweeps run. The sweep tells the units of those that opened by
    themselves (its messages keyed by the round, so a sweep run again tells nobody twice); a round staff
    opened by hand for the month stands, told when it opened. A round a late sweep catches up on is
    due no earlier than today."""
    today = max(days, default=None)
    told = []
    for day in days:
        scheduled = scheduled_round(day, open_day=open_day, deadline_day=deadline_day)
        if scheduled is None:
            continue
        period, deadline = scheduled
        with transaction.atomic():
            reporting_round, _created = ReportingRound.objects.get_or_create(
                period=period, defaults={"deadline": max(deadline, today)}
            )
        if reporting_round.opened_by_id is None:
            told.append(reporting_round)
    return told
