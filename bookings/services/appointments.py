"""Appointments: create, reschedule (time and/or location), cancel."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Business, User
from bookings import effects
from bookings.availability import service_slots
from bookings.errors import NotBookable
from bookings.models import Appointment, BookingStatus, CancelledBy, Client, LocationKind
from bookings.services.calendar import calendar_lock, clash_check
from catalog.models import Service


def _check_location(service: Service, location_kind: str) -> None:
    if location_kind == LocationKind.ONLINE and not service.online:
        raise NotBookable(f"{service.name} is not offered online.", code="location")
    if location_kind == LocationKind.IN_PERSON and not service.in_person:
        raise NotBookable(f"{service.name} is not offered in person.", code="location")
    if location_kind not in LocationKind.values:
        raise NotBookable("Choose In person or Online.", code="location")


def _check_public_slot(
    service: Service, start: dt.datetime, now: dt.datetime, ignore_appointment_id: int | None = None
) -> None:
    """Clients may only take a slot the public page would offer them right now."""
    local_day = timezone.localtime(start, service.business.tzinfo).date()
    slots = service_slots(
        service=service,
        first_day=local_day,
        days=1,
        now=now,
        ignore_appointment_id=ignore_appointment_id,
    )
    if start not in slots:
        raise NotBookable(
            "Sorry, that time is no longer available. Please pick another time.", code="unavailable"
        )


def _location_fields(service: Service, location_kind: str) -> dict[str, str]:
    online = location_kind == LocationKind.ONLINE
    return {
        "location_kind": location_kind,
        "meeting_tool": service.meeting_tool if online else "",
        "address": "" if online else service.address,
    }


@transaction.atomic
def appointment_create(
    *,
    business: Business,
    service: Service,
    client: Client,
    start: dt.datetime,
    location_kind: str,
    booked_by: User | None = None,
    notes: str = "",
    by_client: bool = False,
    now: dt.datetime | None = None,
) -> Appointment:
    """Book `client` for `service` at `start`; refuse clashes and, for clients, unoffered slots."""
    now = now or timezone.now()
    if service.business_id != business.pk or client.business_id != business.pk:
        raise NotBookable("That service or client belongs to another business.", code="tenant")
    if service.is_archived:
        raise NotBookable(f"{service.name} is no longer offered.", code="archived")
    if start < now:
        raise NotBookable("That time has already passed. Choose a time in the future.", code="past")
    _check_location(service, location_kind)
    end = start + dt.timedelta(minutes=service.duration_minutes)
    blocked_until = end + dt.timedelta(minutes=service.buffer_minutes)
    calendar_lock(business)
    if by_client:
        _check_public_slot(service, start, now)
    clash_check(business=business, start=start, blocked_until=blocked_until)
    appointment = Appointment.objects.create(
        business=business,
        service=service,
        client=client,
        start=start,
        end=end,
        blocked_until=blocked_until,
        booked_by=booked_by,
        notes=notes,
        **_location_fields(service, location_kind),
    )
    effects.appointment_booked(appointment)
    return appointment


@transaction.atomic
def appointment_reschedule(
    *,
    appointment: Appointment,
    start: dt.datetime,
    location_kind: str | None = None,
    by_client: bool = False,
    now: dt.datetime | None = None,
) -> Appointment:
    """Move an appointment and/or switch its location; the client gets an updated invite."""
    now = now or timezone.now()
    # Lock order everywhere: the business's calendar first, then the appointment row.
    calendar_lock(appointment.business)
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("service", "business")
        .get(pk=appointment.pk)
    )
    if appointment.is_cancelled:
        raise NotBookable("This appointment was cancelled and cannot be changed.", code="cancelled")
    service = appointment.service
    location_kind = location_kind or appointment.location_kind
    _check_location(service, location_kind)
    if start != appointment.start and start < now:
        raise NotBookable("That time has already passed. Choose a time in the future.", code="past")
    if start == appointment.start and location_kind == appointment.location_kind:
        return appointment
    end = start + dt.timedelta(minutes=service.duration_minutes)
    blocked_until = end + dt.timedelta(minutes=service.buffer_minutes)
    if by_client:
        _check_public_slot(service, start, now, ignore_appointment_id=appointment.pk)
    clash_check(
        business=appointment.business,
        start=start,
        blocked_until=blocked_until,
        ignore_appointment_id=appointment.pk,
    )
    previous_start = appointment.start
    appointment.start, appointment.end, appointment.blocked_until = start, end, blocked_until
    for name, value in _location_fields(service, location_kind).items():
        setattr(appointment, name, value)
    appointment.sequence += 1
    appointment.reminder_sent_at = None
    appointment.save()
    effects.appointment_changed(appointment, previous_start=previous_start)
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, reason: str = "", by: str = CancelledBy.STAFF
) -> Appointment:
    """Cancel an appointment; the client gets a cancellation with a calendar CANCEL."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.is_cancelled:
        return appointment
    appointment.status = BookingStatus.CANCELLED
    appointment.cancel_reason = reason.strip()
    appointment.cancelled_at = timezone.now()
    appointment.cancelled_by = by
    appointment.sequence += 1
    appointment.save()
    effects.appointment_cancelled(appointment)
    return appointment
