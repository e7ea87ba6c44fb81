from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    """Demonstrable photo, film and sound consent (protocol A.5)."""

    name = "consent"
    verbose_name = _("Toestemming beeld en geluid")

    def ready(self) -> None:
        """Consent decisions and takedown tasks are kinds of record with a term the board sets."""
        from .retention_kinds import register_consent_kinds

        register_consent_kinds()
