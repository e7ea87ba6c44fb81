"""Project-wide pages: home, help and the health check."""

from __future__ import annotations

import ipaddress

import markdown
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import get_callable
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.services import user_language_set
from common.access import client_ip, is_verified
from consent.selectors import consent_home_for
from notifications.selectors import oldest_pending_age_seconds

from . import accessibility
from .celery import app as celery_app
from .forms import AccessibilityProblemForm

# The axe-core the browser tests check every page with (testing/vendor/axe-core), named on the statement.
AXE_VERSION = "4.14"


def home(request):
    """The front door. Logged in: what applies now for one's children (or oneself) and the consent
    campaign that is running, with one button to change it (consent.selectors.consent_home_for)."""
    consent = consent_home_for(user=request.user) if request.user.is_authenticated else None
    response = render(request, "home.html", {"consent": consent})
    if consent is not None:
        patch_cache_control(response, private=True, no_store=True)  # children's consent: never cached
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 — any failure means "down"
        return False


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001
        return "down"


def _may_see_health_details(request, *, database_ok: bool) -> bool:
    """A probe on this machine, or a functional admin past the second factor (as the admin asks).

    "This machine" is a loopback REMOTE_ADDR on a request no proxy forwarded: behind nginx on the
    same host every request comes from 127.0.0.1, but with the X-Forwarded-For header nginx adds.
    """
    try:
        loopback = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        loopback = False
    if loopback and "HTTP_X_FORWARDED_FOR" not in request.META:
        return True
    if not database_ok:
        return False  # who is logged in is known from the database
    user = request.user
    return user.is_authenticated and user.is_functional_admin and is_verified(user)


@never_cache
def healthz(request):
    """ok / down (503 when the database or the broker is down). The details — database, broker and
    the age of the oldest pending notification — only for the admin or a probe on this machine:
    they tell an attacker when the portal is weak."""
    database_ok = _database_ok()
    broker = _broker_status()
    healthy = database_ok and broker != "down"
    body = {"status": "ok" if healthy else "down"}
    if _may_see_health_details(request, database_ok=database_ok):
        body = {
            "database": "ok" if database_ok else "down",
            "broker": broker,
            "oldest_pending_notification_seconds": oldest_pending_age_seconds() if database_ok else None,
            **body,
        }
    return JsonResponse(body, status=200 if healthy else 503)


# The footer's language form carries no CSRF token: a token would make every public page personal
# (a per-visitor secret and a Set-Cookie), so neither Django's cache nor a proxy could keep any of them.
# Instead the switch is refused when the browser says the form came from another site (Fetch
# metadata, else the Origin header), as OWASP's CSRF cheat sheet describes; what it protects is
# only the display language of the visitor's own browser.
TRUSTED_FETCH_SITES = {"same-origin", "none"}  # "none": typed, bookmarked or opened by the user


def _sent_from_this_site(request) -> bool:
    if request.META.get("HTTP_SEC_FETCH_SITE") in TRUSTED_FETCH_SITES:
        return True
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        # A browser that sends neither header sends no Origin for a form from another site either
        # (it predates both); a request without them is not a forged form in a current browser.
        return "HTTP_SEC_FETCH_SITE" not in request.META
    return origin in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


@csrf_exempt  # see above: checked by _sent_from_this_site instead of a token
def set_language(request):
    """Django's language switch, for a form on one of our own pages only."""
    if request.method == "POST" and not _sent_from_this_site(request):
        return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason="The form was sent from another site.")
    if request.method == "POST" and request.user.is_authenticated:
        # The choice is also the language of this person's e-mails and of their other browsers.
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return i18n.set_language(request)


# Help: the user guides of docs/guide/, one page per audience -----------------------------------

GUIDES = {
    "ouders": gettext_lazy("Ouders en verzorgers"),
    "medewerkers": gettext_lazy("Medewerkers"),
    "schoolleiding": gettext_lazy("Schoolleiding"),
    "bestuur": gettext_lazy("Bestuur"),
    "beheer": gettext_lazy("Functioneel beheer"),
}


def _guide_path(slug: str, language: str):
    """The guide in the reader's language (docs/guide/<language>/), else the Dutch one (docs/guide/)."""
    guides = settings.BASE_DIR / "docs" / "guide"
    translated = guides / language / f"{slug}.md"
    if language != settings.LANGUAGE_CODE and translated.is_file():
        return translated, language
    return guides / f"{slug}.md", settings.LANGUAGE_CODE


def help_index(request):
    language = get_language()
    guides = [(slug, title, _guide_path(slug, language)[1]) for slug, title in GUIDES.items()]
    return render(request, "help/index.html", {"guides": guides})


def help_guide(request, slug: str):
    """A guide rendered from its Markdown, in the reader's language where it exists; the pictures
    are static files (made by `make screenshots`)."""
    if slug not in GUIDES:
        raise Http404
    path, language = _guide_path(slug, get_language())
    html = cache.get(f"help:{language}:{slug}")
    if html is None:
        text = path.read_text(encoding="utf-8")
        text = text.replace("../../../static/guide/", static("guide/")).replace("../../static/guide/", static("guide/"))
        html = markdown.markdown(text)  # our own Markdown from the repository, not user input
        cache.set(f"help:{language}:{slug}", html, 60 * 60)
    context = {"title": GUIDES[slug], "html": mark_safe(html), "guide_language": language}  # noqa: S308
    return render(request, "help/guide.html", context)


# Accessibility: the statement (the model of digitoegankelijk.nl) and reporting a barrier ---------


def accessibility_statement(request):
    return render(
        request,
        "accessibility/statement.html",
        {
            "axe_version": AXE_VERSION,
            "answer_within_days": accessibility.ANSWER_WITHIN_DAYS,
            "statement_date": accessibility.STATEMENT_DATE,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def accessibility_report(request):
    """Anyone, logged in or not, may report a barrier; it goes to the functional admins."""
    initial = {"page": request.GET.get("page", "")[:300]}
    if request.user.is_authenticated:  # an answer goes to the person logged in, unless they change it
        initial.update(name=request.user.get_full_name(), email=request.user.email)
    form = AccessibilityProblemForm(request.POST or None, initial=initial)
    address = client_ip(request)
    status = 200
    if request.method == "POST":
        if form.is_spam:
            return redirect("accessibility_report_sent")  # a bot is answered as if it worked
        if not form.is_valid():
            status = 400
        elif not accessibility.accessibility_report_admit(address, request.POST):
            form.add_error(
                None,
                _(
                    "Uw melding is nog niet verstuurd: vanaf dit netwerk komen nu veel meldingen binnen. "
                    "Doe de korte controle hieronder en verstuur opnieuw. Uw tekst is bewaard."
                ),
            )
            status = 429
        else:
            data = form.cleaned_data
            told = accessibility.accessibility_problem_report(
                page=data["page"],
                problem=data["problem"],
                assistive_technology=data["assistive_technology"],
                name=data["name"],
                email=data["email"],
            )
            if told:
                return redirect("accessibility_report_sent")
            form.add_error(
                None,
                _(
                    "Uw melding kon nu niet worden doorgestuurd: er is geen beheerder ingesteld. "
                    "Uw tekst is bewaard; neem contact op met de school of probeer het later opnieuw."
                ),
            )
            status = 503
    challenge = accessibility.accessibility_report_challenge(address)
    return render(request, "accessibility/report_form.html", {"form": form, "challenge": challenge}, status=status)


def accessibility_report_sent(request):
    return render(request, "accessibility/report_sent.html", {"answer_within_days": accessibility.ANSWER_WITHIN_DAYS})
