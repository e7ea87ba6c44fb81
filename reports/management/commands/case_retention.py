"""Anonymise closed cases past the retention period; ``--dry-run`` lists what it would remove."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.services import case_retention_purge


class Command(BaseCommand):
    help = (
        'Anonymise closed cases past the board\'s term for cases (retention kind "case", not on legal hold); '
        "--dry-run only lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        rows = case_retention_purge(dry_run=dry_run)
        for row in rows:
            contents = ", ".join(
                [
                    ngettext("%(count)s melding", "%(count)s meldingen", row["reports"]) % {"count": row["reports"]},
                    ngettext("%(count)s bericht", "%(count)s berichten", row["messages"]) % {"count": row["messages"]},
                    ngettext("%(count)s bestand", "%(count)s bestanden", row["files"]) % {"count": row["files"]},
                ]
            )
            self.stdout.write(
                _("Dossier %(case)s (%(school)s), gesloten op %(closed_at)s: %(contents)s")
                % {**row, "contents": contents}
            )
        count = len(rows)
        if dry_run:
            self.stdout.write(
                ngettext(
                    "Proefdraai: %(count)d dossier zou worden geanonimiseerd.",
                    "Proefdraai: %(count)d dossiers zouden worden geanonimiseerd.",
                    count,
                )
                % {"count": count}
            )
        else:
            self.stdout.write(
                ngettext("%(count)d dossier geanonimiseerd.", "%(count)d dossiers geanonimiseerd.", count)
                % {"count": count}
            )
