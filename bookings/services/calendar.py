"""The business's single calendar: one writer at a time, and clash detection."""

import datetime as dt

from django.db import connection
from django.db.models import Q
from django.utils import formats, timezone

from accounts.models import Business
from bookings.errors import SlotTaken
from bookings.models import Appointment, BookingStatus, ClassSession, SessionStatus, overlapping


def calendar_lock(business: Business) -> Business:
    """Serialise calendar writes of one business for the rest of the transaction.

    On PostgreSQL this takes a row lock on the business (NO KEY UPDATE, so inserts that
    reference the business are not blocked); SQLite serialises all writers anyway because
    every transaction starts IMMEDIATE (see settings).
    """
    if connection.features.has_select_for_update:
        return Business.objects.select_for_update(no_key=True).get(pk=business.pk)
    return business


def _local_range(start: dt.datetime, end: dt.datetime, zone: object) -> str:
    start_local = timezone.localtime(start, zone)  # type: ignore[arg-type]
    end_local = timezone.localtime(end, zone)  # type: ignore[arg-type]
    day = formats.date_format(start_local, "D j M")
    return f"{day} {start_local:%H:%M}–{end_local:%H:%M}"


def clash_check(
    *,
    business: Business,
    start: dt.datetime,
    blocked_until: dt.datetime,
    ignore_appointment_id: int | None = None,
) -> None:
    """Raise SlotTaken naming the first appointment or class session in [start, blocked_until)."""
    appointments = Appointment.objects.filter(
        overlapping(start, blocked_until, ends="blocked_until"),
        business=business,
        status=BookingStatus.CONFIRMED,
    )
    if ignore_appointment_id is not None:
        appointments = appointments.filter(~Q(pk=ignore_appointment_id))
    clash = appointments.select_related("service", "client").order_by("start").first()
    zone = business.tzinfo
    if clash is not None:
        raise SlotTaken(
            f"That time clashes with {clash.service.name} with {clash.client.name} "
            f"({_local_range(clash.start, clash.end, zone)}). Choose another time.",
            code="clash",
        )
    session = (
        ClassSession.objects.filter(
            overlapping(start, blocked_until), business=business, status=SessionStatus.SCHEDULED
        )
        .select_related("offering")
        .order_by("start")
        .first()
    )
    if session is not None:
        raise SlotTaken(
            f"That time clashes with the class {session.offering.name} "
            f"({_local_range(session.start, session.end, zone)}). Choose another time.",
            code="clash",
        )
