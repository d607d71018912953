from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.choices import Role
from orgs.models import User
from reports.documents import KINDS, refusal_text
from reports.models import ReportStatus
from reports.services import report_request


class Command(BaseCommand):
    help = "Make a report as the platform does for its users, issued under its own verification code, into a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--plan", help="the plan's id (progress, overdue)")
        parser.add_argument("--unit", help="the unit's id (unit)")
        parser.add_argument("--task", help="the task's id (dossier)")
        parser.add_argument("--as-of", dest="as_of", help="the day it shows, YYYY-MM-DD (default today)")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--user", help="whose view (default: the first active staff user)")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        params = {name: options[name] for name in ("plan", "unit", "task", "as_of")}
        try:
            report = report_request(options["kind"], user, at_once=True, **params)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(refusal_text(error)) from None
        if report.status != ReportStatus.DONE:
            raise CommandError(report.error)
        with report.file.open("rb") as made:
            Path(options["out"]).write_bytes(made.read())
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
