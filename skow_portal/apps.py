from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin, behind the portal's login and second factor."""

    default_site = "skow_portal.admin.PortalAdminSite"


class PortalConfig(AppConfig):
    """The project package as an app, so Django finds its `seed_demo` command."""

    name = "skow_portal"
