"""The one reconciling step: make the provider match what the booking wants, with one call.

Safe to run twice, late or out of order: it never replays a command, it compares. Only one
reconciler works on a meeting at a time, through a short lease on the row (a transaction
held across the provider call would lock SQLite for every writer for the call's duration).
A create is stamped before it is sent, so when its answer is lost, or the worker dies, the
next attempt looks the meeting up by the marker in its agenda and adopts it instead of
creating a second one.
"""

import datetime as dt
import logging
import random
from enum import Enum
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from meetings import budget
from meetings.errors import (
    ProviderNotConnected,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTemporaryError,
)
from meetings.models import MeetingStatus, OnlineMeeting
from meetings.providers import MeetingProvider, MeetingRequest, ProviderMeeting, provider_for
from meetings.spec import MeetingSpec, Want, marker_text, new_passcode, spec_for

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ROUNDS = 4  # create-then-update after a booking moved mid-call, and a little slack
ZOOM_DELETE_IN_PROGRESS = 3002  # cannot delete a meeting that is live: try after it ends
# Outcomes after which _retry_at has written down a next attempt (parked ones excepted).
RETRY_OUTCOMES = ("retrying", "rate_limited", "again")


class Step(Enum):
    CREATE = "create"
    ADOPT_OR_CREATE = "adopt_or_create"
    UPDATE = "update"
    DELETE = "delete"
    FIND_AND_DELETE = "find_and_delete"


def _seconds(name: str) -> float:
    return float(getattr(settings, name))


def _claim(meeting_id: int, now: dt.datetime) -> bool:
    lease = now + dt.timedelta(seconds=_seconds("MEETINGS_LEASE_SECONDS"))
    return bool(
        OnlineMeeting.objects.filter(pk=meeting_id)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease)
    )


def _load(meeting_id: int) -> OnlineMeeting | None:
    meeting = (
        OnlineMeeting.objects.select_related(
            "business", "appointment__service", "appointment__client", "session__offering"
        )
        .filter(pk=meeting_id)
        .first()
    )
    # The booking's business is the meeting's: joining it twice more cost a third of a
    # reconcile's CPU (Django builds and reads every column of every join).
    booking = meeting and (meeting.appointment or meeting.session)
    if booking is not None:
        booking.business = meeting.business
    return meeting


def reconcile(meeting_id: int) -> str:
    """Bring one meeting in line with its booking; returns what happened, for logs and tests."""
    from meetings.scheduling import schedule

    now = timezone.now()
    if not _claim(meeting_id, now):
        # Someone else holds it. Ask to be looked at again once their lease is over, in
        # case they die before they are done, but never later than a retry already set.
        after_lease = now + dt.timedelta(seconds=_seconds("MEETINGS_LEASE_SECONDS"))
        OnlineMeeting.objects.filter(pk=meeting_id).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__gt=after_lease)
        ).update(next_attempt_at=after_lease)
        return "busy"
    settled_version = None
    try:
        outcome, settled_version = _reconcile_claimed(meeting_id)
    finally:
        OnlineMeeting.objects.filter(pk=meeting_id).update(lease_until=None)
    # A change that landed between our last look and the release gets its own turn.
    if (
        settled_version is not None
        and OnlineMeeting.objects.filter(pk=meeting_id, version__gt=settled_version).exists()
    ):
        schedule(meeting_id)
    elif outcome in RETRY_OUTCOMES:
        _schedule_retry(meeting_id)
    return outcome


def _schedule_retry(meeting_id: int) -> None:
    """Queue the retry _retry_at wrote down. Only now, with the lease released: a retry due
    at once and queued while we held the row would find it busy and wait for the sweeper."""
    from meetings.scheduling import schedule

    when = (
        OnlineMeeting.objects.filter(
            pk=meeting_id, status=MeetingStatus.PENDING, parked_until__isnull=True
        )
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if when is not None:
        schedule(meeting_id, at=when)


def _next_step(meeting: OnlineMeeting, spec: MeetingSpec) -> Step | None:
    if spec.want is Want.EXISTS:
        if meeting.external_id is None:
            return Step.ADOPT_OR_CREATE if meeting.create_attempted_at else Step.CREATE
        in_sync = (
            meeting.synced_start == spec.start
            and meeting.synced_duration == spec.duration
            and meeting.synced_topic == spec.topic
        )
        return None if in_sync else Step.UPDATE
    if spec.want is Want.GONE and meeting.status != MeetingStatus.CANCELLED:
        if meeting.external_id is not None:
            return Step.DELETE
        if meeting.create_attempted_at:
            return Step.FIND_AND_DELETE
    return None


def _reconcile_claimed(meeting_id: int) -> tuple[str, int | None]:
    loaded: OnlineMeeting | None = None
    for _round in range(MAX_ROUNDS):
        # After a call, what we stored is applied to the meeting in hand rather than read
        # back; a booking change meanwhile bumps `version`, which _settle checks.
        meeting = loaded or _load(meeting_id)
        if meeting is None:
            return "gone", None
        loaded = meeting
        if meeting.status in (MeetingStatus.FAILED, MeetingStatus.DELETED_IN_PROVIDER):
            return meeting.status, meeting.version  # waits for staff (Retry / Create new meeting)
        now = timezone.now()
        spec = spec_for(meeting, now)
        step = _next_step(meeting, spec)
        if step is None:
            if _settle(meeting, spec):
                return _settled_outcome(spec), meeting.version
            loaded = None
            continue  # the booking changed while we looked: look again
        provider = provider_for(meeting.tool)
        if not provider.is_connected(meeting.business_id):
            _not_connected(meeting, spec)
            return "not_connected", meeting.version
        paused_until = budget.paused_until(meeting.business_id, meeting.tool, now)
        if paused_until is not None:
            _retry_at(
                meeting, paused_until, "Waiting for Zoom's daily limit to reset.", parked=True
            )
            return "parked", meeting.version
        try:
            changes = _perform(step, meeting, spec, provider, now)
        except ProviderNotConnected:
            _not_connected(meeting, spec)
            return "not_connected", meeting.version
        except ProviderRateLimited as exc:
            _rate_limited(meeting, exc)
            return "rate_limited", meeting.version
        except ProviderTemporaryError as exc:
            return _temporary_failure(meeting, str(exc)), meeting.version
        except ProviderRefused as exc:
            return _refused(meeting, step, exc), meeting.version
        OnlineMeeting.objects.filter(pk=meeting.pk).update(**changes)
        for field, value in changes.items():
            setattr(meeting, field, value)
        logger.info("meeting %s: %s done", meeting.pk, step.value)
    _retry_at(meeting, timezone.now(), "The booking kept changing; trying again.", parked=False)
    return "again", None


def _known(value: "T | None", what: str) -> "T":
    # _next_step only picks a step when its inputs exist; this names the broken invariant.
    if value is None:
        raise RuntimeError(f"reconcile step needs a {what}, and there is none")
    return value


def _request(meeting: OnlineMeeting, spec: MeetingSpec, passcode: str) -> MeetingRequest:
    return MeetingRequest(
        topic=spec.topic,
        start=_known(spec.start, "start"),
        duration=spec.duration,
        timezone=spec.timezone,
        agenda=spec.agenda,
        passcode=passcode,
        waiting_room=spec.waiting_room,
        join_before_host=spec.join_before_host,
        group=spec.group,
    )


def _adopted(found: ProviderMeeting) -> dict[str, Any]:
    return {
        "external_id": found.external_id,
        "join_url": found.join_url,
        "passcode": found.passcode,
        "host_ref": found.host_ref,
        "synced_start": found.start,
        "synced_duration": found.duration,
        "synced_topic": found.topic,
    }


def _perform(
    step: Step,
    meeting: OnlineMeeting,
    spec: MeetingSpec,
    provider: MeetingProvider,
    now: dt.datetime,
) -> dict[str, Any]:
    """Make the one provider call the step needs; return the fields to store."""
    business_id, marker = meeting.business_id, marker_text(meeting)
    if step is Step.ADOPT_OR_CREATE:
        found = provider.find_by_marker(business_id, marker)
        if found is not None:
            logger.info("meeting %s: adopted provider meeting after a lost answer", meeting.pk)
            return _adopted(found)
        step = Step.CREATE
    if step is Step.CREATE:
        # Stamp first: if the answer never arrives, the next attempt knows to look for it.
        OnlineMeeting.objects.filter(pk=meeting.pk).update(create_attempted_at=now)
        meeting.create_attempted_at = now
        budget.charge(business_id, meeting.tool, now)
        try:
            created = provider.create(business_id, _request(meeting, spec, new_passcode()))
        except Exception as exc:
            if getattr(exc, "answered", False):
                # Zoom answered (an error, a 5xx, a 429): it created nothing, so the next
                # attempt can create without listing first. Only a lost answer needs that.
                OnlineMeeting.objects.filter(pk=meeting.pk).update(create_attempted_at=None)
            raise
        return _adopted(created)
    if step is Step.UPDATE:
        external_id = _known(meeting.external_id, "meeting id")
        budget.charge(business_id, meeting.tool, now)
        try:
            provider.update(business_id, external_id, _request(meeting, spec, meeting.passcode))
        except ProviderNotFound:
            # Gone from the provider (deleted there, expired, or hosted by a previous
            # connection's user): the booking still needs a meeting, so make a new one.
            return {
                "external_id": None,
                "join_url": "",
                "passcode": "",
                "create_attempted_at": None,
                "link_notified": False,
                "provider_note": "The earlier meeting could no longer be changed in the meeting "
                "tool; a new one was created.",
            }
        return {
            "synced_start": spec.start,
            "synced_duration": spec.duration,
            "synced_topic": spec.topic,
        }
    if step is Step.FIND_AND_DELETE:
        found = provider.find_by_marker(business_id, marker)
        if found is None:
            return {"create_attempted_at": None}
        meeting.external_id = found.external_id
    budget.charge(business_id, meeting.tool, now)
    provider.delete(business_id, _known(meeting.external_id, "meeting id"))
    # Deleted in the tool: its link is dead, so nothing of it is kept to show.
    return {
        "external_id": None,
        "join_url": "",
        "passcode": "",
        "host_ref": "",
        "synced_start": None,
        "synced_duration": None,
        "synced_topic": "",
        "status": MeetingStatus.CANCELLED,
        "create_attempted_at": None,
        "next_attempt_at": None,
        "last_error": "",
    }


def _settled_outcome(spec: MeetingSpec) -> str:
    return {Want.EXISTS: "ready", Want.GONE: "cancelled", Want.LEAVE: "over"}[spec.want]


def _settle(meeting: OnlineMeeting, spec: MeetingSpec) -> bool:
    """Nothing left to do: record the final state, unless the booking moved meanwhile."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "attempts": 0,
        "first_failure_at": None,
        "next_attempt_at": None,
        "parked_until": None,
        "last_error": "",
    }
    if spec.want is Want.EXISTS:
        fields.update(status=MeetingStatus.READY, ready_at=meeting.ready_at or now)
    elif spec.want is Want.GONE:
        fields.update(status=MeetingStatus.CANCELLED)
    elif meeting.status == MeetingStatus.PENDING:
        if meeting.external_id:
            fields.update(status=MeetingStatus.READY)
        else:
            fields.update(
                status=MeetingStatus.FAILED,
                last_error="The booking ended before its meeting could be created.",
            )
    with transaction.atomic():
        updated = OnlineMeeting.objects.filter(pk=meeting.pk, version=meeting.version).update(
            **fields
        )
        if updated and spec.want is Want.EXISTS:
            from meetings.notices import on_ready

            on_ready(meeting.pk)
    return bool(updated)


def _not_connected(meeting: OnlineMeeting, spec: MeetingSpec) -> None:
    """No calls without a connection: a wanted meeting waits; an unwanted one stays in the
    provider (as the guide promises after Disconnect) and is done with here."""
    if spec.want is Want.GONE:
        OnlineMeeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.CANCELLED,
            next_attempt_at=None,
            provider_note="The meeting tool was not connected, so any meeting already created "
            "was left in it."
            if meeting.external_id
            else "",
        )
        return
    OnlineMeeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.NOT_CONNECTED, next_attempt_at=None, last_error=""
    )


def _retry_at(meeting: OnlineMeeting, when: dt.datetime, reason: str, *, parked: bool) -> None:
    """Write the next attempt down; reconcile() queues it once the lease is released.
    Parked work gets no task of its own: after the reset the sweeper queues it soonest
    booking first, so a tight allowance goes to tomorrow morning before next month."""
    OnlineMeeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.PENDING,
        next_attempt_at=when,
        parked_until=when if parked else None,
        last_error=reason[:500],
    )


def _rate_limited(meeting: OnlineMeeting, exc: ProviderRateLimited) -> None:
    if exc.daily:
        budget.pause(meeting.business_id, meeting.tool, exc.retry_at, timezone.now())
        _retry_at(
            meeting,
            exc.retry_at,
            f"Zoom's daily limit was reached; resuming at {exc.retry_at:%H:%M} UTC.",
            parked=True,
        )
        return
    when = exc.retry_at + dt.timedelta(seconds=random.uniform(0, 1))
    _retry_at(meeting, when, "Zoom asked us to slow down.", parked=False)


def backoff(attempts: int) -> dt.timedelta:
    """Exponential backoff with full jitter, capped."""
    base = _seconds("MEETINGS_RETRY_BASE_SECONDS")
    cap = _seconds("MEETINGS_RETRY_MAX_SECONDS")
    return dt.timedelta(seconds=random.uniform(base / 2, min(cap, base * 2 ** (attempts - 1))))


def _temporary_failure(meeting: OnlineMeeting, reason: str) -> str:
    now = timezone.now()
    first_failure = meeting.first_failure_at or now
    give_up = dt.timedelta(seconds=_seconds("MEETINGS_GIVE_UP_AFTER_SECONDS"))
    OnlineMeeting.objects.filter(pk=meeting.pk).update(
        attempts=F("attempts") + 1, first_failure_at=first_failure
    )
    attempts = meeting.attempts + 1
    if now - first_failure >= give_up:
        _fail(meeting, f"Zoom kept failing for {give_up}: {reason}")
        return "failed"
    _retry_at(
        meeting, now + backoff(attempts), f"Attempt {attempts} failed: {reason}", parked=False
    )
    return "retrying"


def _refused(meeting: OnlineMeeting, step: Step, exc: ProviderRefused) -> str:
    if (
        step in (Step.DELETE, Step.FIND_AND_DELETE)
        and getattr(exc, "code", None) == ZOOM_DELETE_IN_PROGRESS
    ):
        _retry_at(
            meeting,
            timezone.now() + dt.timedelta(minutes=15),
            "The meeting is in progress; it will be deleted once it has ended.",
            parked=False,
        )
        return "retrying"
    _fail(meeting, f"Zoom refused: {exc}")
    return "failed"


def _fail(meeting: OnlineMeeting, reason: str) -> None:
    from meetings.notices import on_failed

    with transaction.atomic():
        OnlineMeeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.FAILED, next_attempt_at=None, last_error=reason[:500]
        )
        on_failed(meeting.pk)
