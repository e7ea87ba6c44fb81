from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    """The staff channel for misstanden (Wet bescherming klokkenluiders): intake, officers, clocks."""

    name = "integrity"
    verbose_name = _("Integriteitsmeldingen")

    def ready(self) -> None:
        """A misstand report is a kind of record with a term the board sets (retention/registry.py)."""
        from .retention_kinds import register_misstand_kind

        register_misstand_kind()
