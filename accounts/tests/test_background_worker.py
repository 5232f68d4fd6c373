"""Tasks go through the real database backend and the real `db_worker` command."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from accounts import services

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_staff_invite_is_sent_by_the_worker_not_the_request(tenant, mailoutbox):
    with override_settings(TASKS=DATABASE_TASKS):
        services.staff_add(
            business=tenant.business, email="new@sunrise.test", name="New Person", role="staff"
        )

        assert mailoutbox == []
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "accounts.tasks.staff_invite_send"
        assert queued.status == "READY"

        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert [m.to for m in mailoutbox] == [["new@sunrise.test"]]
