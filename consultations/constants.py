"""Fixed choices of a question to one's leader (protocol B.3, B.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    # B.3: "Als online communicatie dreigt te ontsporen ... de te volgen strategie te bespreken."
    CONVERSATION = "conversation", _("Een online gesprek dreigt te ontsporen (B.3)")
    # B.4: "Bij twijfel of een publicatie in strijd is met deze richtlijnen ..."
    POST = "post", _("Ik twijfel of ik iets mag plaatsen (B.4)")
