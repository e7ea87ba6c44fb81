"""A new key for the backup archives (README, "Backup and restore")."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skow_portal.backup import backup_key_new


class Command(BaseCommand):
    help = "Write a new random backup key (base64 of 32 bytes) to --output (readable by its owner only), or print it."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the key file to create (refuses to overwrite one)")

    def handle(self, *args, output: str | None = None, **options):
        key = backup_key_new()
        if not output:
            self.stdout.write(key)
            return
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} exists: a key that archives were made with is never overwritten.")
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as key_file:
            key_file.write(key + "\n")
        self.stdout.write(
            f"Backup key written to {path}. Keep a copy apart from the archives: without it they are unreadable."
        )
