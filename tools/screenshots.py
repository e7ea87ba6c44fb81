"""`make screenshots`: the pictures of the user guides (docs/guide/), taken from the demo data.

Builds a throw-away SQLite database with `seed_demo`, serves it, and walks the pages of each guide
in Debian's Chromium with Playwright, as the person the guide is for. Pictures go to
static/guide/, where both the Markdown guides and the portal's help pages (/help/) find them.

    .venv/bin/python -m tools.screenshots
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tools.bench import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
OUT = BASE_DIR / "static" / "guide"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "SKOW-demo-2026!"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 860}}


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("screenshots: the portal did not start")


def _log_in_staff(page, base: str, email: str) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Controleren").click()


def _login_link(email: str) -> str:
    """A fresh single-use login link, as a parent gets one: asked for, and read from the e-mail."""
    from django.core import mail

    from accounts.services import login_link_request

    mail.outbox = []
    login_link_request(email=email)  # tasks run in this process (CELERY_TASK_ALWAYS_EAGER)
    (message,) = mail.outbox
    return re.search(r"/accounts/login/link/[^/\s]+/", message.body)[0]


def _shot(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / f"{name}.png"))
    print(f"  static/guide/{name}.png")


def parents(browser, base: str) -> None:
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/accounts/login/link/")
    _shot(page, "ouders-1-inloglink")
    page.goto(base + _login_link("ouder@demo.skow.nl"))
    page.get_by_role("button", name="Inloggen").click()
    _shot(page, "ouders-5-start")  # the home page: each child's consent and the open campaign
    page.goto(f"{base}/consent/")
    _shot(page, "ouders-2-toestemming")
    page.locator("form input[type=checkbox]").first.scroll_into_view_if_needed()
    _shot(page, "ouders-3-kiezen")
    page.goto(f"{base}/report/")
    _shot(page, "ouders-4-melden")
    page.context.close()


def staff(browser, base: str) -> None:
    page = browser.new_context(**DESKTOP).new_page()
    _log_in_staff(page, base, "leerkracht@demo.skow.nl")
    _shot(page, "medewerkers-1-start")
    page.goto(f"{base}/protocol/acknowledge/")
    _shot(page, "medewerkers-2-protocol-gelezen")
    page.goto(f"{base}/consent/groups/")
    _shot(page, "medewerkers-3-groepen")
    page.get_by_role("link", name="Fotocheck").last.click()
    _shot(page, "medewerkers-4-fotocheck")
    page.context.close()


def leaders(browser, base: str) -> None:
    from accounts.models import School

    page = browser.new_context(**DESKTOP).new_page()
    _log_in_staff(page, base, "directeur.jozef@demo.skow.nl")
    page.goto(f"{base}/consent/campaigns/")
    _shot(page, "schoolleiding-1-campagnes")
    page.goto(f"{base}/consent/publications/")
    _shot(page, "schoolleiding-6-publicaties")
    page.goto(f"{base}/consent/sixteen/")
    _shot(page, "schoolleiding-7-zestien")
    school = School.objects.filter(role_assignments__user__email="directeur.jozef@demo.skow.nl").first()
    page.goto(f"{base}/protocol/acknowledgements/{school.pk}/")
    _shot(page, "schoolleiding-2-leesbevestigingen")
    page.goto(f"{base}/cases/")
    _shot(page, "schoolleiding-3-meldingen")
    page.locator("main table a[href^='/cases/']").first.click()
    _shot(page, "schoolleiding-4-dossier")
    page.context.close()


def board(browser, base: str) -> None:
    page = browser.new_context(**DESKTOP).new_page()
    _log_in_staff(page, base, "bestuur@demo.skow.nl")
    page.goto(f"{base}/protocol/drafts/")
    _shot(page, "bestuur-1-concepten")
    page.goto(f"{base}/protocol/history/")
    _shot(page, "bestuur-2-geschiedenis")
    page.goto(f"{base}/cases/")
    _shot(page, "bestuur-3-meldingen")
    page.goto(f"{base}/cases/retention/")
    _shot(page, "bestuur-4-bewaartermijn")
    page.goto(f"{base}/accounts/hygiene/")
    _shot(page, "bestuur-5-accounts")
    page.goto(f"{base}/accounts/roles/")
    _shot(page, "bestuur-6-rollen")
    page.context.close()


def functional_admin(browser, base: str) -> None:
    from accounts.models import User

    page = browser.new_context(**DESKTOP).new_page()
    _log_in_staff(page, base, "beheer@demo.skow.nl")
    page.goto(f"{base}/accounts/roles/")
    _shot(page, "beheer-1-rollen")
    teacher = User.objects.get(email="leerkracht@demo.skow.nl")
    page.goto(f"{base}/admin/accounts/user/{teacher.pk}/change/")
    _shot(page, "beheer-2-gebruiker")
    page.context.close()


def main() -> int:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="skow-shots-"))
    port = free_port()
    env = {
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
        "EMAIL_URL": "memorymail://",  # the login link is read from its e-mail (_login_link)
        "PRIVATE_STORAGE_ROOT": str(workdir / "private"),
        "SKOW_MASTER_KEY_FILE": str(workdir / "master.key"),  # made on first use (DEBUG)
        "SKOW_KEY_STORE": str(workdir / "keystore"),
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "REDIS_URL": "",
    }
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "skow_portal.settings"
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain and serial.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    OUT.mkdir(parents=True, exist_ok=True)
    server = _serve(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
            )
            # `python -m tools.screenshots board functional_admin`: only those guides' pictures.
            guides = (parents, staff, leaders, board, functional_admin)
            for guide in [guide for guide in guides if guide.__name__ in sys.argv[1:]] or guides:
                print(f"{guide.__name__}:")
                guide(browser, base)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
