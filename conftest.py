"""Fixtures shared by every app's tests: people per role, the browser, and service checks."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches

# Playwright's sync API runs an event loop in this thread; the Django ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def require_service(available: bool, what: str) -> None:
    """In CI a missing service fails the test; on a developer's machine it skips it."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available.")
    pytest.skip(f"{what} is not available on this machine.")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with empty caches (settings_test: local memory, never a shared Redis)."""
    for alias in settings.CACHES:
        caches[alias].clear()


# People per role (STYLE.md: role fixtures in the root conftest) ----------------------------------


@pytest.fixture
def school(db):
    from accounts.tests.factories import SchoolFactory

    return SchoolFactory(name="Sint-Jozefschool", brin="01AB")


@pytest.fixture
def other_school(db):
    from accounts.tests.factories import SchoolFactory

    return SchoolFactory(name="Basisschool De Windroos", brin="02CD")


@pytest.fixture
def teacher(school):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="leerkracht@example.nl", roles=[("staff", school)])


@pytest.fixture
def school_leader(school):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="directeur@example.nl", roles=[("school_leader", school), ("staff", school)])


@pytest.fixture
def board_member(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="bestuur@example.nl", roles=[("board", None)])


@pytest.fixture
def council_secretary(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="gmr@example.nl", roles=[("council_secretary", None)])


@pytest.fixture
def parent(school):
    from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory

    guardian = UserFactory(email="ouder@example.nl", password="")
    GuardianshipFactory(guardian=guardian, pupil=PupilFactory(school=school))
    return guardian


# The browser ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_service(shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def phone_context_args():
    return {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


# Real services: Redis and a Celery worker --------------------------------------------------------
# The suite runs tasks eagerly; these fixtures switch one test over to a real broker and a real
# worker process that reads the same test database (data must be committed: transaction=True).

import asyncio  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from email import message_from_bytes  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def wait_until(condition, *, timeout: float = 20.0, interval: float = 0.2, what: str = "condition"):
    """Poll until ``condition()`` is truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.")


@pytest.fixture
def redis_url():
    """The machine's Redis (REDIS_URL, as CI sets it), or the default local one."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    require_service(_redis_answers(url), f"Redis at {url}")
    return url


@pytest.fixture
def worker_redis_url(redis_url):
    """The machine's Redis, database 13: a real worker's broker, away from what the portal keeps in it."""
    return redis_url.rsplit("/", 1)[0] + "/13" if redis_url.count("/") >= 3 else redis_url + "/13"


class PrivateRedis:
    """A redis-server of this test's own, which the test may stop and start again on the same port."""

    def __init__(self, directory: Path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: _redis_answers(self.url), timeout=10, what="the private redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    require_service(shutil.which("redis-server") is not None, "redis-server")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def _reset_celery_connections(app) -> None:
    """Drop the app's broker connections and AMQP setup, so a changed broker_url or queue applies."""
    from kombu import pools

    pools.reset()  # kombu keeps pools per connection URL, process-wide
    app._pool = None
    app.__dict__.pop("amqp", None)


def _test_database_url() -> str:
    from django.db import connection

    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def celery_queue_names(prefix: str) -> dict[str, str]:
    """The two queues settings.py names from CELERY_QUEUE: urgent mail's, and the default (bulk) one."""
    return {"urgent": f"{prefix}.urgent", "bulk": prefix}


class CeleryWorker:
    """`celery worker` in a subprocess on the given broker, writing e-mails as files.

    By default it serves both queues, as the Procfile's ``worker`` does, and runs beat (-B);
    ``serve="urgent"`` makes it the Procfile's ``worker-urgent``, ``serve="bulk"`` serves the bulk
    queue alone; ``beat=False`` leaves beat out.
    """

    def __init__(
        self,
        broker_url: str,
        directory: Path,
        extra_env: dict[str, str] | None = None,
        *,
        serve: str | None = None,
        beat: bool = True,
    ):
        self.broker_url = broker_url
        self.queue = f"skow-test-{uuid.uuid4().hex[:10]}"
        self.extra_env = extra_env or {}
        self.serve = serve
        self.beat = beat
        self.mail_dir = directory / "mail"
        self.mail_dir.mkdir(exist_ok=True)
        self.log = directory / f"worker-{serve or 'all'}.log"
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_SETTINGS", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "skow_portal.settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "*",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_QUEUE": self.queue,
            "REDIS_URL": "",
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
            "NOTIFICATION_SWEEP_INTERVAL_SECONDS": "1",
            "NOTIFICATION_SWEEP_AFTER_SECONDS": "1",
            "CONN_MAX_AGE": "0",
            **self.extra_env,
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "skow_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--hostname",
            f"{self.queue}-{self.serve or 'all'}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
        if self.serve:
            command += ["-Q", celery_queue_names(self.queue)[self.serve]]
        if self.beat:
            command += ["-B", "--schedule", str(self.directory / "beat-schedule")]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_until(lambda: "ready." in self.log.read_text(), timeout=60, what=f"the Celery worker ({self.log})")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a pulled plug would: no shutdown, no acknowledgements."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def sent_messages(self) -> list[str]:
        return [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]


class CeleryPublishing:
    """Points this process's task publishing at a broker and fresh queues, and back again."""

    KEYS = ("task_always_eager", "broker_url", "task_default_queue", "task_queues", "task_routes")

    def __init__(self):
        from skow_portal.celery import app

        self.app = app
        self.saved = {key: app.conf[key] for key in self.KEYS}

    def point_at(self, broker_url: str, prefix: str) -> dict[str, str]:
        from django.conf import settings
        from kombu import Exchange, Queue

        names = celery_queue_names(prefix)
        conf = self.app.conf
        conf.task_always_eager = False
        conf.broker_url = broker_url
        conf.task_default_queue = names["bulk"]
        conf.task_queues = [Queue(name, Exchange(name), routing_key=name) for name in names.values()]
        # Every route of settings.py leads to the urgent queue.
        conf.task_routes = {task: {"queue": names["urgent"]} for task in settings.CELERY_TASK_ROUTES}
        _reset_celery_connections(self.app)
        return names

    def restore(self) -> None:
        self.app.conf.update(self.saved)
        _reset_celery_connections(self.app)


@pytest.fixture
def celery_queues_on():
    """Factory: publish this test's tasks to fresh queues on ``broker_url``, with no worker to take
    them, so the test can read what waits in which queue; returns the queue names by kind."""
    publishing = CeleryPublishing()
    yield lambda broker_url: publishing.point_at(broker_url, f"skow-test-{uuid.uuid4().hex[:10]}")
    publishing.restore()


@pytest.fixture
def celery_worker_on():
    """Factory: start a real worker on ``broker_url`` and publish this test's tasks there too.

    ``queue`` names the queues (CELERY_QUEUE) of a worker started before, to serve them again or
    with another; ``serve`` and ``beat`` as CeleryWorker takes them.
    """
    publishing = CeleryPublishing()
    workers: list[CeleryWorker] = []

    def start(
        broker_url: str,
        directory: Path,
        *,
        queue: str | None = None,
        env: dict | None = None,
        serve: str | None = None,
        beat: bool = True,
    ) -> CeleryWorker:
        worker = CeleryWorker(broker_url, directory, env, serve=serve, beat=beat)
        worker.queue = queue or worker.queue
        publishing.point_at(broker_url, worker.queue)
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    publishing.restore()


# A real mail server ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    accepted_at: float  # time.time() when the server answered 250 to DATA
    peer: tuple  # the client's address and port: one per SMTP connection
    recipients: tuple[str, ...]
    notification_id: int | None  # the outbox row it carries (header X-SKOW-Notification)


class LocalSmtpServer:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that accepts every message after ``delay`` seconds,
    as a real mail server takes its time, and keeps who was sent what over which connection.
    ``refuse`` lists recipient addresses it answers 550, as for a mailbox that does not exist;
    ``hang_up_at`` numbers a message (from 1) it answers 421 and hangs up on, as a server does
    that restarts or limits its connections."""

    def __init__(self, *, delay: float = 0.0, refuse: tuple[str, ...] = (), hang_up_at: int | None = None):
        from aiosmtpd.controller import Controller

        self.delay = delay
        self.refuse = {address.lower() for address in refuse}
        self.hang_up_at = hang_up_at
        self.messages_seen = 0
        self.received: list[ReceivedMail] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=_free_port())
        self.url = f"smtp://127.0.0.1:{self.controller.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.messages_seen += 1
        if self.messages_seen == self.hang_up_at:
            server.transport.close()
            return "421 4.3.2 Closing connection"
        notification = message_from_bytes(envelope.original_content or b"")["X-SKOW-Notification"]
        self.received.append(
            ReceivedMail(
                accepted_at=time.time(),
                peer=tuple(session.peer),
                recipients=tuple(envelope.rcpt_tos),
                notification_id=int(notification) if notification else None,
            )
        )
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [address for mail in list(self.received) for address in mail.recipients]

    def accepted_at(self, notification_id: int) -> float | None:
        return next((m.accepted_at for m in list(self.received) if m.notification_id == notification_id), None)

    def connections(self) -> set[tuple]:
        return {mail.peer for mail in list(self.received)}


@pytest.fixture
def smtp_server():
    """Factory: start a LocalSmtpServer (stopped after the test); point EMAIL_URL at its ``url``."""
    servers: list[LocalSmtpServer] = []

    def start(**options) -> LocalSmtpServer:
        server = LocalSmtpServer(**options)
        server.controller.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.controller.stop()


# The Procfile's web process ------------------------------------------------------------------------
# gunicorn started from the Procfile's own ``web`` line, as production runs it, against the test
# database: for tests of what a browser meets with a part of the stack down, and of what its logs keep.


def procfile_command(name: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise LookupError(f"The Procfile has no {name!r} line.")


class ProcfileWeb:
    """``web:`` of the Procfile in a subprocess on a free port; its output (the access log) in ``log``."""

    def __init__(self, directory: Path, env: dict[str, str] | None = None):
        from django.conf import settings

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = directory / "web.log"
        bin_dir = str(Path(sys.executable).parent)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_SETTINGS", "CELERY_"))},
            "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "skow_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "RECEIPT_CODE_KEY": settings.RECEIPT_CODE_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": "",
            "EVIDENCE_ROOT": str(settings.EVIDENCE_ROOT),
            "WEB_CONCURRENCY": "2",
            "CONN_MAX_AGE": "0",
            "PORT": str(self.port),
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["sh", "-c", "exec " + procfile_command("web")],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._answers, timeout=60, what=f"gunicorn ({self.log})")

    def _answers(self) -> bool:
        try:
            return HttpClient(self.url).get("/healthz/").status in (200, 503)
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """The Procfile's release step for static files (``collectstatic``), once per test run."""
    root = tmp_path_factory.mktemp("staticfiles")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "skow_portal.settings", "DEBUG": "0", "STATIC_ROOT": str(root)},
        check=True,
    )
    return root


@pytest.fixture
def procfile_web(tmp_path, collected_static):
    """Factory: start the Procfile's web line with extra environment; stopped after the test."""
    servers: list[ProcfileWeb] = []

    def start(env: dict[str, str] | None = None) -> ProcfileWeb:
        server = ProcfileWeb(tmp_path, {"STATIC_ROOT": str(collected_static), **(env or {})})
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: str


class HttpClient:
    """A small HTTP client for a real server: keeps cookies, never follows redirects, sends a CSRF pair."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None):
        from urllib.parse import urlsplit

        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {"csrftoken": uuid.uuid4().hex}

    def _send(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> HttpAnswer:
        import http.client
        from http.cookies import SimpleCookie

        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {**self.headers, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return HttpAnswer(response.status, dict(response.headers), text)
        finally:
            connection.close()

    def get(self, path: str) -> HttpAnswer:
        return self._send("GET", path)

    def post(
        self, path: str, data: dict | None = None, files: dict[str, tuple[str, bytes]] | None = None
    ) -> HttpAnswer:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(data or {})}
        boundary = uuid.uuid4().hex
        chunks = []
        for name, value in fields.items():
            for item in value if isinstance(value, list | tuple) else [value]:
                chunks.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode()
                )
        for name, (filename, content) in (files or {}).items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            chunks.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n")
        body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
        return self._send("POST", path, body, f"multipart/form-data; boundary={boundary}")


# Accessibility: axe-core in the browser tests ------------------------------------------------------

AXE_SOURCE = ROOT / "skow_portal" / "tests" / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.2 level A and AA, as the rules of axe-core tag them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, *, context: str = "main", impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Serious and critical WCAG 2.2 AA violations axe-core finds in ``context`` of the page, as lines.

    The script is evaluated through the browser's debugging protocol, so the page's strict CSP (no
    inline script) is left as it is.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "([context, tags]) => axe.run(context, {runOnly: {type: 'tag', values: tags}})", [context, AXE_TAGS]
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in impacts
    ]
