"""A valid access token for a business's Zoom connection, refreshed at most once at a time.

Zoom rotates refresh tokens: each refresh returns a new one and kills the old. Two workers
refreshing at once would leave one of them holding a dead token, so the refresh happens
under a row lock on the connection and the new pair is saved in that same transaction
before anyone uses it. Everyone else waits on the lock and then finds a fresh token.
"""

import datetime as dt
import logging
from collections.abc import Callable
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from zoom import client, services
from zoom.errors import ZoomAuthError, ZoomNotConnected
from zoom.models import ConnectionStatus, ZoomConnection

logger = logging.getLogger(__name__)

# Refresh this long before Zoom's expiry, so a token never dies in the middle of a call.
REFRESH_MARGIN = dt.timedelta(minutes=5)

T = TypeVar("T")


def _fresh(connection: ZoomConnection, now: dt.datetime) -> bool:
    expires = connection.access_token_expires_at
    return bool(connection.access_token) and expires is not None and expires - REFRESH_MARGIN > now


def access_token(business_id: int, *, force_refresh: bool = False) -> str:
    """The business's current access token, refreshing it first when it is about to expire.

    Raises ZoomNotConnected when there is no active connection (no call is made), and
    ZoomAuthError after marking the connection *needs reconnect* when Zoom refuses the grant.
    """
    now = timezone.now()
    connection = ZoomConnection.objects.filter(business_id=business_id).first()
    if connection is None or connection.status != ConnectionStatus.ACTIVE:
        raise ZoomNotConnected("Zoom is not connected.")
    if not force_refresh and _fresh(connection, now):
        return connection.access_token
    stale_token = connection.access_token
    try:
        with transaction.atomic():
            locked = ZoomConnection.objects.select_for_update().get(pk=connection.pk)
            if locked.status != ConnectionStatus.ACTIVE:
                raise ZoomNotConnected("Zoom is not connected.")
            # Someone refreshed while we waited for the lock: use their token.
            if _fresh(locked, timezone.now()) and (
                not force_refresh or locked.access_token != stale_token
            ):
                return locked.access_token
            tokens = client.refresh(refresh_token=locked.refresh_token)
            locked.access_token = tokens.access_token
            locked.refresh_token = tokens.refresh_token
            locked.access_token_expires_at = tokens.expires_at
            locked.scopes = tokens.scope
            locked.refreshed_at = timezone.now()
            locked.save(
                update_fields=[
                    "access_token",
                    "refresh_token",
                    "access_token_expires_at",
                    "scopes",
                    "refreshed_at",
                    "updated_at",
                ]
            )
            logger.info("zoom connection %s refreshed its access token", locked.pk)
            return locked.access_token
    except ZoomAuthError as exc:
        services.zoom_connection_needs_reconnect(
            connection=connection,
            problem="Zoom no longer accepts Slotwise's authorization (it was revoked, expired "
            "or replaced by a newer one).",
        )
        raise ZoomAuthError(str(exc), status=exc.status, code=exc.code) from None


def with_token(business_id: int, call: Callable[[str], T]) -> T:
    """Run `call(access_token)`; if Zoom rejects the token itself, refresh once and retry.

    A 401 can come from clock skew or a token Zoom expired early; one forced refresh tells
    that apart from a grant that is really gone (which then marks needs reconnect).
    """
    token = access_token(business_id)
    try:
        return call(token)
    except ZoomAuthError as exc:
        if exc.status != 401:
            services.zoom_connection_needs_reconnect_by_business(
                business_id=business_id, problem=str(exc)
            )
            raise
    token = access_token(business_id, force_refresh=True)
    try:
        return call(token)
    except ZoomAuthError as exc:
        services.zoom_connection_needs_reconnect_by_business(
            business_id=business_id, problem="Zoom rejects Slotwise's access token."
        )
        raise ZoomAuthError(str(exc), status=exc.status, code=exc.code) from None
