"""Choices and terms of the complaints track (the board's klachtenregeling; WPO art. 14)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# A complaint is filed within a year of the event; a later one is still taken in, with a warning
# (the Landelijke Klachtencommissie may then declare it inadmissible).
COMPLAINT_TERM_DAYS = 365
# The board decides within four weeks of the committee's advice (klachtenregeling, model of the LKC).
DECISION_TERM_DAYS = 28


class Step(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    CONVERSATION = "conversation", _("Gesprek met de betrokkene")
    DIRECTION = "direction", _("Bij de directie")
    CONFIDANT = "confidant", _("Met de vertrouwenspersoon")
    COMMITTEE = "committee", _("Bij de Landelijke Klachtencommissie")
    ADVISED = "advised", _("Advies van de commissie ontvangen")
    DECIDED = "decided", _("Besluit van het bestuur")
    RESOLVED = "resolved", _("Opgelost")


# The informal steps, in order: a handler may move a complaint on to any later one (a complainant may
# go to the committee straight away), or mark it resolved before the committee has it.
INFORMAL_STEPS = (Step.RECEIVED, Step.CONVERSATION, Step.DIRECTION, Step.CONFIDANT, Step.COMMITTEE)
OPEN_STEPS = (*INFORMAL_STEPS, Step.ADVISED)
