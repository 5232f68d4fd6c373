"""Every change to an online-meeting record. Booking services call the sync functions inside
their own transaction; the reconcile task does the talking to the meeting tool."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Business
from bookings.models import Appointment, BookingStatus, ClassSession, LocationKind, SessionStatus
from meetings.models import MeetingStatus, OnlineMeeting
from meetings.providers import provider_for
from meetings.scheduling import enqueue_now, requeue_after, schedule

# Waiting on staff, not on us: a booking change does not restart these by itself.
NEEDS_STAFF = (MeetingStatus.DELETED_IN_PROVIDER,)


def session_window() -> dt.timedelta:
    """Class-session meetings are created this long before the session (Zoom's daily limit)."""
    return dt.timedelta(days=settings.MEETINGS_SESSION_WINDOW_DAYS)


def _connected(business_id: int, tool: str) -> bool:
    try:
        return provider_for(tool).is_connected(business_id)
    except KeyError:  # a tool nobody implements any more
        return False


def _wants_appointment(appointment: Appointment) -> bool:
    return (
        appointment.status == BookingStatus.CONFIRMED
        and appointment.location_kind == LocationKind.ONLINE
        and bool(appointment.meeting_tool)
    )


def _wants_session(session: ClassSession) -> bool:
    return (
        session.status == SessionStatus.SCHEDULED and session.online and bool(session.meeting_tool)
    )


def _after_change(meeting: OnlineMeeting, *, wanted: bool, due: dt.datetime | None) -> None:
    """A booking changed: decide the record's status now, and queue a reconcile if needed."""
    if meeting.status in NEEDS_STAFF and wanted:
        return
    if not _connected(meeting.business_id, meeting.tool):
        # No call will be made; say so now rather than "preparing" forever.
        status = MeetingStatus.NOT_CONNECTED if wanted else MeetingStatus.CANCELLED
        OnlineMeeting.objects.filter(pk=meeting.pk).update(status=status, next_attempt_at=None)
        return
    if not wanted and meeting.external_id is None and meeting.create_attempted_at is None:
        OnlineMeeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.CANCELLED, next_attempt_at=None
        )
        return
    OnlineMeeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.PENDING, attempts=0, first_failure_at=None, failure_notified_at=None
    )
    schedule(meeting.pk, at=due)


def meeting_sync_for_appointment(
    *, appointment: Appointment, new: bool = False
) -> OnlineMeeting | None:
    """The appointment was booked (`new`: it has no meeting yet, so none is looked up) or
    changed: its meeting follows, in the same transaction."""
    wanted = _wants_appointment(appointment)
    meeting = None if new else OnlineMeeting.objects.filter(appointment=appointment).first()
    if meeting is None:
        return _meeting_for_new_appointment(appointment) if wanted else None
    OnlineMeeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
    meeting.refresh_from_db()
    _after_change(meeting, wanted=wanted, due=None)
    return meeting


def _meeting_for_new_appointment(appointment: Appointment) -> OnlineMeeting:
    """A first meeting for the appointment (booked, or switched to online): one INSERT with
    the status _after_change would give a fresh record, then the task."""
    connected = _connected(appointment.business_id, appointment.meeting_tool)
    meeting = OnlineMeeting.objects.create(
        business_id=appointment.business_id,
        appointment=appointment,
        tool=appointment.meeting_tool,
        status=MeetingStatus.PENDING if connected else MeetingStatus.NOT_CONNECTED,
        # The sweeper's safety net, as schedule() would set it.
        next_attempt_at=timezone.now() + requeue_after() if connected else None,
    )
    if connected:
        enqueue_now(meeting.pk)
    return meeting


def meetings_sync_for_sessions(*, sessions: Iterable[ClassSession]) -> None:
    """Sessions were created, moved or cancelled: their meetings follow.

    Meetings for sessions further ahead than the window are created when the session comes
    within it (the sweeper queues them), so a year of sessions does not spend Zoom's daily
    allowance in one go.
    """
    sessions = list(sessions)
    if not sessions:
        return
    now = timezone.now()
    existing = {m.session_id: m for m in OnlineMeeting.objects.filter(session__in=sessions)}
    new = [
        OnlineMeeting(business_id=s.business_id, session=s, tool=s.meeting_tool)
        for s in sessions
        if s.pk not in existing and _wants_session(s)
    ]
    OnlineMeeting.objects.bulk_create(new)
    if existing:
        OnlineMeeting.objects.filter(pk__in=[m.pk for m in existing.values()]).update(
            version=F("version") + 1
        )
    by_session = {m.session_id: m for m in OnlineMeeting.objects.filter(session__in=sessions)}
    for session in sessions:
        meeting = by_session.get(session.pk)
        if meeting is None:
            continue
        due = session.start - session_window()
        _after_change(meeting, wanted=_wants_session(session), due=due if due > now else None)


def meetings_resume_for_business(*, business: Business) -> int:
    """The tool is connected (again): every future booking still waiting for a meeting gets one."""
    now = timezone.now()
    waiting = (
        OnlineMeeting.objects.filter(business=business, status=MeetingStatus.NOT_CONNECTED)
        .filter(Q(appointment__end__gt=now) | Q(session__end__gt=now))
        .select_related("session")
    )
    count = 0
    for meeting in waiting:
        due = meeting.session.start - session_window() if meeting.session else None
        OnlineMeeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.PENDING)
        schedule(meeting.pk, at=due if due and due > now else None)
        count += 1
    return count


@transaction.atomic
def meeting_retry(*, meeting: OnlineMeeting) -> None:
    """Staff pressed Retry on a failed meeting."""
    OnlineMeeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.PENDING,
        attempts=0,
        first_failure_at=None,
        failure_notified_at=None,
        last_error="",
        version=F("version") + 1,
    )
    schedule(meeting.pk)


@transaction.atomic
def meeting_recreate(*, meeting: OnlineMeeting) -> None:
    """Staff pressed Create new meeting after the meeting was deleted in the tool."""
    OnlineMeeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.PENDING,
        external_id=None,
        join_url="",
        passcode="",
        host_ref="",
        synced_start=None,
        synced_duration=None,
        synced_topic="",
        create_attempted_at=None,
        provider_note="",
        link_notified=False,
        attempts=0,
        first_failure_at=None,
        version=F("version") + 1,
    )
    schedule(meeting.pk)


@transaction.atomic
def meeting_resync(*, meeting: OnlineMeeting) -> None:
    """Staff asked to put the tool back in step with the booking (after a change made there)."""
    OnlineMeeting.objects.filter(pk=meeting.pk).update(
        provider_note="", status=MeetingStatus.PENDING, version=F("version") + 1
    )
    schedule(meeting.pk)


@transaction.atomic
def meeting_deleted_in_provider(*, tool: str, external_id: int) -> OnlineMeeting | None:
    """The tool says the meeting was deleted there. Our own deletes echo back: ignored."""
    meeting = (
        OnlineMeeting.objects.select_for_update()
        .filter(tool=tool, external_id=external_id)
        .exclude(status__in=[MeetingStatus.CANCELLED, MeetingStatus.DELETED_IN_PROVIDER])
        .first()
    )
    if meeting is None:
        return None
    meeting.status = MeetingStatus.DELETED_IN_PROVIDER
    meeting.provider_note = "This meeting was deleted in Zoom. Its link no longer works."
    meeting.next_attempt_at = None
    meeting.save()
    return meeting


@transaction.atomic
def meeting_changed_in_provider(
    *, tool: str, external_id: int, start: dt.datetime | None
) -> OnlineMeeting | None:
    """The tool says the meeting changed there; a different start time is shown to staff."""
    meeting = (
        OnlineMeeting.objects.select_for_update(of=("self",))
        .select_related("appointment", "session")
        .filter(tool=tool, external_id=external_id)
        .first()
    )
    if meeting is None or start is None:
        return None
    booking = meeting.appointment or meeting.session
    # Our own updates echo back with the time we set (or are about to record).
    if booking is None or start in (meeting.synced_start, booking.start):
        return None
    meeting.synced_start = start
    meeting.provider_note = (
        "Changed in Zoom: the meeting there no longer starts when the booking does."
    )
    meeting.save(update_fields=["synced_start", "provider_note", "updated_at"])
    return meeting
