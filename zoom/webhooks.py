"""Zoom's event notifications: verify first, then act on our own records.

Signature: `v0=` + hex HMAC-SHA256(secret token, `v0:{x-zm-request-timestamp}:{raw body}`),
compared in constant time over the raw bytes Zoom signed. Zoom defines no timestamp window;
we allow five minutes either way and remember signatures seen inside it, so a captured
delivery cannot be replayed.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zoom import services
from zoom.models import WebhookReceipt

logger = logging.getLogger(__name__)

MAX_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(*, secret: str, body: bytes, timestamp: str, signature: str, now: dt.datetime) -> str:
    """Why the delivery is not to be trusted, or "" when it is."""
    if not secret:
        return "webhook secret not configured"
    if not timestamp.isdigit() or not signature:
        return "missing signature headers"
    sent = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    if abs(now - sent) > MAX_SKEW:
        return "timestamp outside the allowed window"
    if not hmac.compare_digest(signature_for(secret, timestamp, body), signature):
        return "signature does not match"
    return ""


def handle(*, secret: str, body: bytes, timestamp: str, signature: str) -> Outcome:
    """Verify a delivery and act on it. Bad signatures change nothing and answer 401."""
    now = timezone.now()
    problem = verify(secret=secret, body=body, timestamp=timestamp, signature=signature, now=now)
    if problem:
        logger.warning("zoom webhook refused: %s", problem)
        return Outcome(401, {"error": problem})
    try:
        event = json.loads(body)
        name = str(event["event"])
        payload = event.get("payload") or {}
    except (ValueError, KeyError, TypeError):
        return Outcome(400, {"error": "not a Zoom event"})
    if name == "endpoint.url_validation":
        plain = str(payload.get("plainToken", ""))
        encrypted = hmac.new(secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
        return Outcome(200, {"plainToken": plain, "encryptedToken": encrypted})
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(signature=signature[:100], event=name[:60])
            _dispatch(name, payload)
    except IntegrityError:
        logger.warning("zoom webhook %s replayed; ignored", name)
        return Outcome(409, {"error": "already received"})
    WebhookReceipt.objects.filter(received_at__lt=now - 3 * MAX_SKEW).delete()
    return Outcome(200, {"status": "ok"})


def _meeting_id(payload: dict[str, Any]) -> int | None:
    # Zoom's examples show ids as strings, its SDK types as numbers: accept both.
    try:
        return int((payload.get("object") or {}).get("id"))
    except (TypeError, ValueError):
        return None


def _start(payload: dict[str, Any]) -> dt.datetime | None:
    raw = (payload.get("object") or {}).get("start_time")
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _dispatch(name: str, payload: dict[str, Any]) -> None:
    if name in ("meeting.deleted", "meeting.updated"):
        from meetings.services import meeting_changed_in_provider, meeting_deleted_in_provider

        meeting_id = _meeting_id(payload)
        if meeting_id is None:
            return
        if name == "meeting.deleted":
            meeting_deleted_in_provider(tool="zoom", external_id=meeting_id)
        else:
            meeting_changed_in_provider(tool="zoom", external_id=meeting_id, start=_start(payload))
        return
    if name == "app_deauthorized":
        connection = services.zoom_connection_deauthorized(
            zoom_user_id=str(payload.get("user_id", "")),
            zoom_account_id=str(payload.get("account_id", "")),
        )
        logger.info(
            "zoom app_deauthorized: %s", "disconnected" if connection else "no live connection"
        )
        return
    logger.info("zoom webhook %s ignored", name)
