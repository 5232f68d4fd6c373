"""Zoom's rate limits (REFERENCE 5): per-second by category and plan, Free-plan daily caps per
account, and the 100 meeting create/update requests per host user per UTC day.

Per-second windows use the monotonic clock (a test moving the sandbox clock should not open
or close them); daily windows use the sandbox clock, so a test can cross 00:00 UTC.
"""

import copy
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from zoom_sandbox.clock import iso_utc, next_utc_midnight
from zoom_sandbox.web import Response, json_response

QPS_BY_PLAN = {
    "Free": {"Light": 4, "Medium": 2, "Heavy": 1},
    "Pro": {"Light": 30, "Medium": 20, "Heavy": 10},
    "Business": {"Light": 80, "Medium": 60, "Heavy": 40},
}
# Only the Free plan has per-category daily caps for Light/Medium (Heavy's shared cap on paid
# plans is not reachable through the endpoints the sandbox serves).
FREE_DAILY = {"Light": 6000, "Medium": 2000, "Heavy": 1000}

QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. Refer to the response header "
    "for details on when you can make another request."
)


def meeting_daily_message(limit: int) -> str:
    return (
        f"You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API "
        "requests permitted for this particular user. You may resume these requests at "
        "GMT 00:00:00."
    )


@dataclass
class RateLimitSettings:
    qps_enabled: bool = True
    qps_limits: dict[str, dict[str, int]] = field(
        default_factory=lambda: copy.deepcopy(QPS_BY_PLAN)
    )
    account_daily_enabled: bool = True
    meeting_daily_enabled: bool = True
    meeting_daily_limit: int = 100
    # CONFLICT (REFERENCE 5): the sandbox takes the stricter side and counts deletes.
    meeting_daily_counts_deletes: bool = True
    # A forum user saw the per-user daily 429 without X-RateLimit-Type/Retry-After; switch
    # these off to make sure the app falls back to the next 00:00 UTC.
    meeting_daily_headers: bool = True

    def update(self, changes: dict[str, Any]) -> None:
        known = {f.name for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown rate-limit setting: {name}")
            current = getattr(self, name)
            if isinstance(current, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
            elif isinstance(current, int):
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise ValueError(f"{name} must be a non-negative integer")
            elif name == "qps_limits":
                value = _merge_qps(self.qps_limits, value)
            setattr(self, name, value)


def _merge_qps(current: dict[str, dict[str, int]], value: object) -> dict[str, dict[str, int]]:
    if not isinstance(value, dict):
        raise ValueError("qps_limits must map plan → {category: limit}")
    merged = copy.deepcopy(current)
    for plan, limits in value.items():
        if plan not in merged or not isinstance(limits, dict):
            raise ValueError(f"unknown plan in qps_limits: {plan}")
        for category, limit in limits.items():
            if category not in merged[plan] or not isinstance(limit, int) or limit < 1:
                raise ValueError(f"bad qps limit for {plan}/{category}")
            merged[plan][category] = limit
    return merged


@dataclass
class Decision:
    """Either a 429 to send, or the ordinary lower-case headers to add."""

    rejection: Response | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)


class RateLimiter:
    def __init__(self, settings: RateLimitSettings | None = None) -> None:
        self._lock = threading.Lock()
        self.settings = settings or RateLimitSettings()
        self._windows: dict[tuple[str, str], deque[float]] = {}
        self._daily: dict[tuple[str, str, int], int] = {}

    def reset(self, settings: RateLimitSettings) -> None:
        with self._lock:
            self.settings = copy.deepcopy(settings)
            self._windows.clear()
            self._daily.clear()

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return asdict(self.settings)

    def configure(self, changes: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            trial = copy.deepcopy(self.settings)
            trial.update(changes)
            self.settings = trial
            return asdict(trial)

    def meeting_writes_today(self, user_id: str, now: float) -> int:
        with self._lock:
            return self._daily.get(("user", user_id, int(now // 86400)), 0)

    def check(
        self,
        *,
        account_id: str,
        plan: str,
        user_id: str,
        category: str,
        meeting_write: bool,
        now: float,
    ) -> Decision:
        """Count this call, or refuse it with Zoom's 429."""
        s = self.settings
        with self._lock:
            qps_limit = s.qps_limits[plan][category]
            window = self._windows.setdefault((account_id, category), deque())
            tick = time.monotonic()
            while window and tick - window[0] >= 1.0:
                window.popleft()
            if s.qps_enabled and len(window) >= qps_limit:
                return Decision(rejection=_qps_429(category))

            day = int(now // 86400)
            reset_at = iso_utc(next_utc_midnight(now))
            account_key = ("account:" + category, account_id, day)
            account_limit = FREE_DAILY[category] if plan == "Free" else None
            if (
                s.account_daily_enabled
                and account_limit is not None
                and self._daily.get(account_key, 0) >= account_limit
            ):
                return Decision(rejection=_daily_429(category, account_limit, reset_at))

            user_key = ("user", user_id, day)
            if (
                meeting_write
                and s.meeting_daily_enabled
                and self._daily.get(user_key, 0) >= s.meeting_daily_limit
            ):
                return Decision(
                    rejection=_meeting_daily_429(
                        category, s.meeting_daily_limit, reset_at, s.meeting_daily_headers
                    )
                )

            window.append(tick)
            self._daily[account_key] = self._daily.get(account_key, 0) + 1
            if meeting_write:
                self._daily[user_key] = self._daily.get(user_key, 0) + 1
                limit = s.meeting_daily_limit
                remaining = max(limit - self._daily[user_key], 0)
            elif account_limit is not None:
                limit = account_limit
                remaining = max(limit - self._daily[account_key], 0)
            else:
                limit = qps_limit
                remaining = max(qps_limit - len(window), 0)
            return Decision(
                headers=[
                    ("x-ratelimit-category", category),
                    ("x-ratelimit-limit", str(limit)),
                    ("x-ratelimit-remaining", str(remaining)),
                ]
            )


def _qps_429(category: str) -> Response:
    return json_response(
        429,
        {"code": 429, "message": QPS_MESSAGE},
        [("X-RateLimit-Category", category), ("X-RateLimit-Type", "QPS")],
    )


def _daily_429(category: str, limit: int, reset_at: str) -> Response:
    return json_response(
        429,
        {"code": 429, "message": DAILY_MESSAGE},
        [
            ("X-RateLimit-Category", category),
            ("X-RateLimit-Type", "Daily-limit"),
            ("X-RateLimit-Limit", str(limit)),
            ("X-RateLimit-Remaining", "0"),
            ("Retry-After", reset_at),
        ],
    )


def _meeting_daily_429(category: str, limit: int, reset_at: str, full: bool) -> Response:
    headers = [
        ("X-RateLimit-Category", category),
        ("X-RateLimit-Limit", str(limit)),
        ("X-RateLimit-Remaining", "0"),
    ]
    if full:
        headers += [("X-RateLimit-Type", "Daily-limit"), ("Retry-After", reset_at)]
    return json_response(429, {"code": 429, "message": meeting_daily_message(limit)}, headers)
