"""The reporting channel holds on the Procfile's production setup: gunicorn, PostgreSQL, Redis, a worker.

- Redis (broker and cache) stopped mid-run: every POST endpoint still answers without a 5xx, a
  reporter still sees the receipt code, and once Redis is back every e-mail goes out exactly once.
- An anonymous report leaves nothing in the logs or in a database dump that points to its sender.
- PostgreSQL unreachable while a reporter sends: the clear 503 page, and the form comes back filled
  in from the browser alone (that test drives Debian's Chromium).
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
import socket
import subprocess
import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from playwright.sync_api import expect

from notifications.constants import Channel, Status
from notifications.models import Notification
from reports.models import Report
from skow_portal.tests.test_fuzz import ENDPOINTS
from skow_portal.tests.world import World
from testing.axe import axe_violations
from testing.services import require_service, wait_until
from testing.web import HttpClient

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _postgres() -> None:
    # Two gunicorn workers and a Celery worker write at once: a production database, not SQLite.
    require_service(connection.vendor == "postgresql", "PostgreSQL")


def report_data(school, **overrides) -> dict:
    data = {
        "school": str(school.pk),
        "category": "bullying",
        "platform": "whatsapp",
        "happened_on": "2026-11-20",
        "description": "Iemand uit groep 8 zet elke avond gemene berichten over mij in de groepsapp.",
        "involved_roles": "pupil",
        "reporter_role": "pupil",
        "is_anonymous": "on",
        "website": "",
        "submission_key": secrets.token_urlsafe(24),
    }
    data.update(overrides)
    return data


def send_report(http: HttpClient, school, **overrides) -> str:
    """A report as a browser sends it: the form, the POST, the thank-you page. Returns the code shown."""
    assert http.get("/report/").status == 200
    sent = http.post("/report/", report_data(school, **overrides))
    assert sent.status == 302 and sent.headers["Location"] == "/report/thanks/", sent.body[:2000]
    thanks = http.get("/report/thanks/")
    code = re.search(r'data-testid="receipt-code"[^>]*>([0-9A-Z-]+)<', thanks.body)
    assert thanks.status == 200 and code, thanks.body[:2000]
    return code.group(1)


def _http_as(web, world: World, endpoint, logged_in) -> HttpClient:
    """An HTTP client with the session (and cookies) the fuzz table's ``before`` would give a browser."""
    client = Client()
    if endpoint.role != "visitor":
        logged_in(world.users[endpoint.role], client=client)
    if endpoint.before:
        endpoint.before(world, client)
    http = HttpClient(web.url)
    http.cookies.update({name: morsel.value for name, morsel in client.cookies.items()})
    return http


def test_with_redis_stopped_every_post_answers_and_every_email_goes_out_once_after(
    tmp_path, private_redis, procfile_web, celery_worker_on, logged_in
):
    _postgres()
    world = World(tmp_path)
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    worker = celery_worker_on(private_redis.url, tmp_path)
    web = procfile_web({"REDIS_URL": private_redis.url, "CELERY_QUEUE": worker.queue})
    reporter = HttpClient(web.url)
    codes = [send_report(reporter, world.school_a)]

    private_redis.stop()  # the broker and the cache at once

    for _ in range(3):
        codes.append(send_report(HttpClient(web.url), world.school_a))
    answers = {}
    for endpoint in ENDPOINTS:
        http = _http_as(web, world, endpoint, logged_in)
        files = {name: (f"{name}.bin", make(world)) for name, make in endpoint.files.items()}
        answer = http.post(endpoint.url(world), endpoint.data(world), files)
        answers[endpoint.name] = answer.status
        assert answer.status < 500, f"{endpoint}: {answer.status} with Redis down\n{answer.body[:3000]}"
    for path in ("/", "/protocol/", "/report/", "/report/follow/", "/accounts/login/", "/help/"):
        assert HttpClient(web.url).get(path).status == 200, path
    follow = HttpClient(web.url)
    assert follow.post("/report/follow/", {"code": codes[-1]}).status == 302
    assert "Ontvangen" in follow.get("/report/follow/").body

    private_redis.start()  # the same port: the worker and the web reconnect by themselves

    reports = Report.objects.filter(school=world.school_a, is_anonymous=True).order_by("pk")
    # Sealed (common/vault.py): read, not searched.
    reports = [report for report in reports if report.description.startswith("Iemand uit")]
    assert len(reports) == len(codes) == 4
    emails = Notification.objects.filter(channel=Channel.EMAIL, pk__gt=before)
    wait_until(lambda: not emails.filter(status=Status.PENDING).exists(), timeout=90, what="the outbox to empty")
    assert not emails.filter(status=Status.FAILED).exists()
    sent = Counter(re.findall(r"^X-SKOW-Notification: (\d+)$", "".join(worker.sent_messages()), re.M))
    assert sent and set(sent.values()) == {1}, "an e-mail went out twice"
    assert set(sent) == {str(pk) for pk in emails.values_list("pk", flat=True)}, "an e-mail was lost"
    messages = "".join(worker.sent_messages()).split("-" * 79)
    leader = world.users["leader_a"].email
    for report in reports:  # each report's leader was told exactly once
        told = [m for m in messages if f"To: {leader}" in m and f"/cases/{report.case_id}/" in m]
        assert len(told) == 1, f"case {report.case_id}: told {len(told)} times"


def _database_dump() -> str:
    """Every row of the test database as text, as a backup would hold it."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql" and shutil.which("pg_dump"):
        host, port = settings["HOST"] or "127.0.0.1", str(settings["PORT"] or 5432)
        host, port = settings["HOST"] or "127.0.0.1", str(settings["PORT"] or 5432)
        result = subprocess.run(
            ["pg_dump", "--data-only", "-h", host, "-p", port, "-U", settings["USER"], settings["NAME"]],
            capture_output=True,
            text=True,
            check=True,
            env={"PGPASSWORD": settings["PASSWORD"] or "", "PATH": "/usr/bin:/bin"},
        )
        return result.stdout
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.append(repr(cursor.fetchall()))
    return "\n".join(rows)


def test_an_anonymous_report_leaves_nothing_in_logs_or_a_dump_that_points_to_its_sender(
    tmp_path, school, school_leader, redis_url, procfile_web, celery_worker_on
):
    _postgres()
    worker = celery_worker_on(redis_url, tmp_path)
    web = procfile_web({"REDIS_URL": redis_url, "CELERY_QUEUE": worker.queue, "PROXY_COUNT": "1"})
    agent = f"Mozilla/5.0 (Linux; Android 14; SM-A546B-{secrets.token_hex(6)}) Chrome/131.0 Mobile"
    address = f"198.51.100.{secrets.randbelow(200) + 20}"
    http = HttpClient(web.url, {"User-Agent": agent, "X-Forwarded-For": address, "Referer": f"{web.url}/"})
    for path in ("/", "/static/css/portal.css", "/protocol/"):
        http.get(path)
    key = secrets.token_urlsafe(24)
    code = send_report(http, school, submission_key=key, description="Anoniem: er worden naaktfoto's gedeeld.")
    assert http.post("/report/follow/", {"code": code}).status == 302
    assert http.post("/report/follow/reply/", {"body": "Het gebeurt nog steeds."}).status == 302
    http.post("/report/follow/", {"code": "0000-0000-0000-0000-0000"})  # a wrong code, counted
    wait_until(lambda: not Notification.objects.filter(status=Status.PENDING).exists(), what="the e-mails")
    web.stop()
    worker.stop()

    logs = web.log.read_text() + worker.log.read_text()
    dump = _database_dump()
    # Both were read; the description is sealed (common/vault.py), so not even it is in the dump.
    assert "naaktfoto" not in dump and "reports_report" in dump and "POST /report/ HTTP/1.1" in logs
    for secret in (agent, "SM-A546B", address, code, code.replace("-", ""), key):
        assert secret not in logs, f"the logs keep {secret!r}"
        assert secret not in dump, f"the database keeps {secret!r}"
    (report,) = [report for report in Report.objects.all() if report.description.startswith("Anoniem")]
    assert report.is_anonymous and report.reporter_user_id is None


class DatabaseLine:
    """A TCP relay between the web process and PostgreSQL that a test can cut: the database 'goes away'."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_cut = False
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if self.is_cut:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for side in (source, target):
                with contextlib.suppress(OSError):
                    side.close()

    def cut(self) -> None:
        self.is_cut = True
        for side in self.sockets:
            with contextlib.suppress(OSError):
                side.shutdown(socket.SHUT_RDWR)
        self.sockets = []

    def restore(self) -> None:
        self.is_cut = False

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.mark.browser
def test_with_the_database_gone_the_reporter_gets_the_503_page_and_the_form_back_filled_in(
    page, school, school_leader, procfile_web
):
    _postgres()
    line = DatabaseLine(int(connection.settings_dict["PORT"] or 5432))
    try:
        web = procfile_web({"DATABASE_URL": _database_url_via(line.port)})
        page.goto(f"{web.url}/report/")
        page.get_by_label("Over welke school gaat het?").select_option(label=school.name)
        page.get_by_label("Wat is er gebeurd?").select_option(label="Pesten")
        page.get_by_label("Waar gebeurde het?").select_option(label="WhatsApp")
        page.get_by_label("Wanneer gebeurde het?").fill("2026-11-20")
        page.get_by_label("Beschrijf wat er is gebeurd").fill("Ze lachen mij uit in de groepsapp van groep 7.")
        page.get_by_role("group", name="Ik ben").get_by_label("Leerling", exact=True).check()
        page.get_by_label("Ik meld anoniem").check()

        line.cut()
        page.get_by_role("button", name="Melding versturen").click()
        expect(page.get_by_role("heading", name="De portal is even niet bereikbaar")).to_be_visible()
        expect(page.get_by_text("Wat u net verstuurde, is niet opgeslagen")).to_be_visible()
        assert axe_violations(page) == []
        assert Report.objects.count() == 0

        line.restore()
        page.get_by_role("link", name="Terug naar het meldformulier").click()
        expect(page.get_by_text("Wat u eerder in dit tabblad invulde, staat er weer.")).to_be_visible()
        expect(page.get_by_label("Beschrijf wat er is gebeurd")).to_have_value(
            "Ze lachen mij uit in de groepsapp van groep 7."
        )
        expect(page.get_by_label("Over welke school gaat het?")).to_have_value(str(school.pk))
        expect(page.get_by_label("Ik meld anoniem")).to_be_checked()
        assert axe_violations(page) == []
        page.get_by_role("button", name="Melding versturen").click()
        expect(page.get_by_test_id("receipt-code")).to_be_visible()
        assert Report.objects.get().description == "Ze lachen mij uit in de groepsapp van groep 7."
        # The thank-you page forgets the draft: the form opens empty again.
        page.goto(f"{web.url}/report/")
        expect(page.get_by_label("Beschrijf wat er is gebeurd")).to_have_value("")
    finally:
        line.close()


def _database_url_via(port: int) -> str:
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@127.0.0.1:{port}/{settings['NAME']}"


@pytest.mark.browser
def test_with_redis_stopped_a_pupil_reports_in_the_browser_sees_the_code_and_follows_it_up(
    page, tmp_path, school, school_leader, private_redis, procfile_web, celery_worker_on
):
    _postgres()
    worker = celery_worker_on(private_redis.url, tmp_path)
    web = procfile_web({"REDIS_URL": private_redis.url, "CELERY_QUEUE": worker.queue})
    private_redis.stop()

    page.goto(f"{web.url}/report/")
    page.get_by_label("Over welke school gaat het?").select_option(label=school.name)
    page.get_by_label("Wat is er gebeurd?").select_option(label="Pesten")
    page.get_by_label("Waar gebeurde het?").select_option(label="TikTok")
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-20")
    page.get_by_label("Beschrijf wat er is gebeurd").fill("Er staat een filmpje van mij op TikTok dat ik niet wil.")
    page.get_by_role("group", name="Ik ben").get_by_label("Leerling", exact=True).check()
    page.get_by_label("Ik meld anoniem").check()
    page.get_by_role("button", name="Melding versturen").click()
    code = page.get_by_test_id("receipt-code")
    expect(code).to_be_visible()
    receipt = code.inner_text()
    page.reload()
    expect(page.get_by_test_id("receipt-code")).to_have_count(0)  # shown once, also without Redis

    page.goto(f"{web.url}/report/follow/")
    page.get_by_label("Uw ontvangstcode").fill(receipt)
    page.get_by_role("button", name="Melding bekijken").click()
    expect(page.get_by_test_id("case-state")).to_have_text("Ontvangen")

    private_redis.start()
    leader_mail = Notification.objects.get(recipient=school_leader, channel=Channel.EMAIL)
    wait_until(lambda: Notification.objects.get(pk=leader_mail.pk).status == Status.SENT, timeout=60, what="the e-mail")
    messages = "".join(worker.sent_messages()).split("-" * 79)
    assert sum(f"/cases/{Report.objects.get().case_id}/" in message for message in messages) == 1
