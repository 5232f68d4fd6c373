"""Zoom's start_time rules (REFERENCE 4.1, 9.1).

`yyyy-MM-ddTHH:mm:ssZ` is UTC (the `timezone` field then only labels it); the same without
`Z` is wall-clock time in the `timezone` given, or in the account's zone when none is given.
Responses carry UTC with `Z` and the zone alongside.
"""

import functools
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Only Zoom's documented forms; offsets (`+02:00`) and fractions are refused (stricter side).
_START_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z?)$")


@functools.lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo | None:
    """The zone for a Zoom timezone id, or None when Zoom would not accept it."""
    if name == "UTC":
        return ZoneInfo("UTC")
    if not re.fullmatch(r"[A-Za-z_]+(/[A-Za-z0-9_+\-]+)+", name):
        return None  # Zoom's list holds Area/Location ids (and "UTC"), not "EST" or "GMT+1"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def well_formed(value: str) -> bool:
    """True for Zoom's two start_time forms naming a real calendar time."""
    if not _START_TIME.match(value):
        return False
    try:
        datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


def parse_start_time(value: str, timezone: str) -> float:
    """Epoch seconds for a Zoom start_time; ValueError when the text is not Zoom's format."""
    found = _START_TIME.match(value)
    if not found:
        raise ValueError("start_time must look like 2026-11-24T10:00:00Z")
    naive = datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
    if found.group(1) == "Z":
        return naive.replace(tzinfo=UTC).timestamp()
    local_zone = zone(timezone)
    if local_zone is None:
        raise ValueError(f"unknown time zone {timezone}")
    return naive.replace(tzinfo=local_zone).timestamp()


def local_input_value(ts: float, timezone: str) -> str:
    """The value of an `<input type=datetime-local>` for this instant in this zone."""
    local_zone = zone(timezone) or ZoneInfo("UTC")
    return datetime.fromtimestamp(ts, tz=local_zone).strftime("%Y-%m-%dT%H:%M")


def human(ts: float, timezone: str) -> str:
    local_zone = zone(timezone) or ZoneInfo("UTC")
    return datetime.fromtimestamp(ts, tz=local_zone).strftime("%a %d %b %Y, %H:%M %Z")
