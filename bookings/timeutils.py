"""Wall-clock time in a zone versus UTC instants, done right across DST changes."""

import datetime as dt
import zoneinfo


def local_day_bounds(day: dt.date, zone: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants at which `day` starts and ends in `zone` (23 or 25 hours on DST days)."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def make_aware_local(day: dt.date, time: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant at which a wall clock in `zone` shows `day` `time`.

    fold=0 (PEP 495) gives what calendars do: a time in the hour skipped when clocks go
    forward moves forward by the gap (02:30 becomes 03:30), and a time in the hour repeated
    when clocks go back means its first occurrence.
    """
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())
