from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.tenancy import get_for_business
from bookings.forms import AppointmentForm, CancelForm, RescheduleForm
from bookings.models import LONGEST_BOOKING, Appointment, BookingStatus, CancelledBy, Client
from bookings.services.appointments import (
    appointment_cancel,
    appointment_create,
    appointment_reschedule,
)
from bookings.services.clients import client_find_or_create
from bookings.timeutils import make_aware_local
from meetings.views import staff_panel_context
from slotwise.forms_util import add_service_errors
from slotwise.pagination import paginate

FILTERS = {
    "upcoming": "Upcoming",
    "past": "Past",
    "cancelled": "Cancelled",
}


def appointment_list(request: HttpRequest) -> HttpResponse:
    which = request.GET.get("show", "upcoming")
    if which not in FILTERS:
        which = "upcoming"
    now = timezone.now()
    appointments = Appointment.objects.filter(business=request.business).select_related(  # type: ignore[attr-defined]
        "service", "client"
    )
    # The bounds on start follow from those on end; they let the start index find the page.
    if which == "upcoming":
        appointments = appointments.filter(
            status=BookingStatus.CONFIRMED, end__gte=now, start__gt=now - LONGEST_BOOKING
        ).order_by("start", "pk")
    elif which == "past":
        appointments = appointments.filter(
            status=BookingStatus.CONFIRMED, end__lt=now, start__lt=now
        ).order_by("-start", "-pk")
    else:
        appointments = appointments.filter(status=BookingStatus.CANCELLED).order_by("-start", "-pk")
    page = paginate(request, appointments)
    return render(
        request,
        "bookings/appointment_list.html",
        {"page": page, "which": which, "filters": FILTERS, "query_prefix": f"show={which}&"},
    )


@require_http_methods(["GET", "POST"])
def appointment_new(request: HttpRequest) -> HttpResponse:
    business = request.business  # type: ignore[attr-defined]
    initial = {}
    if client_id := request.GET.get("client"):
        client = get_for_business(Client, business, pk=client_id)
        initial = {"client_email": client.email, "client_name": client.name}
    form = AppointmentForm(request.POST or None, business=business, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = make_aware_local(data["date"], data["time"], business.tzinfo)
        try:
            client = client_find_or_create(
                business=business,
                name=data["client_name"],
                email=data["client_email"],
                phone=data["client_phone"],
            )
            appointment = appointment_create(
                business=business,
                service=data["service"],
                client=client,
                start=start,
                location_kind=data["location_kind"],
                booked_by=request.user,  # type: ignore[arg-type]
                notes=data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Booked {appointment.service.name} with {client.name}.")
            return redirect("bookings:appointment-detail", pk=appointment.pk)
    return render(request, "bookings/appointment_form.html", {"form": form})


def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_for_business(
        Appointment.objects.select_related("service", "client", "online_meeting"),
        request.business,
        pk=pk,  # type: ignore[attr-defined]
    )
    meeting = getattr(appointment, "online_meeting", None)
    return render(
        request,
        "bookings/appointment_detail.html",
        {"appointment": appointment, **staff_panel_context(request, meeting)},
    )


@require_http_methods(["GET", "POST"])
def appointment_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    business = request.business  # type: ignore[attr-defined]
    appointment = get_for_business(
        Appointment.objects.select_related("service", "client"), business, pk=pk
    )
    if appointment.is_cancelled:
        messages.error(request, "This appointment was cancelled and cannot be changed.")
        return redirect("bookings:appointment-detail", pk=pk)
    local = timezone.localtime(appointment.start, business.tzinfo)
    form = RescheduleForm(
        request.POST or None,
        service=appointment.service,
        initial={
            "date": local.date(),
            "time": local.time(),
            "location_kind": appointment.location_kind,
        },
    )
    if request.method == "POST" and form.is_valid():
        start = make_aware_local(
            form.cleaned_data["date"], form.cleaned_data["time"], business.tzinfo
        )
        try:
            appointment_reschedule(
                appointment=appointment,
                start=start,
                location_kind=form.cleaned_data["location_kind"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "Appointment changed; the client has been sent the new details."
            )
            return redirect("bookings:appointment-detail", pk=pk)
    return render(
        request, "bookings/appointment_reschedule.html", {"appointment": appointment, "form": form}
    )


@require_http_methods(["GET", "POST"])
def appointment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_for_business(
        Appointment.objects.select_related("service", "client"),
        request.business,
        pk=pk,  # type: ignore[attr-defined]
    )
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        appointment_cancel(
            appointment=appointment, reason=form.cleaned_data["reason"], by=CancelledBy.STAFF
        )
        messages.success(request, "Appointment cancelled; the client has been told.")
        return redirect("bookings:appointment-detail", pk=pk)
    return render(
        request, "bookings/appointment_cancel.html", {"appointment": appointment, "form": form}
    )
