"""Event notifications to the app's endpoint, signed and retried the way Zoom does (REFERENCE 6).

Deliveries run on background threads. Zoom retries only on HTTP >= 500 or a transport
failure (timeout, refused connection), at +5, +20 and +60 minutes, then drops the event; it
never retries a 3xx or 4xx. Tests compress that schedule through `webhook_retry_delays`.
"""

import hashlib
import heapq
import hmac
import http.client
import itertools
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from zoom_sandbox.clock import Clock, iso_utc
from zoom_sandbox.config import AppConfig

# Zoom expects an answer within 3 seconds (REFERENCE 6.1).
RESPONSE_TIMEOUT = 3.0
ALWAYS_SENT = {"app_deauthorized"}  # goes to the deauthorization endpoint, not a subscription


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """`v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{body}`)."""
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass
class Attempt:
    at: str
    status: int | None
    error: str | None
    elapsed_ms: int


@dataclass
class Delivery:
    id: str
    event: str
    url: str
    body: str
    created_at: str
    outcome: str = "pending"  # pending | delivered | failed | dropped | skipped
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt_in: float | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["data"] = json.loads(self.body)
        return data


@dataclass
class _Post:
    status: int | None
    body: bytes
    error: str | None
    elapsed_ms: int


def _post(url: str, headers: dict[str, str], body: bytes) -> _Post:
    """One POST with Zoom's 3 s budget; never follows redirects."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    started = time.monotonic()
    try:
        connection = connection_class(parts.hostname or "", parts.port, timeout=RESPONSE_TIMEOUT)
        try:
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            status: int | None = response.status
            error = None
        finally:
            connection.close()
    except TimeoutError:
        status, payload, error = None, b"", "timeout"
    except OSError as exc:
        status, payload, error = None, b"", f"connection error: {exc.__class__.__name__}"
    except http.client.HTTPException as exc:
        status, payload, error = None, b"", f"protocol error: {exc.__class__.__name__}"
    elapsed = int((time.monotonic() - started) * 1000)
    return _Post(status, payload, error, elapsed)


class Webhooks:
    def __init__(self, clock: Clock, config: Callable[[], AppConfig]) -> None:
        self._clock = clock
        self._config = config
        self._lock = threading.Condition()
        self._deliveries: list[Delivery] = []
        self._queue: list[tuple[float, int, int, Delivery]] = []
        self._seq = itertools.count()
        self._generation = 0
        self._stopping = False
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="zoom-webhook")
        self._thread = threading.Thread(target=self._run, name="zoom-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        self._thread.join(timeout=2)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def reset(self) -> None:
        """Forget deliveries and cancel pending retries (attempts in flight are ignored)."""
        with self._lock:
            self._generation += 1
            self._deliveries.clear()
            self._queue.clear()

    def deliveries(self, event: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [d.as_dict() for d in self._deliveries if event in (None, d.event)]

    def emit(self, event: str, payload: dict[str, Any]) -> Delivery | None:
        """Queue an event if the app subscribes to it; returns the delivery record."""
        config = self._config()
        if event not in ALWAYS_SENT and event not in config.webhook_events:
            return None
        body = {"event": event, "event_ts": int(self._clock.now() * 1000), "payload": payload}
        delivery = Delivery(
            id=str(uuid.uuid4()),
            event=event,
            url=config.webhook_url,
            body=json.dumps(body, separators=(",", ":")),
            created_at=iso_utc(self._clock.now(), millis=True),
        )
        with self._lock:
            self._deliveries.append(delivery)
            if not delivery.url:
                delivery.outcome = "skipped"
                return delivery
            self._schedule(delivery, 0.0)
        return delivery

    def validate_url(self) -> dict[str, Any]:
        """Zoom's `endpoint.url_validation` challenge, answered within 3 s or failed."""
        config = self._config()
        if not config.webhook_url:
            return {"ok": False, "reason": "no webhook URL configured", "status": None}
        plain = secrets.token_urlsafe(16)
        body = json.dumps(
            {
                "event": "endpoint.url_validation",
                "event_ts": int(self._clock.now() * 1000),
                "payload": {"plainToken": plain},
            },
            separators=(",", ":"),
        )
        delivery = Delivery(
            id=str(uuid.uuid4()),
            event="endpoint.url_validation",
            url=config.webhook_url,
            body=body,
            created_at=iso_utc(self._clock.now(), millis=True),
        )
        result = _post(config.webhook_url, self._headers(config, body.encode()), body.encode())
        delivery.attempts.append(
            Attempt(iso_utc(self._clock.now()), result.status, result.error, result.elapsed_ms)
        )
        expected = hmac.new(
            config.webhook_secret.encode(), plain.encode(), hashlib.sha256
        ).hexdigest()
        reason = _judge_validation(result, plain, expected)
        delivery.outcome = "delivered" if reason is None else "failed"
        with self._lock:
            self._deliveries.append(delivery)
        return {
            "ok": reason is None,
            "reason": reason or "plainToken and encryptedToken match",
            "status": result.status,
            "elapsed_ms": result.elapsed_ms,
            "plain_token": plain,
        }

    def _headers(self, config: AppConfig, body: bytes) -> dict[str, str]:
        # Real time, not the sandbox clock: the app checks it against its own clock for replays.
        timestamp = str(int(time.time()))
        return {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Zoom Marketplace/1.0a",
            "x-zm-request-timestamp": timestamp,
            "x-zm-signature": sign(config.webhook_secret, timestamp, body),
            "x-zm-request-id": str(uuid.uuid4()).replace("-", "_"),
            "x-zm-trackingid": f"v=2.0;clid=us05;rid={secrets.token_hex(16)}",
            "clientid": config.client_id,
            "traceparent": f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01",
        }

    def _schedule(self, delivery: Delivery, delay: float) -> None:
        delivery.next_attempt_in = delay
        due = time.monotonic() + delay
        heapq.heappush(self._queue, (due, next(self._seq), self._generation, delivery))
        self._lock.notify_all()

    def _run(self) -> None:
        with self._lock:
            while not self._stopping:
                if not self._queue:
                    self._lock.wait()
                    continue
                due, _, generation, delivery = self._queue[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._lock.wait(timeout=wait)
                    continue
                heapq.heappop(self._queue)
                if generation == self._generation:
                    delivery.next_attempt_in = None
                    self._pool.submit(self._attempt, delivery, generation)

    def _attempt(self, delivery: Delivery, generation: int) -> None:
        config = self._config()
        body = delivery.body.encode()
        result = _post(delivery.url, self._headers(config, body), body)
        with self._lock:
            if generation != self._generation:
                return
            delivery.attempts.append(
                Attempt(iso_utc(self._clock.now()), result.status, result.error, result.elapsed_ms)
            )
            if result.status is not None and 200 <= result.status < 300:
                delivery.outcome = "delivered"
            elif result.status is not None and result.status < 500:
                delivery.outcome = "failed"  # Zoom never retries 3xx/4xx
            else:
                retries = config.webhook_retry_delays
                done = len(delivery.attempts) - 1
                if done < len(retries):
                    self._schedule(delivery, retries[done])
                else:
                    delivery.outcome = "dropped"
            self._lock.notify_all()


def _judge_validation(result: _Post, plain: str, expected: str) -> str | None:
    """None when the endpoint answered the challenge correctly, else why it failed."""
    if result.status is None:
        return f"no answer within {RESPONSE_TIMEOUT:g} s ({result.error})"
    if result.status not in (200, 204):
        return f"status {result.status}, expected 200 or 204"
    try:
        answer = json.loads(result.body)
    except ValueError:
        return "response body is not JSON"
    if not isinstance(answer, dict) or answer.get("plainToken") != plain:
        return "plainToken missing or different"
    if not hmac.compare_digest(str(answer.get("encryptedToken", "")), expected):
        return "encryptedToken is not HMAC-SHA256(secret token, plainToken)"
    return None
