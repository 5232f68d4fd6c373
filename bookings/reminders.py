"""Reminder e-mails before each appointment and class session (online ones carry the link).

Bookings made inside the reminder window are not reminded: their confirmation is recent.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bookings.models import Appointment, BookingStatus, ClassBooking, ClassSession, SessionStatus
from bookings.tasks import appointment_notify, class_booking_notify


def reminders_send(now: dt.datetime | None = None) -> int:
    """Queue the reminders that are due; returns how many e-mails were queued."""
    now = now or timezone.now()
    lead = dt.timedelta(hours=settings.REMINDER_LEAD_HOURS)
    queued = 0
    due_appointments = Appointment.objects.filter(
        status=BookingStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        start__gt=now,
        start__lte=now + lead,
    ).values_list("pk", "created_at", "start")
    for pk, created_at, start in due_appointments:
        with transaction.atomic():
            # Claim first, so two schedulers never remind twice.
            if not Appointment.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            if start - created_at >= lead:
                appointment_notify.enqueue(pk, "reminder")
                queued += 1
    due_sessions = ClassSession.objects.filter(
        status=SessionStatus.SCHEDULED,
        reminder_sent_at__isnull=True,
        start__gt=now,
        start__lte=now + lead,
    ).values_list("pk", flat=True)
    for pk in due_sessions:
        with transaction.atomic():
            if not ClassSession.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            seats = ClassBooking.objects.filter(
                session_id=pk,
                status=BookingStatus.CONFIRMED,
                created_at__lte=F("session__start") - lead,
            ).values_list("pk", flat=True)
            for booking_id in seats:
                class_booking_notify.enqueue(booking_id, "reminder", None, False)
                queued += 1
    return queued
