from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    """Demonstrable photo, film and sound consent (protocol A.5)."""

    name = "consent"
    verbose_name = _("Toestemming beeld en geluid")
