from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.demo import demo_load_orgs
from orgs.models import User
from tasks.services.plan_import import plan_import_confirm, plan_import_preview


class Command(BaseCommand):
    help = _(
        "Load the demo: the Lishan district's units and groups, one user per role, and the three plans. "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=settings.BASE_DIR / "fixtures",
            help=_("Folder holding demo_units.json and plans/."),
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
        self._load_plans(fixtures / "plans")

    def _load_plans(self, folder: Path) -> None:
        importer = User.objects.filter(role="staff", is_active=True).order_by("pk").first()
        for path in sorted(folder.glob("*.txt")):
            try:
                preview = plan_import_preview(data=path.read_bytes(), filename=path.name)
                result = plan_import_confirm(preview=preview, user=importer)
            except ValidationError as error:
                raise CommandError(f"{path.name}: {' '.join(error.messages)}") from None
            message = (
                _("Plan imported: %(title)s (%(tasks)d tasks).")
                if result.created
                else _("Plan already loaded: %(title)s.")
            )
            self.stdout.write(message % {"title": result.plan.title, "tasks": result.tasks})
