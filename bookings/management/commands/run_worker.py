"""Run background tasks; on PostgreSQL, woken by the task backend's NOTIFY instead of a poll.

`db_worker` (django-tasks-db) sleeps `--interval` seconds whenever the queue is empty, so a
new booking's meeting waits half an interval on average before its reconcile even starts.
This command takes the same options and claims and runs tasks with db_worker's own Worker
(the same `select_for_update(skip_locked=True)` claim, so any number of `run_worker` and
`db_worker` processes share one queue safely). Between rounds it waits on a LISTEN
connection for `slotwise.tasks_backend`'s NOTIFY, for at most `--interval` seconds: that
fallback poll runs deferred tasks (`run_after`) and anything a dropped connection missed.
On SQLite, or with a backend that does not notify, it polls every `--interval` seconds.

It lives in bookings beside `run_scheduler`, the other process that runs next to the web
app: a command needs an installed app and the project package is not one. The worker itself
is project-wide; it runs every app's tasks.
"""

import logging
import random
import time
from types import TracebackType

import psycopg
from django.core.management.base import CommandError
from django.db import connections, router
from django.utils.autoreload import run_with_reloader
from django_tasks_db.compat import task_backends
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from psycopg import sql

logger = logging.getLogger(__name__)


class Listener:
    """A separate autocommit connection LISTENing on the backend's channel."""

    def __init__(self, *, alias: str, channel: str) -> None:
        self.alias = alias
        self.channel = channel
        self.conn: psycopg.Connection | None = None

    def __enter__(self) -> "Listener":
        self._connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def wait(self, timeout: float) -> None:
        """Return at the first notification, or after `timeout` seconds without one."""
        if self.conn is None:
            if not self._connect():
                time.sleep(timeout)
            # Tasks committed before LISTEN took effect sent their NOTIFY to nobody: return
            # so the worker looks at the queue once more before it waits.
            return
        try:
            for _ in self.conn.notifies(timeout=timeout, stop_after=1):
                pass
            # Tasks committed together need one round, not one round per notification.
            for _ in self.conn.notifies(timeout=0):
                pass
        except psycopg.OperationalError:
            logger.warning("lost the LISTEN connection on %r; reconnecting", self.channel)
            self.close()

    def _connect(self) -> bool:
        params = connections[self.alias].get_connection_params()
        try:
            self.conn = psycopg.connect(**params, autocommit=True)
            self.conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
        except psycopg.OperationalError:
            logger.warning("cannot LISTEN on %r; polling until it works", self.channel)
            self.close()
            return False
        logger.info("listening for new tasks on %r", self.channel)
        return True


class Poller:
    """What a worker waits on where there is nothing to listen to: the clock."""

    def __enter__(self) -> "Poller":
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def wait(self, timeout: float) -> None:
        time.sleep(timeout)


def waiter_for(backend_name: str) -> Listener | Poller:
    """A Listener when the backend notifies and its database is PostgreSQL, else a Poller."""
    channel = getattr(task_backends[backend_name], "notify_channel", None)
    alias = router.db_for_write(DBTaskResult)
    if channel and connections[alias].vendor == "postgresql":
        return Listener(alias=alias, channel=channel)
    return Poller()


class Command(db_worker.Command):
    help = (
        "Run background tasks, woken at once by the task backend's NOTIFY on PostgreSQL; "
        "--interval is the fallback poll there and the poll interval elsewhere."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: object,
    ) -> None:
        self.configure_logging(verbosity)
        # The Worker announces every round (start, "no more tasks"); keep its warnings only,
        # the task logger still reports each task.
        if verbosity < 2:
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        logger.setLevel({0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG))
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))

        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        # Batch mode makes Worker.run one round: claim and run every ready task, then return.
        worker = db_worker.Worker(
            queue_names=queue_names,
            interval=interval,
            batch=True,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )

        def run() -> None:
            # SIGINT/SIGTERM: finish the running task, then exit; while waiting, exit at once.
            worker.configure_signals()
            if startup_delay and interval and not batch:
                time.sleep(random.random())  # as db_worker: spread a fleet starting together
            logger.info("worker %s started on queues %s", worker_id, ",".join(queue_names))
            with waiter_for(backend_name) as waiter:
                while worker.running:
                    worker.run()
                    # The Worker's own --max-tasks count (it stops its round at the limit).
                    done = max_tasks is not None and worker._run_tasks >= max_tasks
                    if batch or done or not worker.running:
                        return
                    logger.debug("idle; waiting up to %s s", interval)
                    waiter.wait(interval)

        if reload and not batch:
            run_with_reloader(run)  # its parent process only restarts the child
        else:
            run()
