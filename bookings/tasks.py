"""Background work for bookings: e-mails. Tasks take ids, load rows, and send."""

import datetime as dt

from django_tasks import task

from bookings.booking_view import appointment_view, class_booking_view
from bookings.emails import client_notice_send, staff_notice_send
from bookings.models import Appointment, ClassBooking

STAFF_KINDS = {"booked", "changed", "cancelled"}


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@task()
def appointment_notify(appointment_id: int, kind: str, previous_start: str | None = None) -> None:
    """E-mail the client (with invite) and, for changes, staff about an appointment."""
    from meetings.models import OnlineMeeting
    from meetings.notices import confirmation_sent

    appointment = (
        Appointment.objects.select_related("business", "service", "client")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return
    if kind in ("booked", "reminder") and appointment.is_cancelled:
        return  # cancelled before we got here; the cancellation notice says it all
    meeting_id = (
        OnlineMeeting.objects.filter(appointment=appointment).values_list("pk", flat=True).first()
    )
    view = appointment_view(appointment)
    client_notice_send(view=view, kind=kind, previous_start=_parse(previous_start))
    if kind == "booked" and meeting_id is not None:
        confirmation_sent(meeting_id, with_link=bool(view.meeting and view.meeting.has_link))
    if kind in STAFF_KINDS:
        staff_notice_send(
            business=appointment.business,
            view=view,
            kind=kind,
            previous_start=_parse(previous_start),
        )


@task()
def class_booking_notify(
    class_booking_id: int, kind: str, previous_start: str | None = None, notify_staff: bool = True
) -> None:
    """E-mail the client (with invite) and, unless told not to, staff about a class booking."""
    booking = (
        ClassBooking.objects.select_related("business", "client", "session__offering")
        .filter(pk=class_booking_id)
        .first()
    )
    if booking is None:
        return
    if kind in ("booked", "reminder") and (booking.is_cancelled or booking.session.is_cancelled):
        return
    view = class_booking_view(booking)
    client_notice_send(view=view, kind=kind, previous_start=_parse(previous_start))
    if notify_staff and kind in STAFF_KINDS:
        staff_notice_send(
            business=booking.business, view=view, kind=kind, previous_start=_parse(previous_start)
        )
