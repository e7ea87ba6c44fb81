from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("In de portal")


class Status(models.TextChoices):
    PENDING = "pending", _("Wacht op verzending")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")
