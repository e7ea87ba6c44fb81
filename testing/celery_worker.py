"""A real Celery worker, and the queues a test's tasks go to.

The suite runs tasks eagerly; these fixtures switch one test over to a real broker and a real
worker process that reads the same test database (data must be committed: transaction=True).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from .services import PROJECT_ROOT, wait_until


def reset_celery_connections(app) -> None:
    """Drop the app's broker connections and AMQP setup, so a changed broker_url or queue applies."""
    from kombu import pools

    pools.reset()  # kombu keeps pools per connection URL, process-wide
    app._pool = None
    app.__dict__.pop("amqp", None)


def database_url_of_this_run() -> str:
    """DATABASE_URL of the database this test run uses, for a process started beside it."""
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
            "DATABASE_URL": database_url_of_this_run(),
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
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
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
        reset_celery_connections(self.app)
        return names

    def restore(self) -> None:
        self.app.conf.update(self.saved)
        reset_celery_connections(self.app)


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
