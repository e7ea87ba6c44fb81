"""Choices of the policy app: the life of a protocol version (WMS art. 10; DESIGN.md "policy")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.TextChoices):
    """The documents kept with this versioning: each has its own numbers and its own version in force.

    The protocol is the portal's first; the regeling of the staff channel for misstanden (Wet
    bescherming klokkenluiders art. 2, with the (G)MR's consent, WOR/WMS) follows the same steps.
    """

    PROTOCOL = "protocol", _("Protocol Sociale Media")
    WHISTLEBLOWING = "whistleblowing", _("Regeling melden vermoeden van een misstand")


# The title a first draft of each document starts with.
DOCUMENT_TITLES = {
    Document.PROTOCOL: "Protocol Sociale Media SKOW",
    Document.WHISTLEBLOWING: "Regeling melden vermoeden van een misstand SKOW",
}


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Voorgelegd aan de (G)MR")
    COUNCIL_CONSENTED = "council_consented", _("Instemming (G)MR")
    COUNCIL_REFUSED = "council_refused", _("Instemming (G)MR geweigerd")
    ADOPTED = "adopted", _("Vastgesteld, nog niet in werking")
    IN_FORCE = "in_force", _("In werking")
    SUPERSEDED = "superseded", _("Vervangen")
    # Its base was replaced before it was adopted; its changes went onto the new base as a new draft.
    CARRIED_OVER = "carried_over", _("Overgezet naar een nieuw concept")


class EventKind(models.TextChoices):
    """What a line of a version's history records: a step of its life, or a fact recorded later."""

    STEP = "step", _("Stap")
    INSTALLED = "installed", _("In de portal gezet")
    DATES_RECORDED = "dates_recorded", _("Datums vastgelegd")


# Versions anyone may read: adopted by the board (in force, to come, or of the past).
PUBLIC_STATUSES = (VersionStatus.ADOPTED, VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED)


class Actor(models.TextChoices):
    """Who may make a transition (the transition table in policy/lifecycle.py names these)."""

    DRAFTER = "drafter", _("Opsteller (bestuur of functioneel beheer)")
    COUNCIL_SECRETARY = "council_secretary", _("Secretaris (G)MR")
    BOARD = "board", _("Bestuur")
    SYSTEM = "system", _("De portal, op de ingangsdatum")


# Statuses in which a draft can still be carried onto a newer base (not yet adopted, not refused).
CARRYABLE_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.COUNCIL_CONSENTED)

# Staff are reminded to acknowledge a version this many days after it took effect.
REMINDER_DAYS = (7, 14)
# A leader's "herinner nu" skips staff reminded (by anyone, or automatically) this recently: a double
# click or a second tab sends nothing twice, and nobody gets more than one reminder a day.
REMIND_NOW_PAUSE_HOURS = 24
# WMS art. 32: within three months of a refusal the board may take the dispute to the committee.
DISPUTE_TERM_MONTHS = 3
