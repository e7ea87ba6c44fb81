from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import demo as accounts_demo
from complaints import demo as complaints_demo
from consent import demo as consent_demo
from consultations import demo as consultations_demo
from integrity import demo as integrity_demo
from policy import demo as policy_demo
from recordings import demo as recordings_demo
from reports import demo as reports_demo
from retention import demo as retention_demo
from sanctions import demo as sanctions_demo

REFUSAL = (
    "seed_demo creates demo accounts whose passwords are published (in the README and on this screen), "
    "among them a board member's: whoever reads them can log in and see cases and pupils. "
    "It runs only with DEBUG on (make run sets DEBUG=1), so it never fills a production database. "
    "To load the demo with DEBUG off anyway, into a database that is not production, add --force."
)

# Each app seeds its own demo data (its demo.py) and returns the demo logins it created. The order is
# the dependency order (docs/architecture.md): each app's data stands on the people and schools,
# the protocol and the reports seeded before it.
SEEDERS = (
    accounts_demo.seed,
    policy_demo.seed,
    consent_demo.seed,
    reports_demo.seed,
    integrity_demo.seed,
    complaints_demo.seed,
    sanctions_demo.seed,
    recordings_demo.seed,
    consultations_demo.seed,
    retention_demo.seed,
)


class Command(BaseCommand):
    help = "Load the demo data of every app: schools, a person per role, the protocol, reports; print each demo login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="run with DEBUG off too (creates accounts with published passwords: never in production)",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(REFUSAL)
        logins = [login for seed in SEEDERS for login in seed() or []]
        # Last, after the e-mails the seeding sent (printed by `make run`'s console backend as each
        # seeder commits), so the logins are what the terminal shows above the server's banner.
        self.stdout.write("")
        self.stdout.write("ROLE EMAIL PASSWORD TOTP_SECRET")
        for login in logins:
            self.stdout.write(login.line())
