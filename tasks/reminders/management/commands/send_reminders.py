import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import Unit, User
from reform import values
from tasks.reminders.sweep import sweep


def as_json(notifications) -> list[dict]:
    """One entry per reminder and recipient, with the channels it goes by."""
    users = dict(User.objects.filter(pk__in={n.recipient_id for n in notifications}).values_list("pk", "username"))
    units = dict(Unit.objects.filter(pk__in={n.unit_id for n in notifications}).values_list("pk", "name"))
    entries: dict[tuple, dict] = {}
    for n in notifications:
        key = (n.recipient_key, n.subject_key, n.kind, n.key_date, n.step)
        entry = entries.setdefault(
            key,
            {
                "recipient": users.get(n.recipient_id),
                "recipient_key": n.recipient_key,
                "unit": units.get(n.unit_id),
                "kind": n.kind,
                "object": n.subject_key,
                "title": n.title,
                "due_date": n.key_date.isoformat(),
                "step": n.step,
                "channels": [],
            },
        )
        entry["channels"].append(n.channel)
    return list(entries.values())


class Command(BaseCommand):
    help = "Work out the reminders due on a day and record them for delivery: the daily sweep, by hand."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to sweep for, YYYY-MM-DD (default today)")
        parser.add_argument("--dry-run", action="store_true", help="write nothing; say what would be created")
        parser.add_argument("--json", action="store_true", help="print the reminders as one JSON list")

    def handle(self, *args, **options):
        date, dry_run = options["date"], options["dry_run"]
        try:
            day = values.day(date) or timezone.localdate()
        except values.BadValue:
            raise CommandError(_("--date takes a day as YYYY-MM-DD, not “%(value)s”.") % {"value": date}) from None
        outcome = sweep(today=day, dry_run=dry_run)
        if options["json"]:
            self.stdout.write(_dump(as_json(outcome.notifications)))
            return
        window = f"{outcome.window.first}…{outcome.window.last}"
        if dry_run:
            self.stdout.write(
                _("%(count)d notifications would be created for %(window)s.")
                % {"count": len(outcome.notifications), "window": window}
            )
        else:
            self.stdout.write(
                _("%(count)d notifications created for %(window)s.") % {"count": outcome.created, "window": window}
            )


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
