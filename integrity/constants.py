"""Choices of the staff channel for misstanden (Wet bescherming klokkenluiders, 2023)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Wbk art. 2 lid 1 sub c: the report may be made in writing, by phone or in a meeting.
ACKNOWLEDGE_DAYS = 7  # Wbk art. 2 lid 1 sub e: an acknowledgement within seven days
FEEDBACK_MONTHS = 3  # Wbk art. 2 lid 1 sub f: feedback within three months


class Intake(models.TextChoices):
    FORM = "form", _("Schriftelijk via het formulier")
    CALL = "call", _("Verzoek om een telefoongesprek")
    MEETING = "meeting", _("Verzoek om een persoonlijk gesprek")


class State(models.TextChoices):
    NEW = "new", _("Ontvangen")
    ACKNOWLEDGED = "acknowledged", _("Ontvangst bevestigd")
    FEEDBACK_GIVEN = "feedback_given", _("Terugkoppeling gegeven")
    CLOSED = "closed", _("Afgesloten")


class EntryKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Ontvangstbevestiging")
    MESSAGE = "message", _("Bericht aan de melder")
    FEEDBACK = "feedback", _("Terugkoppeling aan de melder")
    REPORTER_MESSAGE = "reporter_message", _("Bericht van de melder")
    CONVERSATION = "conversation", _("Gesprek gevoerd")
    NAMED = "named", _("Functionaris genoemd")
    CLOSED = "closed", _("Afgesloten")
    VIEWED = "viewed", _("Dossier ingezien")


# What the reporter sees of the file on the follow-up page (Wbk: acknowledgement and feedback go to
# the reporter; the officer's working notes and the read log do not).
SHOWN_TO_REPORTER = (
    EntryKind.ACKNOWLEDGEMENT,
    EntryKind.MESSAGE,
    EntryKind.FEEDBACK,
    EntryKind.REPORTER_MESSAGE,
    EntryKind.CONVERSATION,
    EntryKind.CLOSED,
)
