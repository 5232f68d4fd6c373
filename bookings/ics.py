"""Calendar invites (.ics) for bookings, built with icalendar.

One stable UID per booking; SEQUENCE rises with every change so calendars replace the old
event; a cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText


@dataclass(frozen=True)
class InviteEvent:
    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str
    location: str
    url: str
    organizer_name: str
    attendee_email: str
    attendee_name: str
    cancelled: bool = False


def build_invite(event: InviteEvent) -> bytes:
    """The .ics file for one event, as a REQUEST or a CANCEL."""
    cal = Calendar()
    cal.add("prodid", "-//Slotwise//Bookings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if event.cancelled else "REQUEST")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now().astimezone(dt.UTC))
    vevent.add("dtstart", event.start.astimezone(dt.UTC))
    vevent.add("dtend", event.end.astimezone(dt.UTC))
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{_from_address()}")
    organizer.params["cn"] = vText(event.organizer_name)
    vevent.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{event.attendee_email}")
    attendee.params["cn"] = vText(event.attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    vevent.add("attendee", attendee)
    cal.add_component(vevent)
    return cal.to_ical()


def _from_address() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.split("<")[-1].rstrip(">").strip() if "<" in sender else sender
