from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from orgs.demo import demo_load_orgs


class Command(BaseCommand):
    help = _("Load the demo: the Lishan district's units and groups and one user per role. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=settings.BASE_DIR / "fixtures",
            help=_("Folder holding demo_units.json."),
        )

    def handle(self, *args, fixtures: Path, **options):
        result = demo_load_orgs(fixtures / "demo_units.json")
        self.stdout.write(
            _("Units created: %(units)d; groups created: %(groups)d.")
            % {"units": result.units_created, "groups": result.groups_created}
        )
        for username, full_name, role, unit, password in result.users:
            if password:
                line = _("%(role)s %(name)s (%(unit)s): user name %(username)s, password %(password)s")
            else:
                line = _("%(role)s %(name)s (%(unit)s): user name %(username)s, exists already, password unchanged")
            self.stdout.write(
                line % {"role": role, "name": full_name, "unit": unit, "username": username, "password": password}
            )
        if any(password for *_rest, password in result.users):
            self.stdout.write(self.style.WARNING(_("Passwords are shown this once only: note them now.")))
