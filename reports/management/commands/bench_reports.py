"""`make bench`: intake under load on loopback, and the time from a report to its delivered e-mail.

Starts gunicorn (and, with REDIS_URL, a Celery worker) on this database, lets ``--concurrency``
clients each fetch the form and send reports, then waits until the outbox has delivered the
leader's e-mail for every report. Prints Markdown for the README. Use a database of its own.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import RoleAssignment, School, User
from notifications.constants import Channel, Status
from notifications.models import Notification

BENCH_BRIN = "99BN"
LEADER_EMAIL = "bench.directeur@example.invalid"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(round(fraction * (len(ordered) - 1)), len(ordered) - 1)]


def _wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 — loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"No answer from {url}")


class Command(BaseCommand):
    help = "Measure report intake under concurrent load and the time to a delivered notification."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=200)
        parser.add_argument("--concurrency", type=int, default=20)
        parser.add_argument("--web-workers", type=int, default=4)

    def handle(self, *args, reports: int, concurrency: int, web_workers: int, **options):
        school, _ = School.objects.get_or_create(brin=BENCH_BRIN, defaults={"name": "Benchmarkschool"})
        leader, _ = User.objects.get_or_create(email=LEADER_EMAIL, defaults={"first_name": "Bench"})
        RoleAssignment.objects.get_or_create(user=leader, role="school_leader", school=school)
        since = timezone.now()

        work = Path(tempfile.mkdtemp(prefix="skow-bench-"))
        port = _free_port()
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(work / "static"),
            "EMAIL_URL": f"filemail:///{work / 'mail'}",
            "EVIDENCE_ROOT": str(work / "evidence"),
            "REPORT_INTAKE_LIMIT_PER_HOUR": str(reports * 10),
            "CELERY_QUEUE": f"skow-bench-{port}",
            "NOTIFICATION_SWEEP_INTERVAL_SECONDS": "5",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        root = Path(settings.BASE_DIR)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=root, env=env, check=True
        )
        processes = [
            subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "skow_portal.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    str(web_workers),
                    "--threads",
                    "4",
                    "--log-level",
                    "warning",
                ],
                cwd=root,
                env=env,
            )
        ]
        worker = bool(os.environ.get("REDIS_URL"))
        if worker:
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "skow_portal",
                        "worker",
                        "--loglevel=WARNING",
                        "--concurrency=4",
                        "--without-gossip",
                        "--without-mingle",
                    ],
                    cwd=root,
                    env=env,
                )
            )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{base}/healthz/")
            time.sleep(3 if worker else 0)  # let the worker connect
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=concurrency) as pool:
                results = list(pool.map(lambda n: self._submit(base, school.pk, n), range(reports)))
            wall = time.monotonic() - started
            delays = self._wait_for_delivery(leader, since, len([ok for ok, _s in results if ok]))
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=20)
            shutil.rmtree(work, ignore_errors=True)

        latencies = [seconds for ok, seconds in results if ok]
        failures = len(results) - len(latencies)
        self.stdout.write(self._table(reports, concurrency, web_workers, wall, latencies, failures, delays, worker))

    def _submit(self, base: str, school_pk: int, number: int) -> tuple[bool, float]:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        started = time.monotonic()
        page = opener.open(f"{base}/report/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "submission_key": key,
                "school": school_pk,
                "category": "bullying",
                "platform": "whatsapp",
                "happened_on": "2026-11-20",
                "description": f"Benchmarkmelding {number}: er wordt gepest in de groepsapp.",
                "involved_roles": "pupil",
                "reporter_role": "pupil",
                "is_anonymous": "on",
            }
        ).encode()
        request = urllib.request.Request(f"{base}/report/", data=data, headers={"Referer": f"{base}/report/"})  # noqa: S310
        try:
            response = opener.open(request, timeout=60)
            ok = response.status == 200 and "/report/thanks/" in response.url
        except OSError:
            ok = False
        return ok, time.monotonic() - started

    def _wait_for_delivery(self, leader: User, since, expected: int, timeout: float = 180) -> list[float]:
        rows = Notification.objects.filter(
            recipient=leader, channel=Channel.EMAIL, template="reports/email/new_report", created_at__gte=since
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if rows.count() >= expected and not rows.exclude(status=Status.SENT).exists():
                break
            time.sleep(0.5)
            connection.close()
        return [(sent - created).total_seconds() for created, sent in rows.values_list("created_at", "sent_at") if sent]

    def _table(self, reports, concurrency, web_workers, wall, latencies, failures, delays, worker) -> str:
        engine = connection.vendor
        lines = [
            f"Intake: {reports} reports, {concurrency} concurrent clients, gunicorn {web_workers}×4 threads, "
            f"{engine}, {'Celery worker on Redis' if worker else 'tasks in-process (no REDIS_URL)'}.",
            "",
            "| measure | value |",
            "|---|---|",
            f"| throughput (form + submission) | {len(latencies) / wall:.1f} reports/s |",
            f"| failed submissions | {failures} |",
        ]
        if latencies:
            lines += [
                f"| form + submission, median | {statistics.median(latencies) * 1000:.0f} ms |",
                f"| form + submission, p95 | {_percentile(latencies, 0.95) * 1000:.0f} ms |",
            ]
        if delays:
            lines += [
                f"| report → e-mail delivered, median | {statistics.median(delays) * 1000:.0f} ms |",
                f"| report → e-mail delivered, p95 | {_percentile(delays, 0.95) * 1000:.0f} ms |",
                f"| e-mails delivered | {len(delays)} of {reports} |",
            ]
        return "\n".join(lines)
