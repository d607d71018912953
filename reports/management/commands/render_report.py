import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.choices import Role
from orgs.models import User
from reports.progress import progress_report
from reports.snapshot import snapshot
from tasks.models import Plan

KINDS = ("progress",)


class Command(BaseCommand):
    help = "Render a report to a file, as the platform does for its users."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--plan", type=int, required=True, help="the plan's id")
        parser.add_argument("--as-of", dest="as_of", help="the day it shows, YYYY-MM-DD (default today)")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--user", help="whose view of the plan (default: the first active staff user)")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(_("No plan has the id %(id)s.") % {"id": options["plan"]})
        user = self._user(options["user"])
        try:
            as_of = datetime.date.fromisoformat(options["as_of"]) if options["as_of"] else None
            taken = snapshot(plan, user, as_of=as_of)
        except ValueError:
            raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not taken.tasks:
            raise CommandError(_("The plan has no tasks to report on."))
        report = progress_report(taken, made_by=user)
        Path(options["out"]).write_bytes(report.content)
        self.stdout.write(
            _("%(pages)d pages written to %(out)s; verification code %(code)s.")
            % {"pages": report.pages, "out": options["out"], "code": report.code}
        )

    def _user(self, username):
        users = User.objects.filter(is_active=True)
        user = users.filter(username=username).first() if username else users.filter(role=Role.STAFF).first()
        if user is None:
            raise CommandError(_("No such active user: %(name)s.") % {"name": username or Role.STAFF.label})
        return user
