"""The portal's URLs, and the smallest Django page as `make bench`'s baseline (tools/bench_settings.py)."""

from django.http import HttpResponse
from django.urls import path

from skow_portal.urls import handler500
from skow_portal.urls import urlpatterns as portal_urlpatterns
from tools.bench import MINIMAL_PATH


def minimal(request):
    """The smallest Django page, through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(MINIMAL_PATH.lstrip("/"), minimal), *portal_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
