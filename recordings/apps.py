from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordingsConfig(AppConfig):
    """Permissions to record in class (protocol A.1, A.7): given by a teacher or the school's leadership."""

    name = "recordings"
    verbose_name = _("Opnames in de klas")

    def ready(self) -> None:
        """Plug into the case file that reports owns (reports/extensions.py): a report about recording
        in class (A.1, A.7) asks "was there permission?" on the case page."""
        from consent.extensions import GroupLink, group_extensions
        from reports.extensions import CasePanel, case_extensions

        case_extensions.register(CasePanel(name="recordings.panel", template_name="recordings/_case_panel.html"))
        from .retention_kinds import register_recording_kind

        register_recording_kind()
        # The group's consent overview (what teachers use in class) links to its recording permissions.
        group_extensions.register(
            GroupLink(name="recordings.group", label=_("Opnametoestemmingen"), url=_group_permissions_url)
        )


def _group_permissions_url(user, group) -> str | None:
    """The group's recording permissions page, when ``user`` gives and reads them (recordings/access.py)."""
    from django.urls import reverse

    from .access import may_record_for_group

    return reverse("recordings:group_detail", args=[group.pk]) if may_record_for_group(user=user, group=group) else None
