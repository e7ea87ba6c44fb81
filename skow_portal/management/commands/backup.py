"""`make backup`: one encrypted archive of the database and the private files (skow_portal/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from skow_portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one encrypted archive (AES-256-GCM, key from BACKUP_KEY_FILE or BACKUP_KEY) of the database "
        "(pg_dump, or SQLite's backup API) and the private files. Default: var/backups/skow-<time>.skowbak."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the archive to write")

    def handle(self, *args, output: str | None = None, **options):
        target = Path(
            output or Path(settings.BASE_DIR) / "var" / "backups" / f"skow-{timezone.now():%Y%m%d-%H%M%S}.skowbak"
        )
        try:
            manifest = backup_create(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup written to {target}: the {manifest['engine']} database and {len(manifest['files'])} file(s). "
            "Keep the key apart from it."
        )
