"""Driving the stack: unique booking slots, a load run in the generator process, summaries."""

import datetime as dt
import json
import subprocess
import tempfile
import time
from typing import Any
from urllib.parse import quote

from bench.common import PYTHON, ROOT, SLOT_MINUTES, percentile
from bench.stack import Stack


class Slots:
    """Hands out free slots round-robin over the stack's businesses, never one twice."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        midnight = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.base = midnight + dt.timedelta(days=2)
        self.used = 0
        self.per_day = (23 * 60 + 45) // SLOT_MINUTES
        self.taken = [0] * len(stack.seeded.businesses)  # slots used, per business

    def take(self, business_index: int | None = None) -> tuple[dict[str, Any], str]:
        """A free slot: of the given business, or of the next one in turn."""
        businesses = self.stack.seeded.businesses
        if business_index is None:
            business_index = self.used % len(businesses)
        self.used += 1
        n = self.taken[business_index]
        self.taken[business_index] += 1
        day, slot = divmod(n, self.per_day)
        start = self.base + dt.timedelta(days=day, minutes=slot * SLOT_MINUTES)
        return businesses[business_index], start.isoformat()

    def business_index(self, path: str) -> int:
        paths = [b["book_path"] for b in self.stack.seeded.businesses]
        return paths.index(path)

    def bookings(self, count: int) -> list[dict[str, Any]]:
        jobs = []
        for _ in range(count):
            business, start = self.take()
            jobs.append(
                {
                    "kind": "book",
                    "path": business["book_path"],
                    "start": start,
                    "email": f"client-{self.used}@bench.test",
                }
            )
        return jobs


def load(
    stack: Stack,
    jobs: list[dict[str, Any]],
    *,
    mode: str = "open",
    rate: float = 0,
    concurrency: int = 16,
    duration: float = 60,
) -> dict[str, Any]:
    """Run `jobs` from the load-generator process; returns its results."""
    first = stack.seeded.businesses[0]
    plan = {
        "base_url": stack.web_url,
        # A page with a form, so the session gets its CSRF cookie and token.
        "first_page": first["book_path"] + "?start=" + quote("2030-01-01T00:00:00+00:00"),
        "mode": mode,
        "rate": rate,
        "concurrency": concurrency,
        "duration": duration,
        "jobs": jobs,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json") as handle:
        json.dump(plan, handle)
        handle.flush()
        done = subprocess.run(
            [PYTHON, "-m", "bench.loadgen", handle.name],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    if done.returncode:
        raise RuntimeError(f"the load generator failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def ok(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Requests the app answered as a success (a redirect after the POST)."""
    return [r for r in results if r["status"] == 302]


def latency_summary(results: list[dict[str, Any]]) -> dict[str, float]:
    latencies = [r["latency_ms"] for r in ok(results)]
    return {
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "ok": len(latencies),
        "failed": len(results) - len(latencies),
    }


def sql(stack: Stack, query: str, params: tuple = ()) -> list[tuple]:
    """Read the stack's database directly (the bench's own connection, not the app's)."""
    import psycopg

    with psycopg.connect(stack.database_url, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


def meeting_counts(stack: Stack) -> dict[str, int]:
    rows = sql(stack, "SELECT status, count(*) FROM meetings_onlinemeeting GROUP BY status")
    return dict(rows)


def wait_settled(stack: Stack, timeout: float = 300) -> float:
    """Wait until no meeting is pending (the worker has caught up); returns seconds waited."""
    started = time.monotonic()
    while meeting_counts(stack).get("pending", 0):
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"meetings still pending after {timeout} s: {meeting_counts(stack)}")
        time.sleep(0.25)
    return time.monotonic() - started


def zoom_calls(stack: Stack, since: int) -> list[dict[str, Any]]:
    """What the app asked the sandbox since request number `since` (API and token calls)."""
    assert stack.sandbox is not None
    return stack.sandbox.requests(since=since)
