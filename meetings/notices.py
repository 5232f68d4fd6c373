"""Who hears about a meeting, and when: the client when a late link is ready, the owners
when a meeting could not be made."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Business
from meetings.models import MeetingStatus, OnlineMeeting
from meetings.tasks import meeting_failure_notice_send, meeting_link_ready_send
from slotwise.mail import absolute_url, send_templated_email


def on_ready(meeting_id: int) -> None:
    """The meeting became ready (called in the settling transaction)."""
    meeting = OnlineMeeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.appointment_id and meeting.confirmation_without_link and not meeting.link_notified:
        meeting.link_notified = True
        meeting.save(update_fields=["link_notified", "updated_at"])
        meeting_link_ready_send.enqueue(meeting_id)


def on_failed(meeting_id: int) -> None:
    """The meeting gave up (called in the failing transaction); owners hear once."""
    meeting = OnlineMeeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.failure_notified_at is None:
        meeting.failure_notified_at = timezone.now()
        meeting.save(update_fields=["failure_notified_at", "updated_at"])
        meeting_failure_notice_send.enqueue(meeting_id)


def confirmation_sent(meeting_id: int, *, with_link: bool) -> None:
    """The client's confirmation went out, with or without the link (from bookings' e-mails).

    Under the same row lock as on_ready: whichever comes second sees the other's mark, so
    a link that became ready meanwhile is always sent once.
    """
    with transaction.atomic():
        meeting = OnlineMeeting.objects.select_for_update().filter(pk=meeting_id).first()
        if meeting is None:
            return
        if with_link or meeting.link_notified:
            meeting.link_notified = True
        elif meeting.status == MeetingStatus.READY and meeting.join_url:
            # Became ready between reading it for the e-mail and now: send the link on.
            meeting.link_notified = True
            meeting_link_ready_send.enqueue(meeting_id)
        else:
            meeting.confirmation_without_link = True
        meeting.save(update_fields=["link_notified", "confirmation_without_link", "updated_at"])


def link_ready_email_send(meeting_id: int) -> None:
    from bookings.booking_view import appointment_view
    from bookings.emails import client_notice_send

    meeting = (
        OnlineMeeting.objects.select_related(
            "appointment__business", "appointment__service", "appointment__client"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.appointment is None:
        return
    appointment = meeting.appointment
    if appointment.is_cancelled or appointment.end <= timezone.now() or not meeting.join_url:
        return
    client_notice_send(view=appointment_view(appointment), kind="link_ready")


def failure_email_send(meeting_id: int) -> None:
    meeting = (
        OnlineMeeting.objects.select_related(
            "business", "appointment__service", "appointment__client", "session__offering"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return
    business: Business = meeting.business
    owners = list(business.owners().filter(is_active=True).values_list("email", flat=True))
    if not owners:
        return
    if meeting.appointment_id:
        what = f"{meeting.appointment.service.name} with {meeting.appointment.client.name}"
        start = meeting.appointment.start
        path = reverse("bookings:appointment-detail", args=[meeting.appointment_id])
    else:
        what = f"{meeting.session.offering.name} (class session)"
        start = meeting.session.start
        path = reverse("bookings:session-detail", args=[meeting.session_id])
    with timezone.override(business.tzinfo):
        send_templated_email(
            to=owners,
            template="meetings/email/meeting_failed",
            context={
                "business": business,
                "what": what,
                "start": start,
                "reason": meeting.last_error,
                "link": absolute_url(path),
            },
        )
