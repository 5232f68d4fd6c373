"""The sandbox as one object: state, configuration and the services around them.

Handlers receive this object. `lock` guards `store` (and the runtime maps next to it); the
rate limiter, faults and webhooks keep their own small locks.
"""

import copy
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zoom_sandbox import persistence
from zoom_sandbox.clock import Clock, iso_utc
from zoom_sandbox.config import AppConfig
from zoom_sandbox.faults import Faults
from zoom_sandbox.ratelimit import RateLimiter, RateLimitSettings
from zoom_sandbox.state import Store, seed_store
from zoom_sandbox.webhooks import Webhooks

# The request log is for tests and benchmarks; cap it so a long demo cannot grow it forever.
REQUEST_LOG_LIMIT = 100_000
ZAK_TTL = 2 * 3600  # start_url expires after 2 hours (REFERENCE 7)
PAGE_TOKEN_TTL = 15 * 60  # next_page_token lives 15 minutes (REFERENCE 4.7)


@dataclass
class PageToken:
    user_id: str
    list_type: str
    offset: int
    expires_at: float


class Sandbox:
    def __init__(
        self,
        config: AppConfig,
        *,
        state_file: Path | None = None,
        rate_limits: RateLimitSettings | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.clock = Clock()
        self.startup_config = config.copy()
        self.config = config.copy()
        self.startup_rate_limits = copy.deepcopy(rate_limits or RateLimitSettings())
        self.rate_limiter = RateLimiter(copy.deepcopy(self.startup_rate_limits))
        self.faults = Faults()
        self.webhooks = Webhooks(self.clock, lambda: self.config)
        self.signing_key = secrets.token_bytes(32)
        self.base_url = "http://127.0.0.1:8001"  # set by the server once it has its port
        self.store: Store = seed_store(self.clock.now())
        # Runtime-only maps (not persisted).
        self.sessions: dict[str, str] = {}
        self.zaks: dict[str, tuple[str, int, float]] = {}
        self.page_tokens: dict[str, PageToken] = {}
        self._log: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self._seq = 0
        self.persister: persistence.Persister | None = None
        if state_file is not None:
            loaded = persistence.load(state_file)
            if loaded is not None:
                self.store = loaded
            self.persister = persistence.Persister(state_file, self.snapshot)

    def start(self) -> None:
        self.webhooks.start()
        if self.persister:
            self.persister.start()
            self.persister.mark_dirty()

    def stop(self) -> None:
        self.webhooks.stop()
        if self.persister:
            self.persister.stop()

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return self.store.to_json()

    def changed(self) -> None:
        """Call after any change to `store` (schedules a debounced write)."""
        if self.persister:
            self.persister.mark_dirty()

    def reset(self, *, keep_config: bool = False) -> None:
        """Back to the seed data; configuration back to what was given at start."""
        with self.lock:
            self.clock.reset()
            self.store = seed_store(self.clock.now())
            self.sessions.clear()
            self.zaks.clear()
            self.page_tokens.clear()
            self._log.clear()
            if not keep_config:
                self.config = self.startup_config.copy()
                self.rate_limiter.reset(self.startup_rate_limits)
                self.faults.reset()
            else:
                self.rate_limiter.reset(self.rate_limiter.settings)
                self.faults.clear()
            self.webhooks.reset()
        self.changed()

    def issue_zak(self, user_id: str, meeting_id: int) -> str:
        """A fresh host key for a start_url; never the same twice."""
        now = self.clock.now()
        zak = secrets.token_urlsafe(48)
        with self.lock:
            if len(self.zaks) > 10_000:
                self.zaks = {k: v for k, v in self.zaks.items() if v[2] > now}
            self.zaks[zak] = (user_id, meeting_id, now + ZAK_TTL)
        return zak

    def record_request(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self._seq += 1
            entry["seq"] = self._seq
            entry.setdefault("time", iso_utc(self.clock.now(), millis=True))
            self._log.append(entry)

    def requests_since(self, since: int = 0) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(e) for e in self._log if e["seq"] > since]

    @property
    def last_seq(self) -> int:
        with self.lock:
            return self._seq
