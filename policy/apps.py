from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    """The versioned Protocol Sociale Media: publication, (G)MR consent, adoption, read receipts."""

    name = "policy"
    verbose_name = _("Protocol")
