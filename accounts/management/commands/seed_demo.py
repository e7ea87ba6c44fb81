from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

REFUSAL = (
    "seed_demo creates demo accounts whose passwords are published (in the README and on this screen), "
    "among them a board member's: whoever reads them can log in and see cases and pupils. "
    "It runs only with DEBUG on (make run sets DEBUG=1), so it never fills a production database. "
    "To load the demo with DEBUG off anyway, into a database that is not production, add --force."
)


class Command(BaseCommand):
    help = "Load demo schools, one person per role, pupils and guardians; print each demo login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="run with DEBUG off too (creates accounts with published passwords: never in production)",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(REFUSAL)
        # Each app contributes its own demo data (settings.DEMO_SEEDERS), so accounts imports none.
        self.stdout.write("ROLE EMAIL PASSWORD TOTP_SECRET")
        for dotted in settings.DEMO_SEEDERS:
            for login in import_string(dotted)() or []:
                self.stdout.write(login.line())
