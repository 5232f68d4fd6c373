"""Class sessions: generated from a schedule, kept in step when it changes, cancelled."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bookings import effects
from bookings.errors import NotBookable
from bookings.models import BookingStatus, CancelledBy, ClassBooking, ClassSession, SessionStatus
from bookings.timeutils import make_aware_local
from catalog.models import ClassSchedule
from catalog.recurrence import occurrence_dates
from meetings.selectors import sessions_with_tool_meetings


@dataclass
class SessionPlan:
    """What saving a schedule will do to its future sessions."""

    create: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    move: list[tuple[ClassSession, dt.datetime, dt.datetime]] = field(default_factory=list)
    relocate: list[ClassSession] = field(default_factory=list)
    delete: list[ClassSession] = field(default_factory=list)
    keep_booked: list[ClassSession] = field(default_factory=list)
    unchanged: int = 0

    @property
    def moved_with_bookings(self) -> list[ClassSession]:
        return [s for s, _start, _end in self.move if s.booked_count] + [
            s for s in self.relocate if s.booked_count
        ]

    @property
    def clients_told(self) -> int:
        return sum(s.booked_count for s in self.moved_with_bookings)

    @property
    def changes_anything(self) -> bool:
        return bool(self.create or self.move or self.relocate or self.delete)


def _location_differs(session: ClassSession, schedule: ClassSchedule) -> bool:
    return (
        session.in_person != schedule.in_person
        or session.online != schedule.online
        or session.meeting_tool != schedule.meeting_tool
        or (schedule.in_person and session.address != schedule.address)
    )


def class_sessions_plan(*, schedule: ClassSchedule, now: dt.datetime | None = None) -> SessionPlan:
    """Compare the sessions the rule wants from now on with the schedule's future sessions.

    Past sessions are never touched. A future session on a date the rule still produces is
    moved to the rule's time (same session, same roster); one on a date it no longer
    produces is deleted when empty and kept as it is when it has bookings.
    """
    now = now or timezone.now()
    zone = schedule.business.tzinfo
    duration = dt.timedelta(minutes=schedule.offering.duration_minutes)
    wanted: dict[dt.date, dt.datetime] = {}
    for day in occurrence_dates(schedule.rule):
        start = make_aware_local(day, schedule.start_time, zone)
        if start >= now:
            wanted[day] = start
    existing: dict[dt.date, ClassSession] = {}
    plan = SessionPlan()
    if schedule.pk:
        for session in ClassSession.objects.filter(
            schedule=schedule, status=SessionStatus.SCHEDULED, start__gte=now
        ).order_by("start"):
            day = timezone.localtime(session.start, zone).date()
            if day in existing:  # two sessions on one day (an edited time); keep the first
                plan.keep_booked.append(session) if session.booked_count else plan.delete.append(
                    session
                )
                continue
            existing[day] = session
    for day, start in sorted(wanted.items()):
        session = existing.pop(day, None)
        end = start + duration
        if session is None:
            plan.create.append((start, end))
        elif session.start != start or session.end != end:
            plan.move.append((session, start, end))
        elif _location_differs(session, schedule):
            plan.relocate.append(session)
        else:
            plan.unchanged += 1
    for session in existing.values():
        (plan.keep_booked if session.booked_count else plan.delete).append(session)
    return plan


def _apply_location(session: ClassSession, schedule: ClassSchedule) -> None:
    session.in_person = schedule.in_person
    session.address = schedule.address if schedule.in_person else ""
    session.online = schedule.online
    session.meeting_tool = schedule.meeting_tool if schedule.online else ""


def _bump_and_collect(session: ClassSession) -> list[int]:
    bookings = ClassBooking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
    ids = list(bookings.values_list("pk", flat=True))
    bookings.update(sequence=F("sequence") + 1)
    return ids


@transaction.atomic
def class_sessions_sync(*, schedule: ClassSchedule, now: dt.datetime | None = None) -> SessionPlan:
    """Make the schedule's future sessions match it; clients in moved sessions are told."""
    offering = schedule.offering
    plan = class_sessions_plan(schedule=schedule, now=now)
    # A session whose meeting may already exist in a meeting tool is cancelled rather than
    # deleted, so its meeting is deleted there too instead of being left orphaned.
    in_tool = sessions_with_tool_meetings([s.pk for s in plan.delete])
    retired = []
    for session in plan.delete:
        if session.pk in in_tool:
            session.status = SessionStatus.CANCELLED
            session.cancel_reason = "Removed from the schedule"
            session.cancelled_at = timezone.now()
            session.save()
            retired.append(session)
        else:
            session.delete()
    new_sessions = []
    for start, end in plan.create:
        session = ClassSession(
            business=schedule.business,
            offering=offering,
            schedule=schedule,
            start=start,
            end=end,
            capacity=offering.capacity,
        )
        _apply_location(session, schedule)
        new_sessions.append(session)
    ClassSession.objects.bulk_create(new_sessions)
    for session, start, end in plan.move:
        previous_start = session.start
        session.start, session.end = start, end
        _apply_location(session, schedule)
        session.sequence += 1
        session.reminder_sent_at = None
        session.save()
        effects.class_session_changed(_bump_and_collect(session), previous_start=previous_start)
    for session in plan.relocate:
        _apply_location(session, schedule)
        session.sequence += 1
        session.save()
        effects.class_session_changed(_bump_and_collect(session), previous_start=session.start)
    effects.class_sessions_changed(
        [*new_sessions, *(s for s, _start, _end in plan.move), *plan.relocate, *retired]
    )
    return plan


@transaction.atomic
def class_session_capacity_set(
    *, offering_id: int, capacity: int, now: dt.datetime | None = None
) -> int:
    """Give future sessions a new capacity, never below the seats already taken."""
    now = now or timezone.now()
    sessions = ClassSession.objects.select_for_update().filter(
        offering_id=offering_id, status=SessionStatus.SCHEDULED, start__gte=now
    )
    changed = 0
    for session in sessions:
        new_capacity = max(capacity, session.booked_count)
        if new_capacity != session.capacity:
            session.capacity = new_capacity
            session.save(update_fields=["capacity", "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def class_session_cancel(*, session: ClassSession, reason: str = "") -> ClassSession:
    """Cancel a session and every seat in it; each client is told."""
    session = ClassSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        return session
    if session.end <= timezone.now():
        raise NotBookable("This session is over and can no longer be cancelled.", code="past")
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save()
    seats = ClassBooking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
    ids = list(seats.values_list("pk", flat=True))
    seats.update(
        status=BookingStatus.CANCELLED,
        cancel_reason=session.cancel_reason,
        cancelled_at=session.cancelled_at,
        cancelled_by=CancelledBy.STAFF,
        sequence=F("sequence") + 1,
    )
    effects.class_sessions_changed([session])
    effects.class_session_cancelled(ids)
    return session
