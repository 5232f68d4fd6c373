"""Zoom's per-user daily limit (100 creates and updates per host per UTC day), kept locally.

Counting our own calls lets us stop before Zoom says 429; a 429 that comes anyway (another
app shares the user's allowance) pauses the business's tool until Zoom's Retry-After. The
count is per business, whose connection is one Zoom host. Deletes count too: the reference
marks whether they do as a conflict, so we take the stricter reading.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from meetings.models import ToolBudget


def _next_utc_midnight(now: dt.datetime) -> dt.datetime:
    tomorrow = now.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time.min, tzinfo=dt.UTC)


def paused_until(business_id: int, tool: str, now: dt.datetime) -> dt.datetime | None:
    """When this business's tool may be called again, if it may not be now."""
    row = ToolBudget.objects.filter(
        business_id=business_id, tool=tool, day=now.astimezone(dt.UTC).date()
    ).first()
    if row is None:
        return None
    if row.paused_until and row.paused_until > now:
        return row.paused_until
    if row.calls >= settings.MEETINGS_DAILY_BUDGET:
        return _next_utc_midnight(now)
    return None


def charge(business_id: int, tool: str, now: dt.datetime) -> None:
    """Count one create, update or delete against today's allowance."""
    day = now.astimezone(dt.UTC).date()
    if ToolBudget.objects.filter(business_id=business_id, tool=tool, day=day).update(
        calls=F("calls") + 1
    ):
        return
    try:
        with transaction.atomic():
            ToolBudget.objects.create(business_id=business_id, tool=tool, day=day, calls=1)
    except IntegrityError:  # created by a concurrent call a moment ago
        ToolBudget.objects.filter(business_id=business_id, tool=tool, day=day).update(
            calls=F("calls") + 1
        )


def pause(business_id: int, tool: str, until: dt.datetime, now: dt.datetime) -> None:
    """Zoom said 429 for the day: make no more calls for this business until `until`."""
    day = now.astimezone(dt.UTC).date()
    row, _ = ToolBudget.objects.get_or_create(business_id=business_id, tool=tool, day=day)
    ToolBudget.objects.filter(pk=row.pk).update(paused_until=until)
