from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    """Measures, escalations and person files (protocol, Sancties en gevolgen 1-7)."""

    name = "sanctions"
    verbose_name = _("Maatregelen")

    def ready(self) -> None:
        """Plug sanctions into the case file that reports owns (reports/extensions.py)."""
        from reports.extensions import CaseAnonymiser, CasePanel, CloseCheck, case_extensions

        from . import access, checks, retention
        from .retention_kinds import register_meldcode_kind

        register_meldcode_kind()

        # Sancties 3: boundary-crossing staff communication is reported to the Vertrouwensinspecteur
        # first; a started meldcode (Veilig Thuis) runs to its decision.
        case_extensions.register(CloseCheck(name="sanctions.escalation_recorded", refusal=checks.escalation_recorded))
        # WPO art. 4a: the inspector call, the informing and the aangifte are on record first.
        case_extensions.register(CloseCheck(name="sanctions.wpo_4a_recorded", refusal=checks.wpo_4a_recorded))
        # A heavy measure still waiting for the board keeps the case open.
        case_extensions.register(CloseCheck(name="sanctions.measures_decided", refusal=checks.measures_decided))
        # AVG art. 5(1)(e): measure and escalation texts go when reports anonymises the case.
        case_extensions.register(
            CaseAnonymiser(name="sanctions.measures_and_escalations", anonymise=retention.case_anonymise_sanctions)
        )
        # The case page links to the case's measures and escalations, for whoever records them.
        case_extensions.register(
            CasePanel(
                name="sanctions.panel",
                template_name="sanctions/_case_panel.html",
                is_shown_to=lambda user: access.may_record_sanctions(user=user),
            )
        )
