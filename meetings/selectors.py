"""How a booking's online meeting looks to staff and to clients (pages and e-mails)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from meetings.models import MeetingStatus, OnlineMeeting
from meetings.providers import provider_for


@dataclass(frozen=True)
class MeetingInfo:
    meeting_id: int
    tool_label: str
    status: str
    join_url: str
    passcode: str
    last_error: str
    provider_note: str
    synced_start: dt.datetime | None
    waiting_for_window: dt.datetime | None  # a session meeting created later, at this time
    parked_until: dt.datetime | None

    @property
    def ready(self) -> bool:
        return self.status == MeetingStatus.READY and bool(self.join_url)

    @property
    def preparing(self) -> bool:
        return self.status == MeetingStatus.PENDING and self.waiting_for_window is None

    @property
    def live(self) -> bool:
        """Worth re-checking soon: the page polls while this holds."""
        return self.preparing and self.parked_until is None

    @property
    def has_link(self) -> bool:
        """A link exists (ready, or kept as history after the tool was disconnected)."""
        return bool(self.join_url) and self.status not in (
            MeetingStatus.CANCELLED,
            MeetingStatus.DELETED_IN_PROVIDER,
        )


def meeting_info(
    meeting: OnlineMeeting | None, *, start: dt.datetime | None = None
) -> MeetingInfo | None:
    if meeting is None:
        return None
    try:
        label = provider_for(meeting.tool).label
    except KeyError:
        label = meeting.tool.title()
    now = timezone.now()
    later = None
    if meeting.status == MeetingStatus.PENDING and meeting.session_id and start is not None:
        from meetings.services import session_window

        created_at = start - session_window()
        later = created_at if created_at > now and meeting.external_id is None else None
    parked = meeting.parked_until if meeting.parked_until and meeting.parked_until > now else None
    return MeetingInfo(
        meeting_id=meeting.pk,
        tool_label=label,
        status=meeting.status,
        join_url=meeting.join_url,
        passcode=meeting.passcode,
        last_error=meeting.last_error,
        provider_note=meeting.provider_note,
        synced_start=meeting.synced_start,
        waiting_for_window=later,
        parked_until=parked,
    )


def meeting_for_appointment(appointment: object) -> MeetingInfo | None:
    meeting = OnlineMeeting.objects.filter(appointment=appointment).first()
    return meeting_info(meeting)


def meeting_for_session(session: object) -> MeetingInfo | None:
    meeting = OnlineMeeting.objects.filter(session=session).first()
    return meeting_info(meeting, start=getattr(session, "start", None))


def sessions_with_tool_meetings(session_ids: list[int]) -> set[int]:
    """Sessions whose meeting exists, or may exist, in its meeting tool."""
    if not session_ids:
        return set()
    return set(
        OnlineMeeting.objects.filter(session_id__in=session_ids)
        .filter(Q(external_id__isnull=False) | Q(create_attempted_at__isnull=False))
        .values_list("session_id", flat=True)
    )
