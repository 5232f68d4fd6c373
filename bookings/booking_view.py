"""One description of a booking for every place a person reads it: pages, e-mails, invites."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.urls import reverse

from bookings.models import Appointment, ClassBooking, LocationKind
from meetings.selectors import MeetingInfo, meeting_for_appointment, meeting_for_session
from slotwise.mail import absolute_url


@dataclass(frozen=True)
class BookingView:
    kind: str  # "appointment" or "class"
    reference: str
    uid: str
    sequence: int
    title: str
    business_name: str
    client_name: str
    client_email: str
    start: dt.datetime
    end: dt.datetime
    zone: zoneinfo.ZoneInfo
    online: bool
    meeting_tool: str
    address: str
    manage_path: str
    cancelled: bool
    cancel_reason: str
    meeting: MeetingInfo | None = None

    @property
    def manage_url(self) -> str:
        return absolute_url(self.manage_path)

    @property
    def where(self) -> str:
        if self.online:
            tool = self.meeting_tool.title() if self.meeting_tool else "online"
            return f"Online ({tool})"
        return self.address or "In person"


def appointment_view(
    appointment: Appointment, zone: zoneinfo.ZoneInfo | None = None
) -> BookingView:
    business = appointment.business
    return BookingView(
        kind="appointment",
        reference=appointment.reference,
        uid=f"{appointment.uid}@slotwise",
        sequence=appointment.sequence,
        title=appointment.service.name,
        business_name=business.name,
        client_name=appointment.client.name,
        client_email=appointment.client.email,
        start=appointment.start,
        end=appointment.end,
        zone=zone or appointment.client.zone(business),
        online=appointment.location_kind == LocationKind.ONLINE,
        meeting_tool=appointment.meeting_tool,
        address=appointment.address,
        manage_path=reverse("bookings:my-appointment", args=[appointment.token]),
        cancelled=appointment.is_cancelled,
        cancel_reason=appointment.cancel_reason,
        meeting=meeting_for_appointment(appointment) if appointment.is_online else None,
    )


def class_booking_view(booking: ClassBooking, zone: zoneinfo.ZoneInfo | None = None) -> BookingView:
    session = booking.session
    business = booking.business
    online = booking.location_kind == LocationKind.ONLINE or (
        session.online and not session.in_person
    )
    return BookingView(
        kind="class",
        reference=booking.reference,
        uid=f"{booking.uid}@slotwise",
        sequence=booking.sequence,
        title=session.offering.name,
        business_name=business.name,
        client_name=booking.client.name,
        client_email=booking.client.email,
        start=session.start,
        end=session.end,
        zone=zone or booking.client.zone(business),
        online=online,
        meeting_tool=session.meeting_tool if online else "",
        address=session.address,
        manage_path=reverse("bookings:my-class-booking", args=[booking.token]),
        cancelled=booking.is_cancelled or session.is_cancelled,
        cancel_reason=booking.cancel_reason or session.cancel_reason,
        meeting=meeting_for_session(session) if online else None,
    )
