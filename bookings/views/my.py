"""The client's own booking pages, reached by the secret link in their e-mails (no sign-in)."""

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import timezone_choices
from accounts.models import Business
from bookings.booking_view import BookingView, appointment_view, class_booking_view
from bookings.emails import invite_for
from bookings.models import Appointment, CancelledBy, ClassBooking, ClassSession, SessionStatus
from bookings.public_forms import ClientCancelForm
from bookings.services.appointments import appointment_cancel, appointment_reschedule
from bookings.services.class_bookings import class_booking_cancel, class_booking_move
from bookings.views.public_support import (
    DAYS_PER_PAGE,
    client_zone,
    group_by_local_day,
    may_client_change,
    slots_for_client_days,
)


def _appointment(token: str) -> Appointment:
    appointment = (
        Appointment.objects.select_related("business", "service", "client")
        .filter(token=token)
        .first()
    )
    if appointment is None:
        raise Http404("This booking link is not valid.")
    return appointment


def _class_booking(token: str) -> ClassBooking:
    booking = (
        ClassBooking.objects.select_related("business", "client", "session__offering")
        .filter(token=token)
        .first()
    )
    if booking is None:
        raise Http404("This booking link is not valid.")
    return booking


def _with_tz(path: str, zone_key: str) -> str:
    return f"{path}?tz={zone_key}"


@login_not_required
@never_cache
@require_http_methods(["GET"])
def my_appointment(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    zone = client_zone(request, appointment.client.timezone or appointment.business.timezone)
    return _booking_page(
        request,
        view=appointment_view(appointment, zone),
        business=appointment.business,
        zone=zone,
        urls=_urls("bookings:my-appointment", token),
        labels={
            "title": "Your booking",
            "heading": "Your booking",
            "cancelled": "This booking is cancelled",
            "move": "Choose another time",
            "is_class": False,
        },
    )


def _urls(prefix: str, token: str) -> dict[str, str]:
    return {
        name: reverse(f"{prefix}{suffix}", args=[token])
        for name, suffix in (
            ("invite", "-invite"),
            ("meeting", "-meeting"),
            ("cancel", "-cancel"),
            ("move", "-reschedule" if prefix.endswith("appointment") else "-move"),
        )
    }


def _booking_page(
    request: HttpRequest,
    *,
    view: BookingView,
    business: Business,
    zone: zoneinfo.ZoneInfo,
    urls: dict[str, str],
    labels: dict[str, object],
) -> HttpResponse:
    """The client's page for one booking: details, meeting, and what they may change."""
    can_cancel, cancel_note = may_client_change(business, view.start, what="cancel")
    can_move, move_note = may_client_change(business, view.start, what="reschedule")
    live = not view.cancelled and view.end > timezone.now()
    timezone.activate(zone)
    return render(
        request,
        "bookings/my/booking.html",
        {
            "public_page": True,
            "view": view,
            "business": business,
            "zone": zone,
            "urls": urls,
            "labels": labels,
            "confirmed": request.GET.get("confirmed") == "1",
            "can_cancel": live and can_cancel,
            "can_move": live and can_move,
            "change_note": "" if not live else (cancel_note or move_note),
            "cancel_form": ClientCancelForm(),
            "timezones": timezone_choices(),
        },
    )


def _client_cancel(
    request: HttpRequest,
    *,
    business: Business,
    start: dt.datetime,
    cancelled: bool,
    cancel: Callable[[str], object],
    done: str,
    home: str,
) -> HttpResponse:
    """A client cancels from their link, if the business still allows it."""
    allowed, note = may_client_change(business, start, what="cancel")
    form = ClientCancelForm(request.POST)
    if not allowed:
        messages.error(request, note)
    elif form.is_valid() and not cancelled:
        cancel(form.cleaned_data["reason"])
        messages.success(request, done)
    return redirect(home)


@login_not_required
@never_cache
@require_POST
def my_appointment_cancel(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    zone = client_zone(request, appointment.client.timezone or appointment.business.timezone)
    return _client_cancel(
        request,
        business=appointment.business,
        start=appointment.start,
        cancelled=appointment.is_cancelled,
        cancel=lambda reason: appointment_cancel(
            appointment=appointment, reason=reason, by=CancelledBy.CLIENT
        ),
        done="Your appointment is cancelled. We've e-mailed you a confirmation.",
        home=_with_tz(reverse("bookings:my-appointment", args=[token]), zone.key),
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_appointment_reschedule(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    business = appointment.business
    zone = client_zone(request, appointment.client.timezone or business.timezone)
    home = _with_tz(reverse("bookings:my-appointment", args=[token]), zone.key)
    allowed, note = may_client_change(business, appointment.start, what="reschedule")
    if not allowed or appointment.is_cancelled:
        messages.error(request, note or "This appointment was cancelled.")
        return redirect(home)
    error = ""
    if request.method == "POST":
        try:
            start = dt.datetime.fromisoformat(request.POST.get("start", ""))
            if start.tzinfo is None:
                raise ValueError
            appointment_reschedule(appointment=appointment, start=start, by_client=True)
        except ValueError:
            error = "Pick one of the times below."
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, "Your appointment has moved. We've e-mailed you the new details."
            )
            return redirect(home)
    today = timezone.now().astimezone(zone).date()
    try:
        first_day = max(dt.date.fromisoformat(request.GET.get("from", "")), today)
    except ValueError:
        first_day = today
    slots = [
        slot
        for slot in slots_for_client_days(appointment.service, first_day, DAYS_PER_PAGE, zone)
        if slot != appointment.start
    ]
    timezone.activate(zone)
    return render(
        request,
        "bookings/my/appointment_reschedule.html",
        {
            "public_page": True,
            "appointment": appointment,
            "business": business,
            "zone": zone,
            "days": group_by_local_day(slots, zone),
            "error": error,
            "first_day": first_day,
            "next": first_day + dt.timedelta(days=DAYS_PER_PAGE),
            "previous": first_day - dt.timedelta(days=DAYS_PER_PAGE) if first_day > today else None,
        },
    )


@login_not_required
@never_cache
def my_appointment_invite(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _appointment(token)
    return _ics_response(invite_for(appointment_view(appointment)), appointment.reference)


@login_not_required
@never_cache
@require_http_methods(["GET"])
def my_class_booking(request: HttpRequest, token: str) -> HttpResponse:
    booking = _class_booking(token)
    zone = client_zone(request, booking.client.timezone or booking.business.timezone)
    return _booking_page(
        request,
        view=class_booking_view(booking, zone),
        business=booking.business,
        zone=zone,
        urls=_urls("bookings:my-class-booking", token),
        labels={
            "title": "Your class booking",
            "heading": "Your seat",
            "cancelled": "This session was cancelled"
            if booking.session.is_cancelled
            else "This booking is cancelled",
            "move": "Switch to another session",
            "is_class": True,
        },
    )


@login_not_required
@never_cache
@require_POST
def my_class_booking_cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = _class_booking(token)
    zone = client_zone(request, booking.client.timezone or booking.business.timezone)
    return _client_cancel(
        request,
        business=booking.business,
        start=booking.session.start,
        cancelled=booking.is_cancelled,
        cancel=lambda reason: class_booking_cancel(
            booking=booking, reason=reason, by=CancelledBy.CLIENT
        ),
        done="Your seat is cancelled. We've e-mailed you a confirmation.",
        home=_with_tz(reverse("bookings:my-class-booking", args=[token]), zone.key),
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_class_booking_move(request: HttpRequest, token: str) -> HttpResponse:
    booking = _class_booking(token)
    business = booking.business
    zone = client_zone(request, booking.client.timezone or business.timezone)
    home = _with_tz(reverse("bookings:my-class-booking", args=[token]), zone.key)
    allowed, note = may_client_change(business, booking.session.start, what="reschedule")
    if not allowed or booking.is_cancelled:
        messages.error(request, note or "This booking was cancelled.")
        return redirect(home)
    error = ""
    if request.method == "POST":
        target = (
            ClassSession.objects.filter(
                business=business,
                offering=booking.session.offering,
                uid=request.POST.get("session", ""),
            ).first()
            if _is_uuid(request.POST.get("session", ""))
            else None
        )
        if target is None:
            error = "Choose one of the sessions below."
        else:
            try:
                class_booking_move(booking=booking, to_session=target)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request, "Your seat has moved. We've e-mailed you the new details."
                )
                return redirect(home)
    now = timezone.now()
    sessions = (
        ClassSession.objects.filter(
            business=business,
            offering=booking.session.offering,
            status=SessionStatus.SCHEDULED,
            start__gt=now,
            start__lte=now + dt.timedelta(days=business.booking_window_days),
            booked_count__lt=F("capacity"),
        )
        .exclude(pk=booking.session_id)
        .order_by("start")[:30]
    )
    timezone.activate(zone)
    return render(
        request,
        "bookings/my/class_booking_move.html",
        {
            "public_page": True,
            "booking": booking,
            "business": business,
            "zone": zone,
            "sessions": sessions,
            "error": error,
        },
    )


@login_not_required
@never_cache
def my_class_booking_invite(request: HttpRequest, token: str) -> HttpResponse:
    booking = _class_booking(token)
    return _ics_response(invite_for(class_booking_view(booking)), booking.reference)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _ics_response(content: bytes, reference: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{reference}.ics"'
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@never_cache
@require_http_methods(["GET"])
def my_appointment_meeting(request: HttpRequest, token: str) -> HttpResponse:
    """htmx: the client's meeting panel, polled until the link is ready."""
    appointment = _appointment(token)
    info = appointment_view(appointment).meeting
    return render(
        request,
        "meetings/_client_panel.html",
        {"info": info, "poll_url": request.path, "is_class": False},
    )


@login_not_required
@never_cache
@require_http_methods(["GET"])
def my_class_booking_meeting(request: HttpRequest, token: str) -> HttpResponse:
    """htmx: the client's meeting panel for their class session, polled until ready."""
    booking = _class_booking(token)
    info = class_booking_view(booking).meeting
    return render(
        request,
        "meetings/_client_panel.html",
        {"info": info, "poll_url": request.path, "is_class": True},
    )
