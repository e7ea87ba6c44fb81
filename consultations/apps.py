from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    """ "Ik wil iets overleggen" (protocol B.3, B.4): a staff member's confidential question to their leader."""

    name = "consultations"
    verbose_name = _("Overleg met de leidinggevende")
