from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordingsConfig(AppConfig):
    """Permissions to record in class (protocol A.1, A.7): given by a teacher or the school's leadership."""

    name = "recordings"
    verbose_name = _("Opnames in de klas")

    def ready(self) -> None:
        """Plug into the case file that reports owns (reports/extensions.py): a report about recording
        in class (A.1, A.7) asks "was there permission?" on the case page."""
        from reports.extensions import CasePanel, case_extensions

        case_extensions.register(CasePanel(name="recordings.panel", template_name="recordings/_case_panel.html"))
        from .retention_kinds import register_recording_kind

        register_recording_kind()
