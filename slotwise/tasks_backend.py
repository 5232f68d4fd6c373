"""The database task backend, plus a PostgreSQL NOTIFY per enqueued task.

`manage.py run_worker` LISTENs on the channel and wakes as soon as a task is committed
instead of at its next poll. PostgreSQL delivers a NOTIFY sent inside a transaction only
when that transaction commits, and drops it on rollback, so a worker is never woken before
the task's row is visible. On SQLite this is the plain backend and workers poll.
"""

from typing import Any

from asgiref.sync import sync_to_async
from django.db import connections, router
from django_tasks_db.backend import DatabaseBackend, TaskResult

DEFAULT_CHANNEL = "slotwise_tasks"


class NotifyingDatabaseBackend(DatabaseBackend):
    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        # OPTIONS: {"notify_channel": "..."} to keep two deployments on one server apart.
        self.notify_channel: str = self.options.get("notify_channel", DEFAULT_CHANNEL)

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> TaskResult:
        result = super().enqueue(task, args, kwargs)
        self._notify(task.queue_name)
        return result

    async def aenqueue(self, task: Any, args: Any, kwargs: Any) -> TaskResult:
        result = await super().aenqueue(task, args, kwargs)
        await sync_to_async(self._notify)(task.queue_name)
        return result

    def _notify(self, queue_name: str) -> None:
        # Imported late, like the parent does: backends can be built before apps are ready.
        from django_tasks_db.models import DBTaskResult

        # The same connection (and so the same transaction) that inserted the task's row.
        connection = connections[router.db_for_write(DBTaskResult)]
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [self.notify_channel, queue_name])
