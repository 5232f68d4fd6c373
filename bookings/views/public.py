"""The public booking page of a business: /b/<slug>/ (no sign-in)."""

import datetime as dt
import zoneinfo

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.forms import timezone_choices
from accounts.models import Business
from bookings.models import ClassSession, Client, SessionStatus
from bookings.public_forms import PublicDetailsForm
from bookings.services.appointments import appointment_create
from bookings.services.class_bookings import class_booking_create
from bookings.services.clients import client_find_or_create
from bookings.views.public_support import (
    DAYS_PER_PAGE,
    client_zone,
    group_by_local_day,
    slots_for_client_days,
)
from catalog.models import Service
from slotwise.forms_util import add_service_errors


def _business(slug: str) -> Business:
    return get_object_or_404(Business, slug=slug)


def _service(business: Business, public_id: str) -> Service:
    try:
        return Service.objects.select_related("business").get(
            business=business, public_id=public_id, is_archived=False, bookable_online=True
        )
    except (Service.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No such service.") from exc


def _upcoming_sessions(business: Business, limit: int = 30) -> list[ClassSession]:
    now = timezone.now()
    horizon = now + dt.timedelta(days=business.booking_window_days)
    return list(
        ClassSession.objects.filter(
            business=business,
            status=SessionStatus.SCHEDULED,
            offering__is_archived=False,
            start__gt=now,
            start__lte=horizon,
            booked_count__lt=F("capacity"),
        )
        .select_related("offering")
        .order_by("start")[:limit]
    )


def _client(business: Business, data: dict, zone: zoneinfo.ZoneInfo) -> Client:
    """The business's client with the e-mail given on the form (added if new)."""
    return client_find_or_create(
        business=business,
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        timezone=zone.key,
    )


@login_not_required
def public_home(request: HttpRequest, slug: str) -> HttpResponse:
    business = _business(slug)
    zone = client_zone(request, business.timezone)
    services = Service.objects.filter(business=business, is_archived=False, bookable_online=True)
    sessions = _upcoming_sessions(business)
    timezone.activate(zone)
    return render(
        request,
        "bookings/public/home.html",
        {
            "public_page": True,
            "business": business,
            "services": services,
            "sessions": sessions,
            "zone": zone,
            "timezones": timezone_choices(),
        },
    )


@login_not_required
def public_service(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    business = _business(slug)
    service = _service(business, public_id)
    zone = client_zone(request, business.timezone)
    today = timezone.now().astimezone(zone).date()
    try:
        first_day = max(dt.date.fromisoformat(request.GET.get("from", "")), today)
    except ValueError:
        first_day = today
    slots = slots_for_client_days(service, first_day, DAYS_PER_PAGE, zone)
    last_bookable = today + dt.timedelta(days=business.booking_window_days)
    timezone.activate(zone)
    return render(
        request,
        "bookings/public/service.html",
        {
            "public_page": True,
            "business": business,
            "service": service,
            "zone": zone,
            "days": group_by_local_day(slots, zone),
            "first_day": first_day,
            "last_day": first_day + dt.timedelta(days=DAYS_PER_PAGE - 1),
            "previous": first_day - dt.timedelta(days=DAYS_PER_PAGE) if first_day > today else None,
            "next": first_day + dt.timedelta(days=DAYS_PER_PAGE)
            if first_day + dt.timedelta(days=DAYS_PER_PAGE) <= last_bookable
            else None,
            "timezones": timezone_choices(),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def public_book_service(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    business = _business(slug)
    service = _service(business, public_id)
    zone = client_zone(request, business.timezone)
    try:
        # A "+" in an unencoded query string arrives as a space.
        raw = (
            request.POST.get("start_instead")
            or request.POST.get("start")
            or request.GET.get("start")
            or ""
        ).replace(" ", "+")
        start = dt.datetime.fromisoformat(raw)
        if start.tzinfo is None:
            raise ValueError
    except ValueError:
        return redirect(reverse("bookings:public-service", args=[slug, service.public_id]))
    form = PublicDetailsForm(request.POST or None, both_locations=service.offers_both)
    alternatives: list = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = _client(business, data, zone)
            appointment = appointment_create(
                business=business,
                service=service,
                client=client,
                start=start,
                location_kind=data.get("location_kind")
                or ("online" if service.online else "in_person"),
                by_client=True,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            local_day = start.astimezone(zone).date()
            alternatives = slots_for_client_days(service, local_day, 2, zone)[:12]
        else:
            return redirect(
                reverse("bookings:my-appointment", args=[appointment.token])
                + f"?confirmed=1&tz={zone.key}"
            )
    timezone.activate(zone)
    return render(
        request,
        "bookings/public/book_service.html",
        {
            "public_page": True,
            "business": business,
            "service": service,
            "zone": zone,
            "start": start.astimezone(zone),
            "end": (start + dt.timedelta(minutes=service.duration_minutes)).astimezone(zone),
            "form": form,
            "alternatives": [slot.astimezone(zone) for slot in alternatives],
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def public_book_session(request: HttpRequest, slug: str, session_uid: str) -> HttpResponse:
    business = _business(slug)
    try:
        session = ClassSession.objects.select_related("offering").get(
            business=business, uid=session_uid, offering__is_archived=False
        )
    except (ClassSession.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No such class session.") from exc
    zone = client_zone(request, business.timezone)
    form = PublicDetailsForm(
        request.POST or None, both_locations=session.in_person and session.online
    )
    open_for_booking = session.status == SessionStatus.SCHEDULED and session.start > timezone.now()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = _client(business, data, zone)
            booking = class_booking_create(
                session=session,
                client=client,
                location_kind=data.get("location_kind") or "",
                by_client=True,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            session.refresh_from_db()
        else:
            return redirect(
                reverse("bookings:my-class-booking", args=[booking.token])
                + f"?confirmed=1&tz={zone.key}"
            )
    timezone.activate(zone)
    return render(
        request,
        "bookings/public/book_session.html",
        {
            "public_page": True,
            "business": business,
            "session": session,
            "zone": zone,
            "form": form,
            "open_for_booking": open_for_booking,
            "other_sessions": [
                s
                for s in _upcoming_sessions(business, limit=60)
                if s.offering_id == session.offering_id and s.pk != session.pk
            ][:5],
        },
    )
