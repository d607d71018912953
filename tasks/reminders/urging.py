"""一键催报: staff urge every unit with work in a scope and no progress report for the month (or the
units they choose), as one batch: one message per unit listing its work, to its reporters by their
channels and to its bot, each message keyed by the batch, so the batch shows in the delivery log.
A round (月报) opening tells the units on its missing list the same way, keyed by the round."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orgs import policy
from orgs.choices import Role
from orgs.models import User
from tasks.models import ReportingRound
from tasks.reminders import records
from tasks.reminders.choices import Kind
from tasks.reminders.messages import round_message, urge_message
from tasks.reminders.models import UrgeBatch
from tasks.reminders.recipients import Recipients
from tasks.rounds import round_missing, round_missing_everywhere
from tasks.work import Scope, measure_q, period_of, work_rows


@dataclass
class UnitOwing:
    unit_id: int
    name: str
    tasks: list[str]  # "number. title", in the documents' order


def units_owing_reports(user, scope: Scope, reporting_round: ReportingRound | None = None) -> list[UnitOwing]:
    """The units with work in scope and no report for this month, by name, as the work list counts them;
    or, for a round (月报), those on its missing list."""
    if reporting_round is not None:
        return _owing(round_missing(user, reporting_round.period))
    return _owing(work_rows(user, scope).filter(measure_q("report_missing", scope.day)))


def _owing(rows) -> list[UnitOwing]:
    rows = rows.values_list("unit_id", "unit__name", "task__number", "task__title").order_by(
        "unit__name", "unit_id", "task__plan_id", "task__position", "id"
    )
    owing: dict[int, UnitOwing] = {}
    for unit_id, name, number, title in rows:
        owing.setdefault(unit_id, UnitOwing(unit_id, name, [])).tasks.append(f"{number}. {title}")
    return list(owing.values())


def round_opened_records(rounds, people: Recipients | None = None) -> list[records.Record]:
    """For each open round, one message to each unit on its missing list (its reporters by their
    channels, its bot) naming its work and the deadline. Keyed by the round: a round told again — by a
    later sweep, or opened by hand and swept — records nothing new."""
    made = []
    for reporting_round in rounds:
        if not reporting_round.is_open:
            continue
        owing = _owing(round_missing_everywhere(reporting_round.period))
        if people is None:
            people = Recipients.load(User.objects.filter(is_active=True, role=Role.REPORTER))
        round_of = reporting_round
        made += _to_units(
            owing,
            people,
            message_of=lambda unit, r=round_of: round_message(unit.name, r.period, r.deadline, unit.tasks, r.note),
            kind=Kind.ROUND_OPENED,
            subject_key=f"round:{reporting_round.pk}",
            key_date=datetime.date.fromisoformat(f"{reporting_round.period}-01"),
        )
    return made


def _to_units(owing: list[UnitOwing], people: Recipients, *, message_of, **about) -> list[records.Record]:
    """One message to each unit of ``owing`` naming its work: to its reporters by their channels, and
    to its bot; ``about`` gives the kind, subject key and key date."""
    link = reverse("tasks:my_tasks")
    made = []
    for unit in owing:
        made += records.build(
            people.addressed(people.reporters_of(unit.unit_id), bot_units=(unit.unit_id,)),
            message=message_of(unit),
            link=link,
            unit_id=unit.unit_id,
            assignment_id=None,
            milestone_id=None,
            step=0,
            **about,
        )
    return made


@transaction.atomic
def reports_urge(
    *,
    user,
    scope: Scope,
    unit_ids: set[int] | None = None,
    note: str = "",
    reporting_round: ReportingRound | None = None,
) -> UrgeBatch:
    """Urge the units owing this month's report in ``scope``, or those on an open round's missing list
    (those of ``unit_ids`` only, if given)."""
    if not policy.can_manage(user):
        raise PermissionDenied(_("Only SASAC staff urge units to report."))
    if reporting_round is not None and not reporting_round.is_open:
        raise ValidationError(_("This round is closed: its summary is filed."))
    if reporting_round is None and scope.as_of is not None:
        raise ValidationError(_("Units are urged about this month, not a past day: clear the day chosen."))
    owing = [
        unit
        for unit in units_owing_reports(user, scope, reporting_round)
        if unit_ids is None or unit.unit_id in unit_ids
    ]
    if not owing and reporting_round is not None:
        raise ValidationError(_("None of the units chosen is on this round's missing list."))
    if not owing:
        raise ValidationError(_("No unit in this choice owes a progress report this month."))
    period = reporting_round.period if reporting_round is not None else period_of(scope.day)
    today = timezone.localdate()
    batch = UrgeBatch.objects.create(period=period, sent_by=user, units=len(owing), note=note.strip())
    people = Recipients.load(
        User.objects.filter(is_active=True, role=Role.REPORTER, unit_id__in=[unit.unit_id for unit in owing])
    )
    with translation.override(settings.LANGUAGE_CODE):
        made = _to_units(
            owing,
            people,
            message_of=lambda unit: urge_message(unit.name, period, unit.tasks, batch.note),
            kind=Kind.REPORT_URGED,
            subject_key=f"urge:{batch.pk}",
            key_date=today,
        )
    records.record(made)
    return batch
