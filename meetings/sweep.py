"""The safety net and the calendar: queue every meeting that is due.

Due means: a retry whose time has come, a class-session meeting entering its creation
window, work parked for a daily limit that has reset, or a queued reconcile whose task was
lost with a dead worker. Soonest bookings first, so a tight daily allowance goes where it
matters most.
"""

import datetime as dt

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings.models import MeetingStatus, OnlineMeeting
from meetings.scheduling import schedule


def sweep(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Queue up to `limit` due meetings; returns how many were queued."""
    now = now or timezone.now()
    due = (
        OnlineMeeting.objects.filter(status=MeetingStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .annotate(booking_start=Coalesce("appointment__start", "session__start"))
        .order_by("booking_start", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for meeting_id in list(due):
        schedule(meeting_id)
        queued += 1
    return queued
