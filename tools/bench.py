"""`make bench`: seed data, serve the portal as the Procfile does, measure, print one table.

Not a test: timings depend on the machine, so they are printed and recorded in docs/performance.md,
never asserted in the suite. Runs the Procfile's own ``web`` line (gunicorn with its arguments) and
its ``worker`` lines, and a local SMTP server (aiosmtpd) that takes 50 ms over each message: an
e-mail counts as delivered when that server has accepted it. Uses PostgreSQL (127.0.0.1:5432,
database ``skow_bench``) and Redis (127.0.0.1:6379, db 12) when they answer, else SQLite with tasks
run in-process, with a warning.

    .venv/bin/python -m tools.bench [--pupils 1000] [--guardians 3000] [--seconds 5]
                                    [--only protocol,reports,consent,campaign,cases,login]
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import http.cookiejar
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# For this process, gunicorn and the workers alike: the portal's settings, the bench's page and task.
SETTINGS = "tools.bench_settings"
MINIMAL_PATH = "/__bench__/minimal/"  # served by tools/bench_urls.py
PASSWORD = "Bench-wachtwoord-2026!"
PG_URL = "postgres://postgres@127.0.0.1:5432/"
REDIS_URL = "redis://127.0.0.1:6379/"


# Environment ---------------------------------------------------------------------------------------


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment(args, workdir: Path, port: int, mail_url: str) -> tuple[dict[str, str], bool]:
    """Environment for this process, gunicorn and the workers; True when real services are used."""
    real = _port_open("127.0.0.1", 5432) and _port_open("127.0.0.1", 6379)
    env = {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": mail_url,
        "STATIC_ROOT": str(workdir / "static"),
        "PRIVATE_STORAGE_ROOT": str(workdir / "private"),
        # The vault's keys of this run (README, "Keys"): a fresh master key, a key store in workdir.
        "SKOW_MASTER_KEY": "bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "SKOW_KEY_STORE": str(workdir / "keystore"),
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "PROXY_COUNT": "1",  # the login part sends X-Forwarded-For: one client address per request
        "LOG_LEVEL": "WARNING",
        "AXES_FAILURE_LIMIT": "1000",
        "REPORT_INTAKE_FREE_PER_HOUR": "100000",
        "REPORT_FOLLOW_FREE_PER_HOUR": "100000",
        "NOTIFICATION_SWEEP_INTERVAL_SECONDS": "5",
    }
    if real:
        env |= {
            "DATABASE_URL": PG_URL + args.database,
            "REDIS_URL": f"{REDIS_URL}{args.redis_db}",
            "CELERY_QUEUE": "bench",
        }
    else:
        env |= {"DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "CELERY_TASK_ALWAYS_EAGER": "1"}
    return env, real


def reset_database(args, real: bool) -> None:
    if not real:
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(args.database)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.database)))
    import redis

    redis.Redis.from_url(f"{REDIS_URL}{args.redis_db}").flushdb()


class MailServer:
    """A local SMTP server (aiosmtpd) that takes ``delay`` seconds over each message, as a real one
    does, and notes when it accepted which outbox row (header X-SKOW-Notification) over which
    connection. Accepted means: DATA received and answered 250, the moment a mail server takes over."""

    def __init__(self, delay: float):
        from aiosmtpd.controller import Controller

        self.delay = delay
        self.accepted: dict[int, float] = {}
        self.peers: dict[int, tuple] = {}
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.url = f"smtp://127.0.0.1:{self.controller.port}"

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        from email import message_from_bytes

        await asyncio.sleep(self.delay)
        notification_id = int(message_from_bytes(envelope.original_content)["X-SKOW-Notification"])
        self.accepted[notification_id] = time.time()
        self.peers[notification_id] = tuple(session.peer)
        return "250 Message accepted for delivery"

    def connections_for(self, notification_ids) -> int:
        return len({self.peers[pk] for pk in notification_ids if pk in self.peers})


# Seeding -------------------------------------------------------------------------------------------


@dataclass
class Seeded:
    leader_email: str
    totp_key: bytes
    groups: dict[str, tuple[int, list[int]]]  # label → (group id, pupil ids)
    campaign_school_id: int
    campaign_leader_id: int
    board_email: str = ""
    board_totp_key: bytes = b""


def _seed_group(*, school, year: str, grade: int, name: str, size: int, prefix: str):
    """A group of ``size`` pupils, each with a guardian; every other pupil has consent on record."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Group, Guardianship, Pupil, User
    from common.hashchain import chain_append
    from consent.constants import Basis, Method
    from consent.models import ConsentDecision
    from consent.selectors import consent_form_current

    today = timezone.localdate()
    group = Group.objects.create(school=school, school_year=year, grade=grade, name=name)
    born = today.replace(year=today.year - 4 - grade)
    Pupil.objects.bulk_create(
        Pupil(
            school=school,
            group=group,
            student_number=f"{prefix}{i:05d}",
            first_name=f"Kind{i}",
            last_name=f"{prefix}-{name}",
            date_of_birth=born,
        )
        for i in range(size)
    )
    pupils = list(Pupil.objects.filter(group=group).order_by("pk"))
    unusable = make_password(None)
    User.objects.bulk_create(
        User(email=f"{prefix}{i}@{name}.bench.skow.nl".lower(), password=unusable, first_name="Ouder", last_name=str(i))
        for i in range(size)
    )
    parents = list(User.objects.filter(email__endswith=f"@{name}.bench.skow.nl".lower()).order_by("pk"))
    pairs = list(zip(parents, pupils, strict=True))
    Guardianship.objects.bulk_create(Guardianship(guardian=g, pupil=p) for g, p in pairs)
    form = consent_form_current()
    now = timezone.now()
    ConsentDecision.objects.bulk_create(
        ConsentDecision(
            pupil=p,
            decided_by=g,
            basis=Basis.GUARDIAN,
            method=Method.LINK,
            form=form,
            text_sha256=form.text_sha256(),
            answers={"website": {"photo": True}},
            decided_at=now,
        )
        for g, p in pairs[::2]
    )
    # bulk_create skips save(): each decision joins its pupil's hash chain here (common/hashchain.py).
    with transaction.atomic():
        for decision in ConsentDecision.objects.filter(pupil__in=pupils, chain_seq__isnull=True).order_by("pk"):
            chain_append(decision)
    return group.pk, [p.pk for p in pupils]


def seed(*, pupils: int, guardians: int) -> Seeded:
    """A school of ``pupils`` pupils in groups of 30, plus one group of ``pupils`` (the stress case);
    and a second school with ``guardians`` families for the campaign."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import RoleAssignment, School, User, current_school_year

    year = current_school_year()
    school = School.objects.create(name="Bench-school", brin="99BE")
    leader = User.objects.create_user("leider@bench.skow.nl", PASSWORD, first_name="Bench", last_name="Leider")
    RoleAssignment.objects.create(user=leader, role="school_leader", school=school)
    device = TOTPDevice.objects.create(user=leader, name="bench", confirmed=True)
    groups = {}
    for index in range(max(pupils // 30, 1)):
        seeded = _seed_group(
            school=school, year=year, grade=index % 8 + 1, name=f"g{index}", size=30, prefix=f"A{index}-"
        )
        groups.setdefault(f"group of 30 in a school of {pupils} pupils", seeded)
    groups[f"one group of {pupils} pupils"] = _seed_group(
        school=school, year=year, grade=8, name="groot", size=pupils, prefix="B"
    )

    other = School.objects.create(name="Campagne-school", brin="98CA")
    other_leader = User.objects.create_user("campagne@bench.skow.nl", PASSWORD)
    RoleAssignment.objects.create(user=other_leader, role="school_leader", school=other)
    per_group = -(-guardians // 8)
    for grade in range(1, 9):
        size = min(per_group, guardians - (grade - 1) * per_group)
        if size > 0:
            _seed_group(school=other, year=year, grade=grade, name=f"c{grade}", size=size, prefix=f"C{grade}-")
    return Seeded(
        leader_email=leader.email,
        totp_key=device.bin_key,
        groups=groups,
        campaign_school_id=other.pk,
        campaign_leader_id=other_leader.pk,
    )


# HTTP ----------------------------------------------------------------------------------------------


class Browser:
    """A cookie-keeping client, enough to log in with CSRF, password and TOTP."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, path: str, data: dict | list, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        fields.append(("csrfmiddlewaretoken", self.csrf()))
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(  # noqa: S310 — our own http://127.0.0.1 server
            self.base + path, data=body, headers={"Referer": self.base + path, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def log_in(self, email: str, totp_key: bytes) -> None:
        from django_otp.oath import totp

        self.get("/accounts/login/")
        self.post("/accounts/login/", {"username": email, "password": PASSWORD})
        self.get("/accounts/login/verify/")
        status, body = self.post("/accounts/login/verify/", {"token": f"{totp(totp_key):06d}"})
        if b"Uitloggen" not in body:
            raise SystemExit(f"bench: could not log in as {email} (status {status})")


def timed(call: Callable[[], tuple[int, bytes]], runs: int) -> list[float]:
    """Milliseconds per call, after one warm-up; every call must answer 200."""
    call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        status, _body = call()
        samples.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"bench: a measured request answered {status}")
    return samples


def throughput(base: str, path: str, seconds: float, threads: int = 8) -> float:
    """Requests per second that answered 200, from ``threads`` clients for ``seconds``; each asks for
    gzip, as every browser does (a public page is then served compressed, from the cache)."""
    deadline = time.perf_counter() + seconds

    def client() -> int:
        done = 0
        opener = urllib.request.build_opener()
        opener.addheaders = [("Accept-Encoding", "gzip")]
        while time.perf_counter() < deadline:
            with opener.open(base + path, timeout=30) as response:
                response.read()
                done += response.status == 200
        return done

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(lambda _i: client(), range(threads)))
    return total / (time.perf_counter() - start)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(round(p / 100 * (len(ordered) - 1)), len(ordered) - 1)]


# Processes -----------------------------------------------------------------------------------------


def procfile() -> dict[str, str]:
    """The Procfile's processes by name. The bench runs their command lines as written, so it serves
    exactly as production does."""
    lines = (BASE_DIR / "Procfile").read_text().splitlines()
    return {match[1]: match[2] for line in lines if (match := re.match(r"^([\w-]+):\s*(.+)$", line))}


def start_procfile(name: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Run the Procfile's line ``name`` through the shell (its ``${VAR:-default}``), with this
    virtualenv's gunicorn and celery first on the PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return start(["/bin/sh", "-c", procfile()[name]], {**env, "PATH": path}, log)


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 — fixed commands of our own
        command,
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"bench: timed out waiting for {what}")


# Measurements --------------------------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    value: str
    target: str
    met: bool | None


def seed_cases(count: int) -> tuple[str, bytes]:
    """``count`` case files with one report each over the bench schools, spread over two years in
    every state; and a board member (who sees them all). Returns the board member's login."""
    import datetime

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import RoleAssignment, School, User
    from reports.constants import CaseState, Category, Platform, ReporterRole
    from reports.models import Case, Report

    board = User.objects.create_user("bestuur@bench.skow.nl", PASSWORD, first_name="Bench", last_name="Bestuur")
    RoleAssignment.objects.create(user=board, role="board")
    device = TOTPDevice.objects.create(user=board, name="bench", confirmed=True)
    schools = list(School.objects.order_by("pk"))
    states, categories, platforms = list(CaseState), list(Category), list(Platform)
    now = timezone.now()
    for start in range(0, count, 2000):
        batch = []
        for i in range(start, min(start + 2000, count)):
            opened = now - datetime.timedelta(hours=i * 2)  # about 2.3 years for 10,000
            state = states[i % len(states)]
            closed = state == CaseState.CLOSED
            batch.append(
                Case(
                    school=schools[i % len(schools)],
                    state=state,
                    created_at=opened,
                    acknowledge_due_at=opened + datetime.timedelta(days=7),
                    feedback_due_at=opened + datetime.timedelta(days=91),
                    acknowledged_at=None if state == CaseState.NEW else opened + datetime.timedelta(days=i % 9),
                    closed_at=opened + datetime.timedelta(days=20 + i % 60) if closed else None,
                    closing_reason="handled" if closed else "",
                    handler=board if i % 3 else None,
                )
            )
        cases = Case.objects.bulk_create(batch)
        Report.objects.bulk_create(
            [
                Report(
                    case=case,
                    school=case.school,
                    category=categories[case.pk % len(categories)],
                    platform=platforms[case.pk % len(platforms)],
                    happened_on=case.created_at.date(),
                    description=f"Bench-melding {case.pk}: berichten in de groepsapp.",
                    reporter_role=ReporterRole.PARENT,
                    is_anonymous=True,
                    receipt_code_digest=f"bench-{case.pk}",
                    submission_digest=f"bench-{case.pk}",
                )
                for case in cases
            ]
        )
    return board.email, device.bin_key


def _case_rows(args, base: str, board_email: str, board_key: bytes) -> list[Row]:
    """The case list (plain, filtered, searched) and the statistics page, as the board sees them."""
    board = Browser(base)
    board.log_in(board_email, board_key)
    rows = []
    # The target for every one of these: p50 under 100 ms at 10,000 cases (docs/performance.md).
    for label, path, target in (
        (f"/cases/ of {args.cases} cases", "/cases/", 100),
        ("/cases/ overdue first, filtered", "/cases/?overdue=on&sort=overdue&state=investigating", 100),
        ("/cases/ searched", "/cases/?q=groepsapp&page=3", 100),
        (f"/cases/statistics/ of {args.cases} cases", "/cases/statistics/", 100),
    ):
        rows.append(_latency_row(label, timed(lambda p=path: board.get(p), args.runs), target))
    return rows


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Time the answer itself, not the page it redirects to."""

    def redirect_request(self, *args, **kwargs):
        return None


def _link_request_rows(args, seeded: Seeded, base: str, real: bool) -> list[Row]:
    """ "Inloglink" and "wachtwoord vergeten" for a known and an unknown address: the page must take
    the same time for both (else its timing tells who has an account). Known and unknown alternate;
    each request waits until the worker has answered the one before, so neither pays for the other."""
    from accounts.models import Guardianship, LinkRequest

    parent_email = Guardianship.objects.values_list("guardian__email", flat=True).first()
    browser = Browser(base)
    browser.opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(browser.jar))
    browser.get("/accounts/login/link/")  # the CSRF cookie
    addresses = itertools.count(1)
    rows = []
    for label, path, known in (
        ("inloglink", "/accounts/login/link/", parent_email),
        ("wachtwoord vergeten", "/accounts/password/forgotten/", seeded.leader_email),
    ):
        samples: dict[str, list[float]] = {"known": [], "unknown": []}
        for number in range(-2, args.runs):  # two rounds of warm-up
            for kind, email in (("known", known), ("unknown", f"niemand-{number}@bench.skow.nl")):
                wait_for(lambda: not LinkRequest.objects.exists(), 30, "the worker to answer a link request")
                # A new client address each time: the per-address limit would skip the work otherwise.
                n = next(addresses)
                headers = {"X-Forwarded-For": f"10.0.{n // 250}.{n % 250 + 1}"}
                start = time.perf_counter()
                status, _body = browser.post(path, {"email": email}, headers)
                elapsed = (time.perf_counter() - start) * 1000
                if status != 302:
                    raise SystemExit(f"bench: {path} answered {status}")
                if number >= 0:
                    samples[kind].append(elapsed)
        known_p50, unknown_p50 = statistics.median(samples["known"]), statistics.median(samples["unknown"])
        ratio = known_p50 / unknown_p50
        rows.append(
            Row(
                f"{label}: known / unknown address, p50",
                f"{known_p50:.1f} / {unknown_p50:.1f} ms = {ratio:.2f} x",
                "0.8-1.25 x" if real else "(tasks in-process: not measured)",
                0.8 <= ratio <= 1.25 if real else None,
            )
        )
    return rows


# Reports sent before timing: enough to warm each worker process that may take urgent mail.
WARM_UP_REPORTS = 4
PARTS = ("protocol", "reports", "consent", "campaign", "cases", "login")


def measure(args, seeded: Seeded, base: str, real: bool, mail: MailServer) -> list[Row]:
    rows: list[Row] = []
    if "protocol" in args.only:
        minimal_rps = throughput(base, MINIMAL_PATH, args.seconds)
        rows.append(Row("minimal Django view, throughput", f"{minimal_rps:.0f} req/s", "(the framework's floor)", None))
        protocol_rps = throughput(base, "/protocol/", args.seconds)
        ratio = protocol_rps / minimal_rps
        rows.append(
            Row("/protocol/ throughput", f"{protocol_rps:.0f} req/s = {ratio:.2f} x minimal", ">= 0.8 x", ratio >= 0.8)
        )
    if "reports" in args.only:
        rows.extend(_report_rows(args, seeded, base, real, mail))
    if "consent" in args.only:
        rows.extend(_consent_rows(args, seeded, base))
    if "campaign" in args.only:
        rows.extend(_campaign_rows(args, seeded, base, mail))
    if "cases" in args.only:
        rows.extend(_case_rows(args, base, seeded.board_email, seeded.board_totp_key))
    if "login" in args.only:
        rows.extend(_link_request_rows(args, seeded, base, real))
    if not real:
        rows.append(Row("(SQLite and tasks in-process: not the production set-up)", "", "", None))
    return rows


def _consent_rows(args, seeded: Seeded, base: str) -> list[Row]:
    """The group overview and the photo check, as a school leader sees them."""
    rows = []
    leader = Browser(base)
    leader.log_in(seeded.leader_email, seeded.totp_key)
    for label, (group_id, pupil_ids) in seeded.groups.items():
        overview = timed(lambda g=group_id: leader.get(f"/consent/groups/{g}/"), args.runs)
        rows.append(_latency_row(f"group overview, {label}", overview, 100))
        picked = [("pupils", pk) for pk in pupil_ids[:25]]
        check = timed(
            lambda g=group_id, p=picked: leader.post(
                f"/consent/groups/{g}/photo-check/", [*p, ("purpose", "website"), ("medium", "photo"), ("check", "")]
            ),
            args.runs,
        )
        rows.append(_latency_row(f"photo check of 25, {label}", check, 100))
    return rows


def _submit_report(base: str, school_id: int, number: int) -> float | None:
    """Fetch the form and send an anonymous report, as a phone would. Returns when it was sent
    (time.time() as the button is pressed), or None when it was not received."""
    browser = Browser(base)
    status, page = browser.get("/report/")
    key = re.search(rb'name="submission_key" value="([^"]+)"', page)
    if status != 200 or key is None:
        return None
    sent_at = time.time()
    status, body = browser.post(
        "/report/",
        {
            "submission_key": key.group(1).decode(),
            "school": school_id,
            "category": "bullying",
            "platform": "whatsapp",
            "happened_on": "2026-11-20",
            "description": f"Benchmarkmelding {number}: er wordt gepest in de groepsapp.",
            "involved_roles": "pupil",
            "reporter_role": "pupil",
            "is_anonymous": "on",
        },
    )
    return sent_at if status == 200 and b"/report/follow/" in body else None


def _celery_round_trips(samples: int) -> list[float]:
    """Milliseconds from handing a no-op task to the broker until the worker has run it."""
    from django.core.cache import cache

    from tools.bench_tasks import bench_ping

    times = []
    for n in range(samples):
        key = f"bench-ping-{n}-{secrets.token_hex(4)}"
        start = time.time()
        bench_ping.delay(key)
        wait_for(lambda k=key: cache.get(k) is not None, 30, "a Celery round trip")
        times.append((cache.get(key) - start) * 1000)
    return times


def _report_mail_latencies(args, seeded: Seeded, base: str, mail: MailServer) -> list[float]:
    """Milliseconds from sending a report until the mail server accepted the leader's e-mail, one
    report at a time. The first few warm up the workers' processes (a database connection and
    compiled templates each), as timed() warms up a page; they are not counted."""
    from accounts.models import School
    from notifications.constants import Channel
    from notifications.models import Notification

    school_id = School.objects.get(brin="99BE").pk
    mails = Notification.objects.filter(
        channel=Channel.EMAIL, template="reports/email/new_report", email=seeded.leader_email
    )
    latencies = []
    for number in range(-WARM_UP_REPORTS, args.runs):
        last = mails.order_by("-pk").values_list("pk", flat=True).first() or 0
        sent_at = _submit_report(base, school_id, number)
        if sent_at is None:
            raise SystemExit("bench: a report was refused")
        pk = mails.filter(pk__gt=last).values_list("pk", flat=True).get()
        wait_for(lambda pk=pk: pk in mail.accepted, 60, "the leader's e-mail at the mail server")
        if number >= 0:
            latencies.append((mail.accepted[pk] - sent_at) * 1000)
    return latencies


def _report_rows(args, seeded: Seeded, base: str, real: bool, mail: MailServer) -> list[Row]:
    from accounts.models import School
    from notifications.constants import Channel
    from notifications.models import Notification
    from reports.models import Report

    school_id = School.objects.get(brin="99BE").pk
    mails = Notification.objects.filter(channel=Channel.EMAIL, template="reports/email/new_report")
    latencies = _report_mail_latencies(args, seeded, base, mail)
    p95 = percentile(latencies, 95)
    rows = [
        Row(
            "report -> leader's e-mail accepted by the mail server, p50 / p95",
            f"{statistics.median(latencies):.0f} / {p95:.0f} ms",
            "p95 < 1000 ms",
            p95 < 1000,
        )
    ]
    if real:
        trips = _celery_round_trips(args.runs)
        rows.append(
            Row(
                "bare Celery round trip, p50 / p95",
                f"{statistics.median(trips):.0f} / {percentile(trips, 95):.0f} ms",
                "(for comparison)",
                None,
            )
        )
    # Load: many reports at once; every one must be stored and announced.
    count_before = Report.objects.count()
    mails_before = set(mails.values_list("pk", flat=True))
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
        results = list(pool.map(lambda n: _submit_report(base, school_id, 10_000 + n), range(args.reports)))
    seconds = time.perf_counter() - start
    stored = Report.objects.count() - count_before
    announced = set(mails.values_list("pk", flat=True)) - mails_before
    wait_for(lambda: announced <= mail.accepted.keys(), 300, "every report's e-mail at the mail server")
    errors = results.count(None)
    rows.append(
        Row(
            f"{args.reports} reports by {args.concurrency} clients at once",
            f"{stored} stored, {len(announced)} e-mailed, {errors} errors, {args.reports / seconds:.0f}/s",
            "none lost, no errors",
            stored == len(announced) == args.reports and errors == 0,
        )
    )
    return rows


def _latency_row(name: str, samples: list[float], target_ms: float) -> Row:
    p50 = statistics.median(samples)
    return Row(
        f"{name}, p50 / p95",
        f"{p50:.0f} / {percentile(samples, 95):.0f} ms",
        f"p50 < {target_ms:.0f} ms",
        p50 < target_ms,
    )


def _campaign_rows(args, seeded: Seeded, base: str, mail: MailServer) -> list[Row]:
    """A consent campaign to every family of a school: how fast it is queued, how fast a report's
    e-mail reaches the mail server while the campaign is being sent, and how long the campaign takes."""
    from accounts.models import School, User, current_school_year
    from consent.campaigns import consent_campaign_start
    from consent.models import ConsentInvitation
    from notifications.models import Notification

    school = School.objects.get(pk=seeded.campaign_school_id)
    start_at = time.perf_counter()
    campaign = consent_campaign_start(
        school=school, school_year=current_school_year(), started_by=User.objects.get(pk=seeded.campaign_leader_id)
    )
    total = ConsentInvitation.objects.filter(campaign=campaign).count()
    wait_for(
        lambda: not ConsentInvitation.objects.filter(campaign=campaign, sent_at__isnull=True).exists(),
        120,
        "the campaign's invitations to be queued",
    )
    seconds = time.perf_counter() - start_at
    rows = [Row(f"consent campaign to {total} families, all queued", f"{seconds:.1f} s", "< 10 s", seconds < 10)]

    invitations = set(Notification.objects.filter(template="consent/email/invitation").values_list("pk", flat=True))
    latencies = _report_mail_latencies(args, seeded, base, mail)
    accepted_meanwhile = len(invitations & mail.accepted.keys())
    p95 = percentile(latencies, 95)
    rows.append(
        Row(
            "the same, while that campaign is being sent, p50 / p95",
            f"{statistics.median(latencies):.0f} / {p95:.0f} ms "
            f"(campaign {accepted_meanwhile} of {len(invitations)} sent by then)",
            "p95 < 1000 ms, campaign not done",
            p95 < 1000 and accepted_meanwhile < len(invitations),
        )
    )
    wait_for(
        lambda: invitations <= mail.accepted.keys(),
        len(invitations) * (mail.delay + 0.1) + 60,
        "the campaign's e-mails at the mail server",
    )
    seconds = time.perf_counter() - start_at
    rows.append(
        Row(
            f"that campaign, all {len(invitations)} e-mails accepted by the mail server",
            f"{seconds:.0f} s over {mail.connections_for(invitations)} SMTP connections",
            f"(the server takes {mail.delay * 1000:.0f} ms a message)",
            None,
        )
    )
    return rows


def print_table(rows: list[Row]) -> None:
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("measure", "value", "target")]
    header = ("measure", "value", "target")
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + "  met")
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "NO")
        print(
            "  ".join(v.ljust(w) for v, w in zip((row.measure, row.value, row.target), widths, strict=True))
            + f"  {met}"
        )


# Main ----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=1000)
    parser.add_argument("--guardians", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each throughput run")
    parser.add_argument("--runs", type=int, default=30, help="requests per latency measurement")
    parser.add_argument("--reports", type=int, default=200, help="reports sent at once")
    parser.add_argument("--concurrency", type=int, default=200, help="clients sending them")
    parser.add_argument("--cases", type=int, default=10_000, help="case files for the case list and statistics")
    parser.add_argument("--smtp-delay-ms", type=float, default=50, help="how long the mail server takes a message")
    parser.add_argument("--database", default="skow_bench", help="PostgreSQL database to recreate and use")
    parser.add_argument("--redis-db", type=int, default=12, help="Redis database to empty and use")
    parser.add_argument(
        "--only",
        type=lambda text: [part for part in text.split(",") if part],
        default=list(PARTS),
        help=f"comma-separated parts to measure, of {','.join(PARTS)} (all by default)",
    )
    args = parser.parse_args()
    if unknown := set(args.only) - set(PARTS):
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")

    workdir = Path(tempfile.mkdtemp(prefix="skow-bench-"))
    port = free_port()
    mail = MailServer(delay=args.smtp_delay_ms / 1000)
    mail.controller.start()
    env, real = bench_environment(args, workdir, port, mail.url)
    if not real:
        print("bench: WARNING: PostgreSQL or Redis is not answering on 127.0.0.1; using SQLite and in-process tasks.")
    os.environ.update(env)
    reset_database(args, real)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"bench: seeding {args.pupils} pupils and {args.guardians} families ...", flush=True)
    seeded = seed(pupils=args.pupils, guardians=args.guardians)
    if "cases" in args.only:
        print(f"bench: seeding {args.cases} case files ...", flush=True)
        seeded.board_email, seeded.board_totp_key = seed_cases(args.cases)

    if real:
        # Bulk-loaded tables have no planner statistics until autovacuum's ANALYZE comes by (within a
        # minute or so on a live database); without them PostgreSQL guesses 21 rows for 10,000 cases
        # and sorts them all. Measure the portal as it runs, not in its first minute after a bulk load.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    base = f"http://127.0.0.1:{port}"
    # As the Procfile serves: its web line, and with a broker its worker lines (not beat: nothing
    # measured waits for a periodic task).
    names = ["web"] + ([name for name in procfile() if name.startswith("worker")] if real else [])
    processes = [start_procfile(name, {**env, "PORT": str(port)}, workdir / f"{name}.log") for name in names]
    try:
        wait_for(lambda: _answers(base + "/healthz/"), 60, "gunicorn to answer")
        rows = measure(args, seeded, base, real, mail)
    finally:
        for process in processes:
            stop(process)
        mail.controller.stop()
    print_table(rows)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(r.met is not False for r in rows) else 1


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 — our own server
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


if __name__ == "__main__":
    sys.exit(main())
