"""python manage.py import_pupils leerlingen.csv --school 12AB [--school-year 2026-2027] [--dry-run]"""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from accounts.imports import ImportRejected, pupils_import
from accounts.models import School, current_school_year


class Command(BaseCommand):
    help = "Import pupils and their guardians from a school administration's CSV export (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file: leerlingnummer, voornaam, tussenvoegsel, achternaam, ...")
        parser.add_argument("--school", required=True, help="BRIN number or name of the school")
        parser.add_argument("--school-year", default=None, help="e.g. 2026-2027 (default: the current one)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args, **options):
        key = options["school"].strip()
        school = School.objects.filter(brin__iexact=key).first() or School.objects.filter(name__iexact=key).first()
        if school is None:
            raise CommandError(f"Unknown school: {key}")
        school_year = options["school_year"] or current_school_year()
        if not re.fullmatch(r"(\d{4})-(\d{4})", school_year) or int(school_year[5:]) != int(school_year[:4]) + 1:
            raise CommandError(f"School year must look like 2026-2027, not {school_year}")
        data = read_file(options["file"])
        try:
            result = pupils_import(data=data, school=school, school_year=school_year, dry_run=options["dry_run"])
        except ImportRejected as rejected:
            report_errors(self, rejected)
        report_result(self, result)


def read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from None


def report_errors(command: BaseCommand, rejected: ImportRejected):
    for error in rejected.errors:
        where = f"regel {error.line}: " if error.line else ""
        command.stderr.write(f"{where}{error.message}")
    count = len(rejected.errors)
    raise CommandError(
        ngettext(
            "Niets geïmporteerd: %(counter)s fout in het bestand.",
            "Niets geïmporteerd: %(counter)s fouten in het bestand.",
            count,
        )
        % {"counter": count}
    )


def report_result(command: BaseCommand, result) -> None:
    prefix = "Controle (niets opgeslagen): " if result.dry_run else "Geïmporteerd: "
    command.stdout.write(prefix + ", ".join(result.summary()))
