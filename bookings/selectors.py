"""Reads that are more than one line: the agenda."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Business
from bookings.models import Appointment, BookingStatus, ClassSession, SessionStatus
from bookings.timeutils import local_day_bounds


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # "appointment" or "session"
    start: dt.datetime
    end: dt.datetime
    title: str
    detail: str
    location: str
    url: str


def agenda_items(*, business: Business, first_day: dt.date, days: int) -> list[AgendaItem]:
    """Confirmed appointments and scheduled class sessions on `days` local days from `first_day`."""
    zone = business.tzinfo
    start, _ = local_day_bounds(first_day, zone)
    _, end = local_day_bounds(first_day + dt.timedelta(days=days - 1), zone)
    items: list[AgendaItem] = []
    appointments = (
        Appointment.objects.filter(
            business=business, status=BookingStatus.CONFIRMED, start__lt=end, end__gt=start
        )
        .select_related("service", "client")
        .order_by("start")
    )
    for appt in appointments:
        items.append(
            AgendaItem(
                kind="appointment",
                start=appt.start,
                end=appt.end,
                title=appt.service.name,
                detail=appt.client.name,
                location=appt.get_location_kind_display(),
                url=reverse("bookings:appointment-detail", args=[appt.pk]),
            )
        )
    sessions = (
        ClassSession.objects.filter(
            business=business, status=SessionStatus.SCHEDULED, start__lt=end, end__gt=start
        )
        .select_related("offering")
        .order_by("start")
    )
    for session in sessions:
        where = [
            label
            for flag, label in ((session.in_person, "In person"), (session.online, "Online"))
            if flag
        ]
        items.append(
            AgendaItem(
                kind="session",
                start=session.start,
                end=session.end,
                title=session.offering.name,
                detail=f"{session.booked_count} of {session.capacity} booked",
                location=" + ".join(where),
                url=reverse("bookings:session-detail", args=[session.pk]),
            )
        )
    items.sort(key=lambda item: (item.start, item.kind))
    return items
