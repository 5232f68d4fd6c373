"""The sandbox's notion of "now": wall-clock time plus an offset tests can move.

Everything that expires (authorization codes, access and refresh tokens, daily rate-limit
windows, meeting-ID expiry) reads this clock, so a test can jump past 5 minutes or across
00:00 UTC without sleeping.
"""

import threading
import time
from datetime import UTC, datetime


class Clock:
    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds since the epoch, shifted by the current offset."""
        with self._lock:
            return time.time() + self._offset

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    @property
    def offset(self) -> float:
        with self._lock:
            return self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds

    def set_now(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the new time must carry a time zone")
        with self._lock:
            self._offset = when.timestamp() - time.time()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0


def iso_utc(ts: float, *, millis: bool = False) -> str:
    """Format an epoch time the way Zoom does: `2026-11-24T10:00:00Z` (optionally with ms)."""
    moment = datetime.fromtimestamp(ts, tz=UTC)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def next_utc_midnight(ts: float) -> float:
    """Epoch seconds of the next 00:00 UTC after `ts` (Zoom's daily limits reset then)."""
    day = int(ts // 86400)
    return float((day + 1) * 86400)
