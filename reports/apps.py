from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports of boundary-crossing communication and their case files (protocol A.8, A.9)."""

    name = "reports"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        """Register the case file's kinds of record with the retention rules (retention/registry.py)."""
        from .retention_kinds import register_case_kinds

        register_case_kinds()
