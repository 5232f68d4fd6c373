"""What a booking change sets off: the online meeting follows, and people are told.

Called by the services inside their transaction. The meeting record is written and its
reconcile task queued in that same transaction, before the e-mail task, so with the
database task backend both exist exactly when the change committed, and the worker (which
runs reconciles first) usually has the meeting link ready for the e-mail.
"""

import datetime as dt
from collections.abc import Iterable

from bookings.models import Appointment, ClassBooking, ClassSession
from bookings.tasks import appointment_notify, class_booking_notify
from meetings.services import meeting_sync_for_appointment, meetings_sync_for_sessions


def appointment_booked(appointment: Appointment) -> None:
    meeting_sync_for_appointment(appointment=appointment, new=True)
    appointment_notify.enqueue(appointment.pk, "booked")


def appointment_changed(appointment: Appointment, *, previous_start: dt.datetime) -> None:
    meeting_sync_for_appointment(appointment=appointment)
    appointment_notify.enqueue(appointment.pk, "changed", previous_start.isoformat())


def appointment_cancelled(appointment: Appointment) -> None:
    meeting_sync_for_appointment(appointment=appointment)
    appointment_notify.enqueue(appointment.pk, "cancelled")


def class_sessions_changed(sessions: Iterable[ClassSession]) -> None:
    """Sessions were created, moved, relocated or cancelled: their meetings follow."""
    meetings_sync_for_sessions(sessions=sessions)


def class_booking_booked(booking: ClassBooking) -> None:
    class_booking_notify.enqueue(booking.pk, "booked")


def class_booking_cancelled(booking: ClassBooking) -> None:
    class_booking_notify.enqueue(booking.pk, "cancelled")


def class_booking_moved(booking: ClassBooking, *, previous_start: dt.datetime) -> None:
    class_booking_notify.enqueue(booking.pk, "changed", previous_start.isoformat())


def class_session_changed(booking_ids: list[int], *, previous_start: dt.datetime) -> None:
    """Each client with a seat hears of the new time; staff made the change, so no staff notice."""
    for booking_id in booking_ids:
        class_booking_notify.enqueue(booking_id, "changed", previous_start.isoformat(), False)


def class_session_cancelled(booking_ids: list[int]) -> None:
    for booking_id in booking_ids:
        class_booking_notify.enqueue(booking_id, "cancelled", None, False)
