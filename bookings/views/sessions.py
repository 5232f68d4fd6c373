from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.tenancy import get_for_business
from bookings.forms import CancelForm, SessionAddClientForm
from bookings.models import BookingStatus, CancelledBy, ClassBooking, ClassSession, SessionStatus
from bookings.services.class_bookings import class_booking_cancel, class_booking_create
from bookings.services.class_sessions import class_session_cancel
from bookings.services.clients import client_find_or_create
from meetings.views import staff_panel_context
from slotwise.forms_util import add_service_errors
from slotwise.pagination import paginate


def session_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("show") == "past"
    now = timezone.now()
    sessions = ClassSession.objects.filter(business=request.business).select_related("offering")  # type: ignore[attr-defined]
    if past:
        sessions = sessions.filter(start__lt=now).order_by("-start", "-pk")
    else:
        sessions = sessions.filter(start__gte=now).order_by("start", "pk")
    page = paginate(request, sessions)
    return render(
        request,
        "bookings/session_list.html",
        {"page": page, "past": past, "query_prefix": "show=past&" if past else ""},
    )


def _session(request: HttpRequest, pk: int) -> ClassSession:
    return get_for_business(
        ClassSession.objects.select_related("offering", "schedule", "online_meeting"),
        request.business,
        pk=pk,  # type: ignore[attr-defined]
    )


@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The roster, and adding a client to it."""
    session = _session(request, pk)
    business = request.business  # type: ignore[attr-defined]
    form = SessionAddClientForm(request.POST or None, business=business)
    hybrid = session.in_person and session.online
    if not hybrid:
        del form.fields["location_kind"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = client_find_or_create(
                business=business,
                name=data["client_name"],
                email=data["client_email"],
                phone=data["client_phone"],
            )
            class_booking_create(
                session=session,
                client=client,
                location_kind=data.get("location_kind", ""),
                booked_by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{client.name} has a seat.")
            return redirect("bookings:session-detail", pk=pk)
    roster = (
        ClassBooking.objects.filter(session=session)
        .select_related("client")
        .order_by("status", "created_at", "pk")
    )
    return render(
        request,
        "bookings/session_detail.html",
        {
            "session": session,
            "roster": roster,
            "form": form,
            "hybrid": hybrid,
            "can_book": session.status == SessionStatus.SCHEDULED
            and session.start > timezone.now(),
            **staff_panel_context(request, getattr(session, "online_meeting", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def session_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            class_session_cancel(session=session, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Session cancelled; every client with a seat has been told.")
            return redirect("bookings:session-detail", pk=pk)
    return render(request, "bookings/session_cancel.html", {"session": session, "form": form})


@require_http_methods(["GET", "POST"])
def class_booking_cancel_view(request: HttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    session = _session(request, pk)
    booking = get_for_business(
        ClassBooking.objects.select_related("client"),
        request.business,  # type: ignore[attr-defined]
        pk=booking_pk,
        session=session,
    )
    form = CancelForm(request.POST or None)
    if booking.status != BookingStatus.CONFIRMED:
        return redirect("bookings:session-detail", pk=pk)
    if request.method == "POST" and form.is_valid():
        class_booking_cancel(
            booking=booking, reason=form.cleaned_data["reason"], by=CancelledBy.STAFF
        )
        messages.success(
            request, f"{booking.client.name}'s seat is cancelled; they have been told."
        )
        return redirect("bookings:session-detail", pk=pk)
    return render(
        request,
        "bookings/class_booking_cancel.html",
        {"session": session, "booking": booking, "form": form},
    )
