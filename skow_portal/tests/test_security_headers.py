"""Security headers on every page, and templates a strict Content-Security-Policy can serve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
# E-mails are read in a mail program, never served as pages: their inline styles are how e-mail works.
EXEMPT = re.compile(r"/(email|emails)/|email_base\.html$")
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "an inline event handler (on...=)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def _served_templates() -> list[Path]:
    found = []
    for directory in [*settings.TEMPLATES[0]["DIRS"], *ROOT.glob("*/templates")]:
        found += [p for p in Path(directory).rglob("*.html") if not EXEMPT.search(str(p))]
    return found


def test_the_policy_allows_no_inline_code_and_no_framing():
    policy = settings.CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"):
        assert directive in policy


@pytest.mark.parametrize("url", ["/", "/protocol/", "/report/", "/accounts/login/", "/healthz/", "/no-such-page/"])
def test_every_answer_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_view_with_its_own_policy_keeps_it(world, client, logged_in):

    logged_in(world.users["leader_a"])
    response = client.get(reverse("reports:evidence", args=[world.case_a.pk, world.evidence_a.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_no_served_template_holds_inline_script_or_style():
    templates = _served_templates()
    assert len(templates) > 50  # the scan found the templates
    offences = [
        f"{path.relative_to(ROOT)}:{number}: {what}"
        for path in templates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for pattern, what in INLINE
        if pattern.search(line)
    ]
    assert not offences, "The Content-Security-Policy would block these; move them to static/:\n  " + "\n  ".join(
        offences
    )


def test_the_honeypot_of_the_report_form_is_hidden_by_a_class_not_a_style(client):
    page = client.get(reverse("reports:new")).content.decode()
    assert 'class="offscreen"' in page and "style=" not in page
    assert ".offscreen" in (ROOT / "static" / "css" / "portal.css").read_text()


def test_the_totp_qr_code_is_inline_svg_without_style(client, school_leader):
    client.force_login(school_leader)
    page = client.get(reverse("accounts:totp_setup")).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<path" in svg and "style" not in svg


# Blocked, and harmless: a column width in changelists without actions (none of ours has none).
HARMLESS_IN_PACKAGES = {("change_list.html", "a <style> element")}


def test_the_templates_of_the_admin_and_crispy_forms_hold_no_inline_code_either():
    import crispy_bootstrap5
    import django

    roots = [Path(django.__file__).parent / "contrib" / "admin" / "templates", Path(crispy_bootstrap5.__file__).parent]
    offences = [
        f"{path}:{number}: {what}"
        for root in roots
        for path in root.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for pattern, what in INLINE
        if pattern.search(line) and (path.name, what) not in HARMLESS_IN_PACKAGES
    ]
    assert not offences, "\n".join(offences)
