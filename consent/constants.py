"""Choices of the consent app (protocol A.5; AVG art. 7 and 8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Basis(models.TextChoices):
    """On what ground the decider decides for the subject."""

    GUARDIAN = "guardian", _("Ouder/verzorger van een leerling jonger dan 16")
    PUPIL_SELF = "pupil_self", _("Leerling van 16 jaar of ouder, voor zichzelf")
    STAFF_SELF = "staff_self", _("Medewerker, voor zichzelf")


class Method(models.TextChoices):
    LINK = "link", _("Via de link in de e-mail")
    LOGGED_IN = "logged_in", _("Ingelogd op de portal")
    PAPER = "paper", _("Papieren formulier, ingevoerd door de school")


class TextChangeKind(models.TextChoices):
    """Why consent's text changed, so that the families are asked again (protocol A.5)."""

    PROTOCOL_ARTICLE = "protocol_article", _("Artikel A.5 van het protocol is gewijzigd")
    FORM_VERSION = "form_version", _("Het toestemmingsformulier vraagt iets nieuws")
