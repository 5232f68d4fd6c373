"""What every figure shares: result rows, statistics over runs, and a fresh bench database.

A figure module exposes `run(runs: int, quick: bool) -> Figure`. It measures and reports;
it never decides pass or fail (the target is printed beside the figure, for the reader).
"""

import base64
import hashlib
import math
import os
import socket
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PYTHON = sys.executable
# The server the bench makes its databases on (it drops and creates only `slotwise_bench*`).
# Every bench business sells one online service of this length, open around the clock.
SLOT_MINUTES = 15
POSTGRES_URL = (
    os.environ.get("BENCH_POSTGRES_URL")
    or os.environ.get("DATABASE_URL")  # what scripts/with-postgres hands over (make bench)
    or "postgres://postgres@127.0.0.1:5432/postgres"
)


@dataclass
class Row:
    name: str
    value: float | str
    unit: str = ""
    target: str = ""
    # (min, max) over the runs the value is the median of; None for a single measurement.
    spread: tuple[float, float] | None = None
    runs: int = 1
    note: str = ""


@dataclass
class Figure:
    key: str  # "1".."8", or "7" for the soak
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self, name: str, values: float | str | Sequence[float], unit: str = "", **kw: Any
    ) -> Row:
        """One row; a sequence of per-run values is reported as its median with the spread."""
        if isinstance(values, str | int | float):
            row = Row(name, values, unit, **kw)
        else:
            mid, low, high = median_spread(values)
            row = Row(name, mid, unit, spread=(low, high), runs=len(values), **kw)
        self.rows.append(row)
        return row

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def median_spread(values: Iterable[float]) -> tuple[float, float, float]:
    data = list(values)
    if not data:
        return (float("nan"),) * 3
    return statistics.median(data), min(data), max(data)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(database_url: str, **overrides: str) -> dict[str, str]:
    """The environment of a bench Django process: production settings (DEBUG=0) over plain
    HTTP on loopback, secrets derived from the database's URL so every process of one stack
    agrees on them (throwaway data, so a derived key is fine here and nowhere else)."""
    seed = hashlib.sha256(database_url.encode()).digest()
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO", "DATABASE", "ZOOM", "TASKS", "SLOTWISE_TESTING"))
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "slotwise.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + seed.hex(),
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(seed).decode(),
        "DATABASE_URL": database_url,
        # The production TLS settings would redirect every plain-HTTP call.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": "dummy:",
        "PYTHONUNBUFFERED": "1",
        **overrides,
    }


def database_url(name: str) -> str:
    parts = urlsplit(POSTGRES_URL)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def fresh_database(name: str) -> str:
    """Drop and create database `name` on the bench server; returns its URL."""
    import psycopg

    if not name.startswith("slotwise_bench"):
        raise ValueError("the bench only drops databases named slotwise_bench*")
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        # No FORCE: a bench run still using it fails this one loudly instead of dying. The
        # few seconds allow for the previous stack's backends to finish exiting.
        for attempt in range(20):
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    raise RuntimeError(f"{name} is in use: is another bench run going?") from None
                time.sleep(0.5)
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def fmt(value: float | str, unit: str = "") -> str:
    if isinstance(value, str):
        return value
    if value != value:  # NaN
        return "n/a"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}" if value else "0"
    return f"{text} {unit}".strip()
