"""When a service can be booked: opening hours minus appointments and class sessions.

Opening hours are wall-clock times in the business's zone; everything else is UTC instants.
A slot is a start time such that the appointment fits inside an opening interval and the
appointment plus its buffer does not overlap anything on the calendar.
"""

import bisect
import datetime as dt
from collections import defaultdict

from django.db.models import Q

from accounts.models import Business
from bookings.models import (
    Appointment,
    BookingStatus,
    ClassSession,
    OpeningHours,
    SessionStatus,
    overlapping,
)
from bookings.timeutils import make_aware_local
from catalog.models import Service

Span = tuple[dt.datetime, dt.datetime]


def opening_spans(business: Business, first_day: dt.date, days: int) -> list[Span]:
    """Open intervals as UTC instants for `days` local days from `first_day`."""
    by_weekday: dict[int, list[OpeningHours]] = defaultdict(list)
    for hours in OpeningHours.objects.filter(business=business):
        by_weekday[hours.weekday].append(hours)
    zone = business.tzinfo
    spans: list[Span] = []
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        for hours in by_weekday.get(day.weekday(), []):
            spans.append(
                (
                    make_aware_local(day, hours.opens, zone),
                    make_aware_local(day, hours.closes, zone),
                )
            )
    spans.sort()
    return spans


def busy_spans(
    business: Business,
    start: dt.datetime,
    end: dt.datetime,
    ignore_appointment_id: int | None = None,
) -> list[Span]:
    """Calendar time taken between start and end: appointments (with buffer) and sessions."""
    appointments = Appointment.objects.filter(
        overlapping(start, end, ends="blocked_until"),
        business=business,
        status=BookingStatus.CONFIRMED,
    )
    if ignore_appointment_id is not None:
        appointments = appointments.filter(~Q(pk=ignore_appointment_id))
    spans = list(appointments.values_list("start", "blocked_until"))
    spans += ClassSession.objects.filter(
        overlapping(start, end), business=business, status=SessionStatus.SCHEDULED
    ).values_list("start", "end")
    spans.sort()
    return spans


def service_slots(
    *,
    service: Service,
    first_day: dt.date,
    days: int,
    now: dt.datetime,
    ignore_appointment_id: int | None = None,
    for_public: bool = True,
) -> list[dt.datetime]:
    """Start times (UTC) at which `service` can be booked on the given local days.

    For the public page, slots sooner than the business's notice or beyond its booking
    window are left out; staff see every free slot from now on.
    """
    business = service.business
    opening = opening_spans(business, first_day, days)
    if not opening:
        return []
    earliest = now
    latest = None
    if for_public:
        earliest = now + dt.timedelta(hours=business.booking_notice_hours)
        latest = now + dt.timedelta(days=business.booking_window_days)
    duration = dt.timedelta(minutes=service.duration_minutes)
    blocked = duration + dt.timedelta(minutes=service.buffer_minutes)
    step = dt.timedelta(minutes=service.slot_interval_minutes)
    busy = busy_spans(business, opening[0][0], opening[-1][1] + blocked, ignore_appointment_id)
    busy_starts = [span[0] for span in busy]
    # Running maximum of busy ends lets one bisect answer "does anything overlap?".
    max_end_upto: list[dt.datetime] = []
    running = None
    for _start, end in busy:
        running = end if running is None or end > running else running
        max_end_upto.append(running)

    def free(start: dt.datetime, end: dt.datetime) -> bool:
        idx = bisect.bisect_left(busy_starts, end)
        return idx == 0 or max_end_upto[idx - 1] <= start

    slots: list[dt.datetime] = []
    for open_at, close_at in opening:
        candidate = open_at
        while candidate + duration <= close_at:
            in_window = candidate >= earliest and (latest is None or candidate <= latest)
            if in_window and free(candidate, candidate + blocked):
                slots.append(candidate)
            candidate += step
    return slots
