"""Staff actions on a booking's online meeting, and the live panel that shows it."""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.tenancy import get_for_business
from meetings import services
from meetings.errors import ProviderError
from meetings.models import MeetingStatus, OnlineMeeting
from meetings.providers import provider_for, tool_states
from meetings.selectors import meeting_info

logger = logging.getLogger(__name__)


def _meeting(request: HttpRequest, pk: int) -> OnlineMeeting:
    return get_for_business(
        OnlineMeeting.objects.select_related("appointment", "session"),
        request.business,  # type: ignore[attr-defined]
        pk=pk,
    )


def _booking_url(meeting: OnlineMeeting) -> str:
    if meeting.appointment_id:
        return reverse("bookings:appointment-detail", args=[meeting.appointment_id])
    return reverse("bookings:session-detail", args=[meeting.session_id])


def staff_panel_context(request: HttpRequest, meeting: OnlineMeeting | None) -> dict[str, object]:
    """What the staff meeting panel needs (used by booking pages and by the poll below)."""
    booking = (meeting.appointment or meeting.session) if meeting else None
    info = meeting_info(meeting, start=getattr(booking, "start", None)) if meeting else None
    state = tool_states(request.business).get(meeting.tool) if meeting else None  # type: ignore[attr-defined]
    return {
        "meeting": meeting,
        "info": info,
        "tool_state": state,
        "booking_start": getattr(booking, "start", None),
        "window_days": settings.MEETINGS_SESSION_WINDOW_DAYS,
    }


@require_GET
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the staff meeting panel, polled while the meeting is being prepared."""
    meeting = _meeting(request, pk)
    return render(request, "meetings/_staff_panel.html", staff_panel_context(request, meeting))


@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start meeting: fetch a fresh host start link at click time and go there.

    The start link embeds the host's Zoom access key; it goes straight to this browser in
    a redirect and is never stored, logged or shown anywhere else.
    """
    meeting = _meeting(request, pk)
    if meeting.external_id is None or meeting.status != MeetingStatus.READY:
        messages.error(request, "This meeting cannot be started from here.")
        return redirect(_booking_url(meeting))
    try:
        url = provider_for(meeting.tool).start_url(meeting.business_id, meeting.external_id)
    except ProviderError as exc:
        logger.info("start link for meeting %s failed: %s", meeting.pk, type(exc).__name__)
        messages.error(
            request,
            "Zoom did not give us a start link just now. Try again, or start the meeting in Zoom.",
        )
        return redirect(_booking_url(meeting))
    response = redirect(url)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    services.meeting_retry(meeting=meeting)
    messages.success(request, "Trying again to create the meeting.")
    return redirect(_booking_url(meeting))


@require_POST
def recreate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    services.meeting_recreate(meeting=meeting)
    messages.success(request, "Creating a new meeting; the client's page will show the new link.")
    return redirect(_booking_url(meeting))


@require_POST
def resync(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    services.meeting_resync(meeting=meeting)
    messages.success(request, "Putting the meeting back at the booking's time.")
    return redirect(_booking_url(meeting))
