from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    """Measures, escalations and person dossiers (protocol, Sancties en gevolgen 1-7)."""

    name = "sanctions"
    verbose_name = _("Maatregelen")
