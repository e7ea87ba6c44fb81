from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin, behind the portal's login and second factor."""

    default_site = "skow_portal.admin.PortalAdminSite"


class PortalConfig(AppConfig):
    """The project package as an app, so Django finds its `seed_demo` command; it also connects the
    apps that do not know each other (policy and consent)."""

    name = "skow_portal"

    def ready(self) -> None:
        from policy.extensions import AdoptionListener, adoption_listeners

        from .consent_rounds import consent_round_after_adoption

        # Protocol A.5: a changed consent article asks the families again.
        adoption_listeners.register(
            AdoptionListener(name="consent.new_round_after_a5_change", after_adoption=consent_round_after_adoption)
        )
