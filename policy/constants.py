"""Choices of the policy app: the life of a protocol version (WMS art. 10; DESIGN.md "policy")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Voorgelegd aan de (G)MR")
    COUNCIL_CONSENTED = "council_consented", _("Instemming (G)MR")
    COUNCIL_REFUSED = "council_refused", _("Instemming (G)MR geweigerd")
    ADOPTED = "adopted", _("Vastgesteld, nog niet in werking")
    IN_FORCE = "in_force", _("In werking")
    SUPERSEDED = "superseded", _("Vervangen")


# Versions anyone may read: adopted by the board (in force, to come, or of the past).
PUBLIC_STATUSES = (VersionStatus.ADOPTED, VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED)


class Actor(models.TextChoices):
    """Who may make a transition (the transition table in policy/lifecycle.py names these)."""

    DRAFTER = "drafter", _("Opsteller (bestuur of functioneel beheer)")
    COUNCIL_SECRETARY = "council_secretary", _("Secretaris (G)MR")
    BOARD = "board", _("Bestuur")
    SYSTEM = "system", _("De portal, op de ingangsdatum")


# Staff are reminded to acknowledge a version this many days after it took effect.
REMINDER_DAYS = (7, 14)
# WMS art. 32: within three months of a refusal the board may take the dispute to the committee.
DISPUTE_TERM_MONTHS = 3
