"""Anonymise closed cases past the retention period; ``--dry-run`` lists what it would remove."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports.services import case_retention_purge


class Command(BaseCommand):
    help = "Anonymise closed cases past CASE_RETENTION_DAYS (not on legal hold); --dry-run only lists them."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        rows = case_retention_purge(dry_run=dry_run)
        for row in rows:
            self.stdout.write(
                _(
                    "Dossier %(case)s (%(school)s), gesloten op %(closed_at)s: %(reports)s melding(en), "
                    "%(messages)s bericht(en), %(files)s bestand(en)"
                )
                % row
            )
        if dry_run:
            self.stdout.write(
                _("Proefdraai: %(count)d dossier(s) zouden worden geanonimiseerd.") % {"count": len(rows)}
            )
        else:
            self.stdout.write(_("%(count)d dossier(s) geanonimiseerd.") % {"count": len(rows)})
