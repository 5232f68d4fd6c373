"""Reads that are more than one line: the agenda."""

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Business
from bookings.models import (
    Appointment,
    BookingStatus,
    ClassSession,
    LocationKind,
    SessionStatus,
    overlapping,
)
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
    # "09:00–10:00" on the business's clock, formatted here: the template's date filters
    # cost more than the query on a busy week.
    times: str


def agenda_items(*, business: Business, first_day: dt.date, days: int) -> list[AgendaItem]:
    """Confirmed appointments and scheduled class sessions on `days` local days from `first_day`."""
    zone = business.tzinfo
    start, _ = local_day_bounds(first_day, zone)
    _, end = local_day_bounds(first_day + dt.timedelta(days=days - 1), zone)
    items: list[AgendaItem] = []
    appointments = (
        Appointment.objects.filter(
            overlapping(start, end), business=business, status=BookingStatus.CONFIRMED
        )
        .order_by("start")
        # A busy week has hundreds of rows: read only what the agenda shows, not models.
        .values_list("pk", "start", "end", "service__name", "client__name", "location_kind")
    )
    detail_url = _url_for_pk("bookings:appointment-detail")
    kinds = dict(LocationKind.choices)
    for pk, appt_start, appt_end, service_name, client_name, kind in appointments:
        items.append(
            AgendaItem(
                kind="appointment",
                start=appt_start,
                end=appt_end,
                title=service_name,
                detail=client_name,
                location=kinds.get(kind, kind),
                url=detail_url(pk),
                times=_times(appt_start, appt_end, zone),
            )
        )
    sessions = (
        ClassSession.objects.filter(
            overlapping(start, end), business=business, status=SessionStatus.SCHEDULED
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
                times=_times(session.start, session.end, zone),
            )
        )
    items.sort(key=lambda item: (item.start, item.kind))
    return items


def _url_for_pk(name: str) -> Callable[[int], str]:
    """reverse(name, args=[pk]) for many pks, resolving the URL pattern once."""
    placeholder = 2**62 + 7  # a number no row has, so its digits occur once in the URL
    before, after = reverse(name, args=[placeholder]).split(str(placeholder))
    return lambda pk: f"{before}{pk}{after}"


def _times(start: dt.datetime, end: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return f"{start.astimezone(zone):%H:%M}–{end.astimezone(zone):%H:%M}"
