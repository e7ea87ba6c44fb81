"""The Procfile's web process, and a small HTTP client for it.

gunicorn started from the Procfile's own ``web`` line, as production runs it, against the test
database: for tests of what a browser meets with a part of the stack down, and of what its logs keep.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from .celery_worker import database_url_of_this_run
from .services import PROJECT_ROOT, free_port, wait_until


def procfile_command(name: str) -> str:
    for line in (PROJECT_ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise LookupError(f"The Procfile has no {name!r} line.")


class ProcfileWeb:
    """``web:`` of the Procfile in a subprocess on a free port; its output (the access log) in ``log``."""

    def __init__(self, directory: Path, env: dict[str, str] | None = None):
        from django.conf import settings

        self.port = free_port()
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
            "DATABASE_URL": database_url_of_this_run(),
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
            cwd=PROJECT_ROOT,
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
        cwd=PROJECT_ROOT,
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
