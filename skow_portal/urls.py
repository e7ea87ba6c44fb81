from django.conf import settings
from django.contrib import admin
from django.urls import include, path
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
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.BENCH_VIEWS:
    urlpatterns.append(path("__bench__/minimal/", views.bench_minimal))
