from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("inbox/", include("notifications.urls")),
    path("consent/", include("consent.urls")),
    path("protocol/", include("policy.urls")),
    path("", include("reports.urls")),  # /report/ and /cases/
    path("", include("sanctions.urls")),  # /cases/<pk>/measures/, /cases/<pk>/escalations/, /person-files/
    path("", include("recordings.urls")),  # /recordings/
    path("", include("consultations.urls")),  # /consultations/
    path("integrity/", include("integrity.urls")),  # the staff channel for misstanden
    path("complaints/", include("complaints.urls")),  # the klachtenregeling, apart from reports
    path("", include("retention.urls")),  # /retention/
    path("admin/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
    path("help/", views.help_index, name="help"),
    path("help/<slug:slug>/", views.help_guide, name="help_guide"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("accessibility/report/", views.accessibility_report, name="accessibility_report"),
    path("accessibility/report/sent/", views.accessibility_report_sent, name="accessibility_report_sent"),
    # The language form of every page's footer; no CSRF token, so public pages stay cacheable (see the view).
    path("i18n/setlang/", views.set_language, name="set_language"),
]

handler500 = "skow_portal.errors.server_error"
