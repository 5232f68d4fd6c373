"""Queueing reconciles: now, later, or by the sweeper when the task backend cannot defer."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meetings.models import OnlineMeeting
from meetings.tasks import meeting_reconcile


def requeue_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.MEETINGS_REQUEUE_AFTER_SECONDS)


def schedule(meeting_id: int, at: dt.datetime | None = None) -> None:
    """Reconcile the meeting now, or at `at`.

    `next_attempt_at` is when the sweeper should queue it again if the queued task never
    ran (a worker died holding it): a safety net, so no meeting waits forever.
    """
    now = timezone.now()
    if at is None or at <= now:
        OnlineMeeting.objects.filter(pk=meeting_id).update(next_attempt_at=now + requeue_after())
        enqueue_now(meeting_id)
        return
    if meeting_reconcile.get_backend().supports_defer:
        OnlineMeeting.objects.filter(pk=meeting_id).update(next_attempt_at=at + requeue_after())
        meeting_reconcile.using(run_after=at).enqueue(meeting_id)
        return
    # The backend runs tasks only immediately: the sweeper queues this one when it is due.
    OnlineMeeting.objects.filter(pk=meeting_id).update(next_attempt_at=at)


def enqueue_now(meeting_id: int) -> None:
    """Queue a reconcile for as soon as the current transaction commits."""
    if settings.MEETINGS_PROVISION_INLINE:
        _reconcile_after_commit(meeting_id)
    else:
        meeting_reconcile.enqueue(meeting_id)


def _reconcile_after_commit(meeting_id: int) -> None:
    """The bench's comparison only: call the tool inside the request, after the commit, the
    way Cal.com books (the request waits for Zoom). Never the production setting."""
    from meetings.reconcile import reconcile

    transaction.on_commit(lambda: reconcile(meeting_id))
