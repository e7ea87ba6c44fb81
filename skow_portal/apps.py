from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin, behind the portal's login and second factor."""

    default_site = "skow_portal.admin.PortalAdminSite"
