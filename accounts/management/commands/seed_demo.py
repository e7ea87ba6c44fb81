from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load demo schools, one person per role, pupils and guardians; print each demo login."

    def handle(self, *args, **options):
        # Each app contributes its own demo data (settings.DEMO_SEEDERS), so accounts imports none.
        self.stdout.write("ROLE EMAIL PASSWORD TOTP_SECRET")
        for dotted in settings.DEMO_SEEDERS:
            for login in import_string(dotted)() or []:
                self.stdout.write(login.line())
