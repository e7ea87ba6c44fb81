from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """Retention per kind of record (AVG art. 5(1)(e)): the board's terms, the nightly erasure and its log.

    The kinds come from the apps that own the records: each registers a ``RecordKind`` in
    ``retention.registry.record_kinds`` from its own ``AppConfig.ready``. This app keeps the terms
    the board set, erases what is due and logs how much, never what.
    """

    name = "retention"
    verbose_name = _("Bewaartermijnen")

    def ready(self) -> None:
        """accounts sits below this app, so its kinds (pupils) are registered from here."""
        from .kinds import register_account_kinds

        register_account_kinds()
