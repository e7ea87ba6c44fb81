"""`make restore`: bring back an archive of `manage.py backup` (skow_portal/backup.py)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from skow_portal.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into this installation's database and private "
        "file roots. They must be empty (a fresh database) unless --replace. Checks the history chains after."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--replace", action="store_true", help="replace a database and files that are not empty")

    def handle(self, *args, archive: str, replace: bool = False, **options):
        try:
            manifest = backup_restore(archive, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the {manifest['engine']} database of {manifest['created_at']} and "
            f"{len(manifest['files'])} file(s). Run `manage.py migrate` if this code is newer than the archive."
        )
        call_command("chain_verify", stdout=self.stdout)
