"""Letting background work finish in tests, without fixed sleeps."""

import time

from django.db.models import Q
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from meetings.models import MeetingStatus, OnlineMeeting
from meetings.sweep import sweep

DATABASE_TASKS = {"default": {"BACKEND": "slotwise.tasks_backend.NotifyingDatabaseBackend"}}


def _open_meetings():
    # Pending work that is due, or due soon (retries in the near future).
    soon = timezone.now() + timezone.timedelta(seconds=30)
    return OnlineMeeting.objects.filter(status=MeetingStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=soon)
    )


def settle(timeout: float = 30.0) -> None:
    """With the immediate task backend: run due retries until no meeting is left pending."""
    deadline = time.monotonic() + timeout
    while _open_meetings().exists():
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"meetings still pending: {list(_open_meetings().values('pk', 'last_error'))}"
            )
        sweep()
        time.sleep(0.01)


def task_worker(worker_id: str) -> Worker:
    """The stock database worker, for running tasks one at a time in this process."""
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def drain(timeout: float = 60.0) -> None:
    """With the database task backend: run queued tasks with the real worker's code until no
    work is left. (Its polling loop closes database connections between tasks, which a test
    inside a transaction cannot survive; the claiming and running are the same.)"""
    worker = task_worker("test-worker")
    deadline = time.monotonic() + timeout
    while True:
        task = DBTaskResult.objects.ready().first()
        if task is not None:
            task.claim(worker.worker_id)
            worker.run_task(task)
            continue
        sweep()
        # Done when nothing is queued at all, deferred retries included.
        queued = DBTaskResult.objects.filter(status="READY").exists()
        if not queued and not _open_meetings().exists():
            return
        if time.monotonic() > deadline:
            raise TimeoutError("background work did not finish")
        time.sleep(0.01)
