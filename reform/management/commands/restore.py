from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reform.backup import BackupError, check_restorable, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Replaces the database and every stored file with a backup's, after checking the whole archive "
        "against its manifest. The current state is backed up first unless --no-safety-backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a reform-backup-….tar made by the backup command")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--no-safety-backup", action="store_true", help="do not back up the current state before replacing it"
        )

    def handle(self, *args, archive, yes, no_safety_backup, **options):
        path = Path(archive)
        try:
            manifest = read_manifest(path)
            check_restorable(manifest)
            self.stdout.write(
                f"{path.name}: made {manifest['created_at']}, {sum(manifest['rows'].values())} rows, "
                f"{len(manifest['members']) - 1} files; every checksum matches."
            )
            if not yes and input("This replaces ALL current data and files. Type 'yes' to go on: ") != "yes":
                raise CommandError("Nothing was changed.")
        except BackupError as error:
            raise CommandError(str(error)) from None
        safety = None if no_safety_backup else path.parent / "before-restore"
        try:
            restored = restore_backup(path, safety_folder=safety)
        except BackupError as error:
            kept = f" The state before the restore is backed up in {safety}: restore it from there." if safety else ""
            raise CommandError(f"{error}{kept}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {restored.created_at}: {restored.rows} rows in {restored.tables} tables, "
                f"{restored.files} files; row counts checked."
                + (f" The state it replaced is backed up in {safety}." if safety else "")
            )
        )
