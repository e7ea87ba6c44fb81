from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo login (DEBUG only), for trying the portal without a phone."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError("Only available with DEBUG on.")
        device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).first()
        if device is None:
            raise CommandError(f"No authenticator linked to {email}.")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
