"""Seats in class sessions. The last seat goes to exactly one of two racing clients."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from bookings import effects
from bookings.errors import AlreadyBooked, NotBookable, SessionFull
from bookings.models import (
    BookingStatus,
    CancelledBy,
    ClassBooking,
    ClassSession,
    Client,
    LocationKind,
    SessionStatus,
)


def _take_seat(session_id: int) -> bool:
    # One conditional UPDATE decides: it succeeds only while a seat is free, and the
    # database applies concurrent ones one after another.
    return bool(
        ClassSession.objects.filter(
            pk=session_id, status=SessionStatus.SCHEDULED, booked_count__lt=F("capacity")
        ).update(booked_count=F("booked_count") + 1)
    )


def _release_seat(session_id: int) -> None:
    ClassSession.objects.filter(pk=session_id, booked_count__gt=0).update(
        booked_count=F("booked_count") - 1
    )


def _location_for(session: ClassSession, location_kind: str) -> str:
    if session.in_person and session.online:
        if location_kind not in LocationKind.values:
            raise NotBookable("Choose whether you attend in person or online.", code="location")
        return location_kind
    return LocationKind.ONLINE if session.online else LocationKind.IN_PERSON


@transaction.atomic
def class_booking_create(
    *,
    session: ClassSession,
    client: Client,
    location_kind: str = "",
    booked_by: User | None = None,
    by_client: bool = False,
) -> ClassBooking:
    """Give `client` a seat in `session`, if one is free."""
    if client.business_id != session.business_id:
        raise NotBookable("That client belongs to another business.", code="tenant")
    if session.is_cancelled:
        raise NotBookable("This session has been cancelled.", code="cancelled")
    now = timezone.now()
    if session.start <= now:
        raise NotBookable("This session has already started.", code="past")
    if by_client and session.offering.is_archived:
        raise NotBookable("This class is no longer offered.", code="archived")
    location = _location_for(session, location_kind)
    if ClassBooking.objects.filter(
        session=session, client=client, status=BookingStatus.CONFIRMED
    ).exists():
        raise AlreadyBooked(f"{client.name} already has a seat in this session.", code="duplicate")
    if not _take_seat(session.pk):
        raise SessionFull(
            "Sorry, this session is full: the last seat has just been taken.", code="full"
        )
    try:
        with transaction.atomic():
            booking = ClassBooking.objects.create(
                business=session.business,
                session=session,
                client=client,
                location_kind=location,
                booked_by=booked_by,
            )
    except IntegrityError as exc:  # the same client raced themselves
        raise AlreadyBooked(f"{client.name} already has a seat in this session.") from exc
    effects.class_booking_booked(booking)
    return booking


@transaction.atomic
def class_booking_cancel(
    *, booking: ClassBooking, reason: str = "", by: str = CancelledBy.STAFF
) -> ClassBooking:
    """Give up a seat; it becomes free for someone else."""
    booking = ClassBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.is_cancelled:
        return booking
    booking.status = BookingStatus.CANCELLED
    booking.cancel_reason = reason.strip()
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = by
    booking.sequence += 1
    booking.save()
    _release_seat(booking.session_id)
    effects.class_booking_cancelled(booking)
    return booking


@transaction.atomic
def class_booking_move(*, booking: ClassBooking, to_session: ClassSession) -> ClassBooking:
    """Move a client's seat to another session of the same class (a reschedule)."""
    booking = ClassBooking.objects.select_for_update().select_related("session").get(pk=booking.pk)
    if booking.is_cancelled:
        raise NotBookable("This booking was cancelled and cannot be moved.", code="cancelled")
    if to_session.offering_id != booking.session.offering_id or to_session.pk == booking.session_id:
        raise NotBookable("Choose another session of the same class.", code="other")
    if to_session.start <= timezone.now() or to_session.is_cancelled:
        raise NotBookable("That session is no longer open for booking.", code="past")
    if ClassBooking.objects.filter(
        session=to_session, client_id=booking.client_id, status=BookingStatus.CONFIRMED
    ).exists():
        raise AlreadyBooked("You already have a seat in that session.", code="duplicate")
    if not _take_seat(to_session.pk):
        raise SessionFull("Sorry, that session is full. Choose another one.", code="full")
    previous_start = booking.session.start
    _release_seat(booking.session_id)
    booking.session = to_session
    booking.location_kind = _location_for(to_session, booking.location_kind)
    booking.sequence += 1
    booking.save()
    effects.class_booking_moved(booking, previous_start=previous_start)
    return booking
