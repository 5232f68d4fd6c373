"""The task backend's NOTIFY: sent when the enqueuing transaction commits, never before,
never for a rollback. A raw psycopg connection LISTENs like `run_worker` does."""

import psycopg
import pytest
from django.db import connection, transaction
from django.test import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from slotwise.tasks_backend import DEFAULT_CHANNEL

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

NOTIFYING_TASKS = {
    "default": {"BACKEND": "slotwise.tasks_backend.NotifyingDatabaseBackend", "QUEUES": []}
}


@task()
def nothing() -> None:
    pass


class Rollback(Exception):
    pass


@pytest.fixture
def listener():
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as conn:
        conn.execute(f"LISTEN {DEFAULT_CHANNEL}")
        yield conn


def _pending(listener):
    return [(n.channel, n.payload) for n in listener.notifies(timeout=0)]


def _next(listener):
    return [(n.channel, n.payload) for n in listener.notifies(timeout=10, stop_after=1)]


def test_enqueueing_in_a_transaction_notifies_the_channel_when_it_commits(listener):
    with override_settings(TASKS=NOTIFYING_TASKS):
        with transaction.atomic():
            nothing.using(queue_name="committed").enqueue()
            assert _pending(listener) == [], "no wake-up before the task's row is visible"

        assert _next(listener) == [(DEFAULT_CHANNEL, "committed")]
    assert DBTaskResult.objects.get().queue_name == "committed"


def test_a_rolled_back_enqueue_notifies_nobody(listener):
    with override_settings(TASKS=NOTIFYING_TASKS):
        with pytest.raises(Rollback), transaction.atomic():
            nothing.using(queue_name="rolled-back").enqueue()
            raise Rollback
        # Notifications arrive in commit order: had the rollback sent one, it would be first.
        with transaction.atomic():
            nothing.using(queue_name="committed").enqueue()

        assert _next(listener) == [(DEFAULT_CHANNEL, "committed")]
    assert list(DBTaskResult.objects.values_list("queue_name", flat=True)) == ["committed"]


def test_the_plain_database_backend_stays_silent(listener):
    plain = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    with override_settings(TASKS=plain):
        nothing.enqueue()
    with override_settings(TASKS=NOTIFYING_TASKS):
        nothing.using(queue_name="notifying").enqueue()

    assert _next(listener) == [(DEFAULT_CHANNEL, "notifying")]
