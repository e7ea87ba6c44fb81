"""python manage.py role_first_board_member EMAIL — once, at installation (README, "Installation")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.services import board_first_member
from common.refusals import ActionRefused


class Command(BaseCommand):
    help = (
        "Give the first board member the board role. Refused once an active board member exists: after that, "
        "leader, board and functional-admin roles are requested in the portal and approved by the board."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the e-mail address of an existing account")

    def handle(self, *args, email: str, **options):
        try:
            user = board_first_member(email=email)
        except ActionRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(f"{user.email} is now a board member.")
