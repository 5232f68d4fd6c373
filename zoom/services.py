"""Every change to a business's Zoom connection goes through these functions."""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Business, User
from meetings.services import meetings_resume_for_business
from zoom.client import TokenSet, ZoomUser
from zoom.models import ConnectionStatus, ZoomConnectAttempt, ZoomConnection

logger = logging.getLogger(__name__)


class ConnectRefused(Exception):
    """The Zoom user may not be connected to this business; the message says why."""


@dataclass(frozen=True)
class ConnectResult:
    connection: ZoomConnection
    previous_email: str  # the Zoom user this business was connected to before, if different


def zoom_connect_attempt_start(*, business: Business, user: User) -> ZoomConnectAttempt:
    """Remember that Connect was pressed (Zoom may never send the browser back)."""
    return ZoomConnectAttempt.objects.create(business=business, started_by=user)


def zoom_connect_attempts_finish(*, business: Business, outcome: str) -> None:
    """Every open attempt of the business has come to an end."""
    ZoomConnectAttempt.objects.filter(business=business, finished_at__isnull=True).update(
        finished_at=timezone.now(), outcome=outcome
    )


def zoom_connection_connect(
    *, business: Business, user: User, tokens: TokenSet, zoom_user: ZoomUser
) -> ConnectResult:
    """Store a new grant for `business` in one transaction: nothing half-stored on failure.

    A Zoom user already serving another business is refused (ConnectRefused). Zoom has,
    by now, already invalidated that business's tokens (a user's new authorization kills
    the older ones), so the fresh grant goes to the business that holds the user, which
    keeps working instead of silently breaking.
    """
    with transaction.atomic():
        holder = (
            ZoomConnection.objects.select_for_update()
            .filter(zoom_user_id=zoom_user.id)
            .exclude(status=ConnectionStatus.DISCONNECTED)
            .exclude(business=business)
            .first()
        )
        if holder is not None:
            _store_tokens(holder, tokens)
            holder.status = ConnectionStatus.ACTIVE
            holder.problem = ""
            holder.problem_notified_at = None
            holder.save()
            meetings_resume_for_business(business=holder.business)
            zoom_connect_attempts_finish(business=business, outcome="refused_other_business")
    if holder is not None:
        raise ConnectRefused(
            f"The Zoom user {zoom_user.email} is already connected to another business on "
            "Slotwise. A Zoom user can serve one business at a time: Zoom cancels a user's "
            "earlier authorization whenever they authorize again. Sign in to Zoom as a "
            "different user and press Connect again, or disconnect Zoom from the other "
            "business first."
        )
    try:
        with transaction.atomic():
            result = _connect(business=business, user=user, tokens=tokens, zoom_user=zoom_user)
    except IntegrityError as exc:  # the same Zoom user connected elsewhere a moment ago
        raise ConnectRefused(
            f"The Zoom user {zoom_user.email} was just connected to another business."
        ) from exc
    return result


def _connect(
    *, business: Business, user: User, tokens: TokenSet, zoom_user: ZoomUser
) -> ConnectResult:
    connection = ZoomConnection.objects.select_for_update().filter(business=business).first()
    previous_email = ""
    if connection is None:
        connection = ZoomConnection(business=business)
    elif connection.zoom_user_id and connection.zoom_user_id != zoom_user.id:
        previous_email = connection.email or "another Zoom user"
    connection.status = ConnectionStatus.ACTIVE
    connection.zoom_user_id = zoom_user.id
    connection.zoom_account_id = zoom_user.account_id
    connection.email = zoom_user.email
    connection.display_name = zoom_user.display_name
    _store_tokens(connection, tokens)
    connection.connected_by = user
    connection.connected_at = timezone.now()
    connection.disconnected_by = None
    connection.disconnected_at = None
    connection.disconnect_reason = ""
    connection.problem = ""
    connection.problem_notified_at = None
    connection.save()
    zoom_connect_attempts_finish(business=business, outcome="connected")
    # Future online bookings made while Zoom was not connected get their meetings now.
    meetings_resume_for_business(business=business)
    return ConnectResult(connection=connection, previous_email=previous_email)


def _store_tokens(connection: ZoomConnection, tokens: TokenSet) -> None:
    connection.access_token = tokens.access_token
    connection.refresh_token = tokens.refresh_token
    connection.access_token_expires_at = tokens.expires_at
    connection.scopes = tokens.scope
    connection.api_url = tokens.api_url
    connection.refreshed_at = timezone.now()


def _forget(connection: ZoomConnection, *, by: User | None, reason: str) -> None:
    connection.status = ConnectionStatus.DISCONNECTED
    connection.access_token = ""
    connection.refresh_token = ""
    connection.access_token_expires_at = None
    connection.scopes = ""
    connection.api_url = ""
    # Zoom's profile data goes too; meeting links stay on bookings as history.
    connection.zoom_user_id = ""
    connection.zoom_account_id = ""
    connection.email = ""
    connection.display_name = ""
    connection.problem = ""
    connection.problem_notified_at = None
    connection.disconnected_by = by
    connection.disconnected_at = timezone.now()
    connection.disconnect_reason = reason
    connection.save()


def zoom_connection_disconnect(*, business: Business, user: User) -> bool:
    """Disconnect: revoke at Zoom (best effort), then forget tokens and profile.

    Returns whether Zoom confirmed the revoke. A failure never blocks disconnecting.
    """
    from zoom import client
    from zoom.errors import ZoomError

    connection = ZoomConnection.objects.filter(business=business).first()
    if connection is None or connection.status == ConnectionStatus.DISCONNECTED:
        return True
    revoked = False
    token = connection.access_token
    if token and connection.status == ConnectionStatus.ACTIVE:
        try:
            client.revoke(access_token=token)
            revoked = True
        except ZoomError as exc:
            logger.warning(
                "zoom revoke for business %s failed: %s", business.pk, type(exc).__name__
            )
    with transaction.atomic():
        locked = ZoomConnection.objects.select_for_update().get(pk=connection.pk)
        if locked.status != ConnectionStatus.DISCONNECTED:
            _forget(locked, by=user, reason="Disconnected in Slotwise")
    return revoked


@transaction.atomic
def zoom_connection_deauthorized(
    *, zoom_user_id: str, zoom_account_id: str
) -> ZoomConnection | None:
    """Zoom says the app was removed for this user: disconnect as Disconnect does, minus revoke."""
    connection = (
        ZoomConnection.objects.select_for_update()
        .filter(zoom_user_id=zoom_user_id)
        .exclude(status=ConnectionStatus.DISCONNECTED)
        .first()
    )
    if connection is None:
        return None  # already disconnected (e.g. the echo of our own revoke): nothing to do
    if (
        zoom_account_id
        and connection.zoom_account_id
        and connection.zoom_account_id != zoom_account_id
    ):
        logger.warning(
            "zoom deauthorization for user %s names another account; ignored", zoom_user_id
        )
        return None
    _forget(connection, by=None, reason="The Slotwise app was removed in Zoom")
    return connection


def zoom_connection_needs_reconnect(*, connection: ZoomConnection, problem: str) -> None:
    """The grant stopped working: stop calling Zoom, show it on the card, tell the owner once."""
    from zoom.tasks import zoom_reconnect_notice_send

    with transaction.atomic():
        locked = ZoomConnection.objects.select_for_update().filter(pk=connection.pk).first()
        if locked is None or locked.status != ConnectionStatus.ACTIVE:
            return
        locked.status = ConnectionStatus.NEEDS_RECONNECT
        locked.problem = problem[:300]
        first_notice = locked.problem_notified_at is None
        locked.problem_notified_at = locked.problem_notified_at or timezone.now()
        locked.save()
        if first_notice:
            zoom_reconnect_notice_send.enqueue(locked.business_id)


def zoom_connection_needs_reconnect_by_business(*, business_id: int, problem: str) -> None:
    connection = ZoomConnection.objects.filter(business_id=business_id).first()
    if connection is not None:
        zoom_connection_needs_reconnect(connection=connection, problem=problem)
