"""Dates a class schedule produces: once, or weekly on chosen weekdays, capped at one year."""

import datetime as dt
from dataclasses import dataclass

MAX_SPAN = dt.timedelta(days=365)
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Recurrence:
    start_date: dt.date
    repeat: str  # "once" or "weekly"
    weekdays: tuple[int, ...] = ()  # Monday=0
    ends: str = "after_count"  # "on_date" or "after_count"
    end_date: dt.date | None = None
    occurrences: int | None = None

    @property
    def last_allowed_date(self) -> dt.date:
        """Schedules never reach more than a year past their first date."""
        return self.start_date + MAX_SPAN


def occurrence_dates(rule: Recurrence) -> list[dt.date]:
    """Every date the rule produces, in order, never past one year from the first date."""
    if rule.repeat == "once":
        return [rule.start_date]
    weekdays = sorted(set(rule.weekdays)) or [rule.start_date.weekday()]
    limit = rule.last_allowed_date
    if rule.ends == "on_date" and rule.end_date is not None:
        limit = min(limit, rule.end_date)
    wanted = rule.occurrences if rule.ends == "after_count" else None
    dates: list[dt.date] = []
    day = rule.start_date
    while day <= limit:
        if day.weekday() in weekdays:
            dates.append(day)
            if wanted is not None and len(dates) >= wanted:
                break
        day += dt.timedelta(days=1)
    return dates


def describe(rule: Recurrence) -> str:
    """A sentence such as 'Weekly on Monday and Wednesday, 12 sessions'."""
    if rule.repeat == "once":
        return f"Once, on {rule.start_date:%A %-d %B %Y}"
    days = [WEEKDAY_NAMES[d] for d in sorted(set(rule.weekdays or (rule.start_date.weekday(),)))]
    day_text = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]
    if rule.ends == "on_date" and rule.end_date:
        return f"Weekly on {day_text}, until {rule.end_date:%-d %B %Y}"
    return f"Weekly on {day_text}, {rule.occurrences} sessions"
