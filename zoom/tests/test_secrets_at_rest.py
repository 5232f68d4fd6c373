"""Zoom tokens are encrypted at rest and appear nowhere a person or a log could read them."""

import datetime as dt
import logging

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.background import drain
from zoom.client import TokenSet, ZoomUser
from zoom.models import ZoomConnection
from zoom.services import zoom_connection_connect

SENTINEL_ACCESS = "SENTINEL-ACCESS-7f3a9c1e-do-not-leak"
SENTINEL_REFRESH = "SENTINEL-REFRESH-2b8d4e6f-do-not-leak"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _connect_with_sentinels(tenant) -> ZoomConnection:
    result = zoom_connection_connect(
        business=tenant.business,
        user=tenant.owner,
        tokens=TokenSet(
            access_token=SENTINEL_ACCESS,
            refresh_token=SENTINEL_REFRESH,
            expires_at=timezone.now() - dt.timedelta(minutes=1),
            scope="meeting:write:meeting user:read:user",
            api_url="",
        ),
        zoom_user=ZoomUser(
            id="zu1", account_id="za1", email="z@example.test", display_name="Z", timezone=""
        ),
    )
    return result.connection


def _every_text_value_in_the_database() -> list[str]:
    values = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if f.get_internal_type() in ("TextField", "CharField", "JSONField")
            ]
            if not columns:
                continue
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            values.extend(str(v) for row in cursor.fetchall() for v in row if v is not None)
    return values


@pytest.mark.django_db
def test_no_table_holds_a_plaintext_token(tenant):
    _connect_with_sentinels(tenant)

    stored = _every_text_value_in_the_database()

    assert not [v for v in stored if "SENTINEL" in v]
    raw = ZoomConnection.objects.values_list("access_token", flat=True)
    assert ZoomConnection.objects.get().access_token == SENTINEL_ACCESS  # decrypts for code
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token FROM zoom_zoomconnection")
        (ciphertext,) = cursor.fetchone()
    assert ciphertext.startswith("gAAAA") and list(raw) == [SENTINEL_ACCESS]


@pytest.mark.django_db
def test_tokens_never_reach_logs_task_arguments_emails_or_pages(
    tenant, zoom, caplog, mailoutbox, admin_client, owner_client
):
    caplog.set_level(logging.DEBUG)
    with override_settings(TASKS=DATABASE_TASKS):
        conn = _connect_with_sentinels(tenant)
        # The sandbox refuses the sentinel refresh token: needs reconnect, owner e-mailed.
        from zoom import tokens

        with pytest.raises(Exception):  # noqa: B017 - ZoomAuthError, whichever subclass
            tokens.access_token(tenant.business.pk)
        drain()

    pages = [
        owner_client.get(reverse("zoom:integrations")).text,
        owner_client.get(reverse("zoom:disconnect")).text,
        admin_client.get(reverse("admin:zoom_zoomconnection_change", args=[conn.pk])).text,
        admin_client.get(reverse("admin:zoom_zoomconnection_changelist")).text,
    ]
    task_args = [str(t.args_kwargs) for t in DBTaskResult.objects.all()]
    mail = [m.subject + m.body + "".join(str(a) for a in m.alternatives) for m in mailoutbox]
    outgoing = [r.get("path", "") + str(r.get("query", "")) for r in zoom.requests()]
    everything = caplog.text + "".join(pages + task_args + mail + outgoing)
    assert mailoutbox, "the needs-reconnect notice was sent"
    assert task_args, "a task was queued"
    assert SENTINEL_ACCESS not in everything
    assert SENTINEL_REFRESH not in everything
    assert "SENTINEL" not in repr(conn)


@pytest.mark.django_db
def test_reencrypt_command_moves_secrets_to_the_newest_key(tenant, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    _connect_with_sentinels(tenant)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("reencrypt_secrets", verbosity=0)

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is retired
    conn = ZoomConnection.objects.get()
    assert (conn.access_token, conn.refresh_token) == (SENTINEL_ACCESS, SENTINEL_REFRESH)
    with connection.cursor() as cursor:
        cursor.execute("SELECT refresh_token FROM zoom_zoomconnection")
        (ciphertext,) = cursor.fetchone()
    assert Fernet(new_key.encode()).decrypt(ciphertext.encode()).decode() == SENTINEL_REFRESH
