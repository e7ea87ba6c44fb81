"""Ways into the portal for every app's tests: a test client logged in (past the second factor where
one is due), and a real browser logged in by password and TOTP code or by an e-mailed link.

They live with accounts' factories because logging in is accounts' job; tests of the apps above
accounts import them from here, never from another app's test module (.importlinter).
"""

from __future__ import annotations

import re

from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from .factories import PASSWORD, UserFactory, confirmed_totp

# A test client ------------------------------------------------------------------------------------


def log_in(client, user) -> None:
    """Logged in as ``user``; staff and above also past the second factor (TOTP)."""
    client.force_login(user)
    if user.logs_in_with_password:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or confirmed_totp(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


def verified(client, user):
    """Log a leader or board member in past the second factor."""
    device = confirmed_totp(user)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def verified_admin(client):
    """A functional admin (Django's staff and superuser), logged in past the second factor."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = confirmed_totp(admin).persistent_id
    session.save()
    return admin


# A real browser ------------------------------------------------------------------------------------


def mailed_path(email: str, pattern: str) -> str:
    """The path matching ``pattern`` in the last e-mail sent to ``email`` (Django's test outbox)."""
    bodies = [m.body for m in mail.outbox if m.to == [email]]
    return re.search(rf"https?://[^/\s]+({pattern})", bodies[-1]).group(1)


def log_in_by_link(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/link/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    page.goto(live_server.url + mailed_path(email, r"/accounts/login/link/\S+/"))
    page.get_by_role("button", name="Inloggen").click()


def log_in_with_password(page, live_server, user) -> None:
    device = confirmed_totp(user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Controleren").click()
