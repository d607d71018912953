from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reform.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Backs up the database and every stored file into one archive with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BACKUP_DIR),
            help="folder for the archive (default: BACKUP_DIR, %(default)s)",
        )

    def handle(self, *args, output, **options):
        try:
            archive = make_backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = archive.stat().st_size / 1024 / 1024
        self.stdout.write(self.style.SUCCESS(f"{archive} ({size:.1f} MB)"))
