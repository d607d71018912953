import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tasks.choices import PlanKind
from tasks.services.plan_import import plan_import_confirm, plan_import_preview
from tasks.services.plan_revision import revision_summary


def preview_as_json(preview) -> dict:
    """The parsed plan in the documented shape: units as printed, tasks in document order."""
    parsed = preview.parsed

    def day(value):
        return value.isoformat() if value else None

    return {
        "plan": {
            "title": parsed.title,
            "doc_number": parsed.doc_number,
            "issuer": parsed.issuer,
            "issued_on": day(parsed.issued_on),
            "kind": parsed.kind,
            "period_start": day(parsed.period_start),
            "period_end": day(parsed.period_end),
        },
        "tasks": [
            {
                "section": task.section,
                "number": task.number,
                "title": task.title,
                "body": task.body,
                "lead_units": task.lead_units,
                "responsible_units": task.responsible_units,
                "due": day(task.due),
                "due_inherited": task.due_inherited,
                "recurrence": task.recurrence,
                "milestones": [
                    {"due": day(m.due), "text": m.text, "deliverables": m.deliverables} for m in task.milestones
                ],
            }
            for task in parsed.tasks
        ],
        "warnings": [{"line": line, "message": message} for line, message in preview.warnings],
    }


class Command(BaseCommand):
    help = _("Import a plan document (.txt, .docx, .xlsx, .pdf): its tasks, milestones and assignments.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help=_("Parse and check only; write nothing."))
        parser.add_argument("--json", action="store_true", help=_("Print the parsed plan as one JSON document."))
        parser.add_argument("--kind", choices=PlanKind.values, help=_("Reform plan or rectification list."))
        parser.add_argument(
            "--create-units", action="store_true", help=_("Create the units the document names but the platform lacks.")
        )
        parser.add_argument("--user", help=_("User name recorded as the importer."))

    def handle(self, *args, path: Path, dry_run, json: bool, kind, create_units, user, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from None
        try:
            preview = plan_import_preview(data=data, filename=path.name, kind=kind)
            if json:
                self.stdout.write(_dumps(preview_as_json(preview)))
            else:
                self._describe(preview)
            if preview.revision is not None:
                headline, lines = revision_summary(preview.revision)
                out = self.stderr if json else self.stdout
                for line in [headline, *lines]:
                    out.write(line)
            if dry_run:
                return
            result = plan_import_confirm(preview=preview, user=self._user(user), create_units=create_units)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        out = self.stderr if json else self.stdout
        if result.revised is not None:
            out.write(
                _(
                    "Plan %(id)d revised: %(added)d tasks added, %(withdrawn)d withdrawn, %(changed)d changed, "
                    "%(assignments)d assignments created; %(kept)d assignments with reported work kept."
                )
                % {**result.revised, "id": result.plan.pk, "kept": result.revised["kept_with_work"]}
            )
            return
        if not result.created:
            out.write(_("Already imported as plan %(id)d; nothing changed.") % {"id": result.plan.pk})
            return
        out.write(
            _("Imported plan %(id)d: %(tasks)d tasks, %(milestones)d milestones, %(assignments)d assignments.")
            % {
                "id": result.plan.pk,
                "tasks": result.tasks,
                "milestones": result.milestones,
                "assignments": result.assignments,
            }
        )
        for warning in result.warnings:
            out.write(warning)

    def _describe(self, preview) -> None:
        parsed = preview.parsed
        self.stdout.write(
            _("%(title)s %(number)s: %(tasks)d tasks, %(warnings)d warnings.")
            % {
                "title": parsed.title or preview.filename,
                "number": parsed.doc_number or "",
                "tasks": len(parsed.tasks),
                "warnings": len(preview.warnings),
            }
        )
        for line, message in preview.warnings:
            self.stdout.write(_("line %(line)d: %(message)s") % {"line": line, "message": message})

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No user named %(name)s.") % {"name": username}) from None


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
