"""E-mails about bookings, to the client (with an .ics invite) and to the business's staff."""

import datetime as dt

from django.utils import timezone

from accounts.models import Business, User
from bookings.booking_view import BookingView
from bookings.ics import InviteEvent, build_invite
from slotwise.mail import Attachment, send_templated_email

HEADLINES = {
    "booked": "You're booked",
    "changed": "Your booking has changed",
    "cancelled": "Your booking is cancelled",
    "reminder": "Reminder: coming up soon",
    "link_ready": "Your meeting link is ready",
}
STAFF_HEADLINES = {
    "booked": "New booking",
    "changed": "Booking changed",
    "cancelled": "Booking cancelled",
}


def invite_for(view: BookingView) -> bytes:
    lines = [f"{view.title} with {view.business_name}", f"Booking reference: {view.reference}"]
    meeting = (
        view.meeting if view.meeting and view.meeting.has_link and not view.cancelled else None
    )
    if meeting:
        lines.append(f"Join {meeting.tool_label} meeting: {meeting.join_url}")
        if meeting.passcode:
            lines.append(f"Passcode: {meeting.passcode}")
    lines.append(f"Manage your booking: {view.manage_url}")
    return build_invite(
        InviteEvent(
            uid=view.uid,
            sequence=view.sequence,
            start=view.start,
            end=view.end,
            summary=f"{view.title} — {view.business_name}",
            description="\n".join(lines),
            location=meeting.join_url if meeting else view.where,
            url=meeting.join_url if meeting else view.manage_url,
            organizer_name=view.business_name,
            attendee_email=view.client_email,
            attendee_name=view.client_name,
            cancelled=view.cancelled,
        )
    )


def client_notice_send(
    *, view: BookingView, kind: str, previous_start: dt.datetime | None = None
) -> None:
    """Tell the client about their booking, with the invite attached."""
    method = "CANCEL" if view.cancelled else "REQUEST"
    invite = Attachment(
        "invite.ics", invite_for(view), f"text/calendar; charset=utf-8; method={method}"
    )
    # Templates show aware datetimes in the active zone: make it the client's.
    with timezone.override(view.zone):
        send_templated_email(
            to=[view.client_email],
            template="bookings/email/client_notice",
            context={
                "view": view,
                "kind": kind,
                "headline": HEADLINES[kind],
                "previous_start": previous_start,
            },
            attachments=[invite],
        )


def staff_notice_send(
    *, business: Business, view: BookingView, kind: str, previous_start: dt.datetime | None = None
) -> None:
    """Tell the business's people about a booking made or changed, in the business's zone."""
    recipients = list(
        User.objects.filter(membership__business=business, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    with timezone.override(business.tzinfo):
        send_templated_email(
            to=recipients,
            template="bookings/email/staff_notice",
            context={
                "view": view,
                "kind": kind,
                "headline": STAFF_HEADLINES[kind],
                "zone": business.tzinfo,
                "previous_start": previous_start,
            },
        )
