from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    """ "Ik wil iets overleggen" (protocol B.3, B.4): a staff member's confidential question to their leader."""

    name = "consultations"
    verbose_name = _("Overleg met de leidinggevende")

    def ready(self) -> None:
        """A question to one's leader is a kind of record with a term the board sets (retention/registry.py)."""
        from django.conf import settings

        from retention.registry import RecordKind, record_kinds

        from .services import CONSULTATION_KIND, consultations_erase, consultations_quiet_since

        record_kinds.register(
            RecordKind(
                key=CONSULTATION_KIND,
                label=_("Overleg van een medewerker met de leidinggevende"),
                starts=_("na het laatste bericht"),
                source=_(
                    "AVG art. 5 lid 1 onder e: niet langer dan nodig; protocol B.3 en B.4. Minimaal 30 dagen: "
                    "de tijd om een vraag af te handelen. Wordt er een dossier van gemaakt, dan geldt de termijn "
                    "van het dossier."
                ),
                default_days=lambda: settings.CONSULTATION_RETENTION_DAYS,
                minimum_days=30,
                due=consultations_quiet_since,
                erase=consultations_erase,
                order=40,
            )
        )
