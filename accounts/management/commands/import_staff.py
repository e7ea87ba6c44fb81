"""python manage.py import_staff medewerkers.csv [--dry-run]"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.imports import ImportRejected, staff_import

from .import_pupils import read_file, report_errors, report_result


class Command(BaseCommand):
    help = (
        "Import staff (naam, e-mail, functie, school) from CSV (all or nothing); a leader's function files a role "
        "request that a board member approves in the portal (accounts/roles/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file with the columns naam, e-mail, functie, school")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--no-invite", action="store_true", help="do not e-mail new staff a link to choose their password"
        )

    def handle(self, *args, **options):
        data = read_file(options["file"])
        try:
            result = staff_import(data=data, dry_run=options["dry_run"], invite_new=not options["no_invite"])
        except ImportRejected as rejected:
            report_errors(self, rejected)
        report_result(self, result)
