from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints under the klachtenregeling, apart from incident reports: steps, terms, the board's decision."""

    name = "complaints"
    verbose_name = _("Klachten")

    def ready(self) -> None:
        """A complaint is a kind of record with a term the board sets (retention/registry.py)."""
        from .retention_kinds import register_complaint_kind

        register_complaint_kind()
