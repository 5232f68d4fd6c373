"""`manage.py run_worker` as a real process against the test database: it runs tasks queued
after it started (on PostgreSQL woken by NOTIFY, not by its poll), shares the queue with
other workers, and stops cleanly on SIGTERM."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
NOTIFYING_TASKS = {"default": {"BACKEND": "slotwise.tasks_backend.NotifyingDatabaseBackend"}}
# On PostgreSQL the fallback poll is far longer than the test waits: only a NOTIFY can wake
# the worker in time. SQLite has nothing to listen to, so it polls.
INTERVAL = "60" if connection.vendor == "postgresql" else "0.1"


@task()
def echo(word: str) -> str:
    return word


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """`run_worker` in a child process, its output read line by line off a thread."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "DATABASE_URL": _database_url(), "TASKS_BACKEND": "database"}
        command = [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay"]
        self.proc = subprocess.Popen(
            [*command, "--interval", INTERVAL, "--verbosity", "2", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for_line(self, fragment: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.output.append(line)
            if fragment in line:
                return
        raise AssertionError(f"worker never said {fragment!r}: {''.join(self.output)}")

    def ready(self) -> None:
        """Wait until the worker has found the queue empty and waits (after this line it
        looks at the queue again only when woken: by a NOTIFY, or its poll)."""
        self.wait_for_line("idle; waiting")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


@pytest.fixture
def workers():
    started: list[WorkerProcess] = []

    def start(*args: str) -> WorkerProcess:
        started.append(WorkerProcess(*args))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


def _wait_until_finished(results, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    ids = [r.id for r in results]
    finished = DBTaskResult.objects.filter(id__in=ids, status__in=["SUCCESSFUL", "FAILED"])
    while finished.count() < len(ids) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_worker_runs_a_task_queued_after_it_started(workers):
    worker = workers("--max-tasks", "1")
    worker.ready()

    with override_settings(TASKS=NOTIFYING_TASKS), transaction.atomic():
        result = echo.enqueue("linked")
    _wait_until_finished([result])

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.task_result.return_value == "linked"
    assert worker.proc.wait(timeout=10) == 0, "--max-tasks 1: done after one task"


def test_two_workers_share_the_queue_and_run_each_task_once(workers):
    first, second = workers(), workers()
    first.ready()
    second.ready()

    with override_settings(TASKS=NOTIFYING_TASKS):
        results = [echo.enqueue(f"task {n}") for n in range(8)]
    _wait_until_finished(results)

    rows = DBTaskResult.objects.filter(id__in=[r.id for r in results])
    assert sorted(r.status for r in rows) == ["SUCCESSFUL"] * 8
    assert all(len(r.worker_ids) == 1 for r in rows), "each task claimed by one worker"


def test_sigterm_stops_an_idle_worker_cleanly(workers):
    worker = workers()
    worker.ready()

    worker.proc.send_signal(signal.SIGTERM)

    assert worker.proc.wait(timeout=10) == 0
