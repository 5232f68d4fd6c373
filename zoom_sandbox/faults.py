"""Injected failures and latency for the calls the app makes (/v2, /oauth/token, /oauth/revoke).

A rule applies to the next `count` matching calls, or to a `fraction` of them (or both:
the next N of the fraction), optionally only for one method and a path glob. Kinds:

- `latency`: only wait `latency_ms` (any rule may also carry `latency_ms`);
- `error`: answer `status` (5xx, or 429 with `retry_after` seconds or an ISO time) without
  running the operation;
- `drop`: close the connection without a response and without running the operation;
- `lose_response`: run the operation, then close without a response - the case where the
  app cannot know whether Zoom created the meeting or rotated the refresh token.
"""

import fnmatch
import random
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from zoom_sandbox import ids
from zoom_sandbox.web import Response, json_response

KINDS = ("latency", "error", "drop", "lose_response")


@dataclass
class FaultRule:
    id: str
    kind: str
    status: int | None = None
    retry_after: str | None = None
    latency_ms: int = 0
    count: int | None = None
    fraction: float | None = None
    method: str | None = None
    path: str | None = None
    body: str | None = None
    applied: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return not (self.path and not fnmatch.fnmatchcase(path, self.path))

    def error_response(self) -> Response:
        status = self.status or 500
        headers: list[tuple[str, str]] = []
        if status == 429:
            daily = self.retry_after is not None and not self.retry_after.isdigit()
            headers.append(("X-RateLimit-Category", "Medium"))
            headers.append(("X-RateLimit-Type", "Daily-limit" if daily else "QPS"))
            if self.retry_after is not None:
                headers.append(("Retry-After", self.retry_after))
            message = (
                "You have reached the maximum daily rate limit for this API. Refer to the "
                "response header for details on when you can make another request."
                if daily
                else "You have reached the maximum per-second rate limit for this API. "
                "Try again later."
            )
        else:
            message = "Internal Server Error" if status == 500 else "Service Unavailable"
        if self.body is not None:
            return Response(status, self.body.encode(), [("Content-Type", "text/plain"), *headers])
        return json_response(status, {"code": status, "message": message}, headers)


def parse_rule(data: dict[str, Any]) -> FaultRule:
    """Validate a rule posted to the control API."""
    kind = data.get("kind")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    status = data.get("status")
    if kind == "error" and not (isinstance(status, int) and (status == 429 or 500 <= status < 600)):
        raise ValueError("an error fault needs status 429 or 5xx")
    retry_after = data.get("retry_after")
    if retry_after is not None:
        if isinstance(retry_after, int) and not isinstance(retry_after, bool):
            retry_after = str(retry_after)
        elif isinstance(retry_after, str):
            try:
                datetime.fromisoformat(retry_after.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError("retry_after must be seconds or an ISO date-time") from None
        else:
            raise ValueError("retry_after must be seconds or an ISO date-time")
    count = data.get("count")
    fraction = data.get("fraction")
    if count is not None and (not isinstance(count, int) or count < 1):
        raise ValueError("count must be a positive integer")
    if fraction is not None and (not isinstance(fraction, int | float) or not 0 < fraction <= 1):
        raise ValueError("fraction must be in (0, 1]")
    if count is None and fraction is None:
        count = 1
    latency_ms = data.get("latency_ms", 0)
    if not isinstance(latency_ms, int) or latency_ms < 0:
        raise ValueError("latency_ms must be a non-negative integer")
    if kind == "latency" and not latency_ms:
        raise ValueError("a latency fault needs latency_ms")
    return FaultRule(
        id=ids.opaque(6),
        kind=kind,
        status=status,
        retry_after=retry_after,
        latency_ms=latency_ms,
        count=count,
        fraction=float(fraction) if fraction is not None else None,
        method=data.get("method"),
        path=data.get("path"),
        body=data.get("body"),
    )


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self.latency_ms = 0
        self.jitter_ms = 0

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        """Drop every rule (the global latency stays: it is set separately)."""
        with self._lock:
            self._rules.clear()

    def reset(self) -> None:
        with self._lock:
            self._rules.clear()
            self.latency_ms = 0
            self.jitter_ms = 0

    def latency(self) -> dict[str, int]:
        with self._lock:
            return {"latency_ms": self.latency_ms, "jitter_ms": self.jitter_ms}

    def rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(rule) for rule in self._rules]

    def set_latency(self, latency_ms: int, jitter_ms: int = 0) -> None:
        with self._lock:
            self.latency_ms = latency_ms
            self.jitter_ms = jitter_ms

    def base_latency(self) -> float:
        """Seconds of emulated network + Zoom latency for this call."""
        with self._lock:
            if not self.latency_ms and not self.jitter_ms:
                return 0.0
            jitter = random.uniform(-self.jitter_ms, self.jitter_ms) if self.jitter_ms else 0
            return max(self.latency_ms + jitter, 0) / 1000

    def take(self, method: str, path: str) -> FaultRule | None:
        """The first rule that fires for this call, consuming one of its `count`."""
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path):
                    continue
                if rule.fraction is not None and random.random() >= rule.fraction:
                    continue
                rule.applied += 1
                if rule.count is not None:
                    rule.count -= 1
                    if rule.count == 0:
                        self._rules.remove(rule)
                return rule
        return None
