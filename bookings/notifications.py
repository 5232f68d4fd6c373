"""What a booking change sets off: e-mails now; online meetings join in the meetings app.

Called by the services inside their transaction. Tasks are enqueued there too, so with the
database task backend a notice exists exactly when the change that caused it committed.
"""

import datetime as dt

from bookings.models import Appointment, ClassBooking
from bookings.tasks import appointment_notify, class_booking_notify


def appointment_booked(appointment: Appointment) -> None:
    appointment_notify.enqueue(appointment.pk, "booked")


def appointment_changed(appointment: Appointment, *, previous_start: dt.datetime) -> None:
    appointment_notify.enqueue(appointment.pk, "changed", previous_start.isoformat())


def appointment_cancelled(appointment: Appointment) -> None:
    appointment_notify.enqueue(appointment.pk, "cancelled")


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
