from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    """The staff channel for misstanden (Wet bescherming klokkenluiders): intake, officers, clocks."""

    name = "integrity"
    verbose_name = _("Integriteitsmeldingen")
