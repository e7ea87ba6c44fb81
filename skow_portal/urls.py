from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("inbox/", include("notifications.urls")),
    path("consent/", include("consent.urls")),
    path("protocol/", include("policy.urls")),
    path("", include("reports.urls")),  # /report/ and /cases/
    path("", include("sanctions.urls")),  # /cases/<pk>/measures/, /cases/<pk>/escalations/, /dossiers/
    path("admin/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
    path("help/", views.help_index, name="help"),
    path("help/<slug:slug>/", views.help_guide, name="help_guide"),
    # Choosing the display language changes nothing worth forging, and without a CSRF token in the
    # footer form the public pages carry no per-visitor secret, so they can be served from a cache.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
]

if settings.BENCH_VIEWS:
    urlpatterns.append(path("__bench__/minimal/", views.bench_minimal))

handler500 = "skow_portal.errors.server_error"
