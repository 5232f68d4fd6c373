"""What a booking wants from its online meeting, derived from the booking itself."""

import datetime as dt
import secrets
import string
from dataclasses import dataclass
from enum import Enum

from bookings.models import BookingStatus, LocationKind, SessionStatus
from meetings.models import OnlineMeeting


class Want(Enum):
    EXISTS = "exists"  # a live booking: the meeting should exist as described
    GONE = "gone"  # cancelled or no longer online: delete it
    LEAVE = "leave"  # the booking is over: leave the provider's meeting alone


@dataclass(frozen=True)
class MeetingSpec:
    want: Want
    topic: str = ""
    start: dt.datetime | None = None
    duration: int = 0
    timezone: str = "UTC"
    agenda: str = ""
    waiting_room: bool = True
    join_before_host: bool = False
    group: bool = False


def marker_text(meeting: OnlineMeeting) -> str:
    return f"slotwise-{meeting.marker}"


def new_passcode() -> str:
    # Zoom passcodes: at most 10 characters; letters and digits always pass account rules.
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(8))


def _minutes(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def spec_for(meeting: OnlineMeeting, now: dt.datetime) -> MeetingSpec:
    """What the meeting's booking wants right now (the booking is loaded with it)."""
    appointment = meeting.appointment
    if appointment is not None:
        if appointment.end <= now:
            return MeetingSpec(Want.LEAVE)
        live = (
            appointment.status == BookingStatus.CONFIRMED
            and appointment.location_kind == LocationKind.ONLINE
            and appointment.meeting_tool == meeting.tool
        )
        if not live:
            return MeetingSpec(Want.GONE)
        service = appointment.service
        return MeetingSpec(
            Want.EXISTS,
            topic=f"{service.name} with {appointment.client.name}"[:200],
            start=appointment.start,
            duration=_minutes(appointment.start, appointment.end),
            timezone=appointment.business.timezone,
            agenda=(
                f"{service.name} with {appointment.client.name}, booked with "
                f"{appointment.business.name}. Booking reference {appointment.reference}. "
                f"Managed by Slotwise [{marker_text(meeting)}]"
            ),
            waiting_room=service.online_waiting_room,
            join_before_host=not service.online_waiting_room,
        )
    session = meeting.session
    if session is None:  # the booking was deleted outright
        return MeetingSpec(Want.GONE)
    if session.end <= now:
        return MeetingSpec(Want.LEAVE)
    live = (
        session.status == SessionStatus.SCHEDULED
        and session.online
        and session.meeting_tool == meeting.tool
    )
    if not live:
        return MeetingSpec(Want.GONE)
    offering = session.offering
    return MeetingSpec(
        Want.EXISTS,
        topic=f"{offering.name} ({session.business.name})"[:200],
        start=session.start,
        duration=_minutes(session.start, session.end),
        timezone=session.business.timezone,
        agenda=(
            f"{offering.name}, a class with {session.business.name}. Session reference "
            f"{session.reference}. Managed by Slotwise [{marker_text(meeting)}]"
        ),
        waiting_room=False,
        join_before_host=False,
        group=True,
    )
