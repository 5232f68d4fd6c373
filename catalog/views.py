import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.tenancy import get_for_business
from bookings.models import ClassSession, SessionStatus
from bookings.services.class_sessions import class_sessions_plan
from catalog import services
from catalog.forms import ClassOfferingForm, ClassScheduleForm, ServiceForm
from catalog.models import ClassOffering, ClassSchedule, Service
from meetings.providers import tool_states
from slotwise.drafts import draft_take, initial_from
from slotwise.forms_util import add_service_errors


def _tools_in_use(business: "object", tools: set[str]) -> list:
    states = tool_states(business)
    return [states[tool] for tool in sorted(tools) if tool in states]


def _restored(request: HttpRequest, form: "object") -> bool:
    """Fill an unbound editor from a draft parked before a trip to connect a meeting tool."""
    draft_id = request.GET.get("draft")
    if request.method != "GET" or not draft_id:
        return False
    data = draft_take(request, draft_id)
    if data is None:
        messages.warning(
            request, "Your unsaved changes could not be restored (they expire after an hour)."
        )
        return False
    initial = initial_from(form, data)  # type: ignore[arg-type]
    if initial.get("meeting_tool"):
        initial["online"] = True
    form.initial.update(initial)  # type: ignore[attr-defined]
    messages.info(request, "Your unsaved changes are back. Check them and save to finish.")
    return True


def _editor_context(request: HttpRequest, **context: object) -> dict[str, object]:
    return {
        "tool_states": tool_states(request.business),  # type: ignore[attr-defined]
        "window_days": settings.MEETINGS_SESSION_WINDOW_DAYS,
        **context,
    }


def service_list(request: HttpRequest) -> HttpResponse:
    show_archived = request.GET.get("archived") == "1"
    services_qs = Service.objects.filter(business=request.business, is_archived=show_archived)  # type: ignore[attr-defined]
    tools = set(
        Service.objects.filter(business=request.business, is_archived=False, online=True)  # type: ignore[attr-defined]
        .values_list("meeting_tool", flat=True)
        .distinct()
    )
    return render(
        request,
        "catalog/service_list.html",
        {
            "services": services_qs,
            "show_archived": show_archived,
            "tools_in_use": _tools_in_use(request.business, tools),  # type: ignore[attr-defined]
        },
    )


@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None, initial={"online": False})
    _restored(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(business=request.business, **form.cleaned_data)  # type: ignore[attr-defined]
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Service “{service.name}” added.")
            return redirect("catalog:service-list")
    return render(
        request, "catalog/service_form.html", _editor_context(request, form=form, service=None)
    )


@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_for_business(Service, request.business, pk=pk)  # type: ignore[attr-defined]
    form = ServiceForm(request.POST or None, instance=service)
    _restored(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(service=service, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Service “{service.name}” saved.")
            return redirect("catalog:service-list")
    return render(
        request, "catalog/service_form.html", _editor_context(request, form=form, service=service)
    )


@require_POST
def service_archive(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_for_business(Service, request.business, pk=pk)  # type: ignore[attr-defined]
    archive = request.POST.get("archived", "1") == "1"
    services.service_set_archived(service=service, archived=archive)
    if archive:
        messages.success(
            request,
            f"“{service.name}” is archived: it can no longer be booked. "
            "Existing appointments stay.",
        )
    else:
        messages.success(request, f"“{service.name}” is bookable again.")
    return redirect("catalog:service-list")


def class_list(request: HttpRequest) -> HttpResponse:
    show_archived = request.GET.get("archived") == "1"
    now = timezone.now()
    classes = (
        ClassOffering.objects.filter(business=request.business, is_archived=show_archived)  # type: ignore[attr-defined]
        .annotate(
            upcoming=Count(
                "sessions",
                filter=Q(sessions__start__gte=now, sessions__status=SessionStatus.SCHEDULED),
            ),
            next_start=Min(
                "sessions__start",
                filter=Q(sessions__start__gte=now, sessions__status=SessionStatus.SCHEDULED),
            ),
        )
        .order_by("name", "pk")
    )
    return render(
        request, "catalog/class_list.html", {"classes": classes, "show_archived": show_archived}
    )


@require_http_methods(["GET", "POST"])
def class_create(request: HttpRequest) -> HttpResponse:
    form = ClassOfferingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        offering = services.class_create(business=request.business, **form.cleaned_data)  # type: ignore[attr-defined]
        messages.success(request, f"Class “{offering.name}” added. Now set its schedule.")
        return redirect("catalog:schedule-create", pk=offering.pk)
    return render(request, "catalog/class_form.html", {"form": form, "offering": None})


@require_http_methods(["GET", "POST"])
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offering = get_for_business(ClassOffering, request.business, pk=pk)  # type: ignore[attr-defined]
    form = ClassOfferingForm(request.POST or None, instance=offering)
    if request.method == "POST" and form.is_valid():
        services.class_update(offering=offering, **form.cleaned_data)
        messages.success(request, f"Class “{offering.name}” saved.")
        return redirect("catalog:class-detail", pk=offering.pk)
    return render(request, "catalog/class_form.html", {"form": form, "offering": offering})


def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offering = get_for_business(ClassOffering, request.business, pk=pk)  # type: ignore[attr-defined]
    schedules = list(offering.schedules.all())
    tools = {s.meeting_tool for s in schedules if s.online and s.meeting_tool}
    sessions = ClassSession.objects.filter(offering=offering, start__gte=timezone.now()).order_by(
        "start"
    )[:20]
    return render(
        request,
        "catalog/class_detail.html",
        {
            "offering": offering,
            "schedules": schedules,
            "sessions": sessions,
            "tools_in_use": _tools_in_use(request.business, tools),  # type: ignore[attr-defined]
            "window_days": settings.MEETINGS_SESSION_WINDOW_DAYS,
        },
    )


@require_POST
def class_archive(request: HttpRequest, pk: int) -> HttpResponse:
    offering = get_for_business(ClassOffering, request.business, pk=pk)  # type: ignore[attr-defined]
    archive = request.POST.get("archived", "1") == "1"
    services.class_set_archived(offering=offering, archived=archive)
    messages.success(
        request,
        f"“{offering.name}” is archived: it leaves your booking page; booked sessions still happen."
        if archive
        else f"“{offering.name}” is back on your booking page.",
    )
    return redirect("catalog:class-detail", pk=offering.pk)


def _schedule_page(
    request: HttpRequest, offering: ClassOffering, schedule: ClassSchedule | None
) -> HttpResponse:
    business = request.business  # type: ignore[attr-defined]
    today = timezone.localdate(timezone=business.tzinfo)
    if schedule is None:
        schedule = ClassSchedule(business=business, offering=offering)
        initial = {
            "start_date": today + dt.timedelta(days=1),
            "repeat": "weekly",
            "ends": "after_count",
            "occurrences": 10,
        }
    else:
        initial = {}
    form = ClassScheduleForm(request.POST or None, instance=schedule, initial=initial, today=today)
    _restored(request, form)
    plan = None
    if request.method == "POST" and form.is_valid():
        plan = class_sessions_plan(schedule=form.instance)
        needs_confirmation = bool(plan.moved_with_bookings or plan.keep_booked)
        if not needs_confirmation or request.POST.get("confirm") == "1":
            result = services.class_schedule_save(schedule=form.instance)
            messages.success(request, _saved_message(result))
            return redirect("catalog:class-detail", pk=offering.pk)
    return render(
        request,
        "catalog/schedule_form.html",
        _editor_context(request, form=form, offering=offering, schedule=schedule, plan=plan),
    )


def _saved_message(plan: "object") -> str:
    parts = []
    if plan.create:  # type: ignore[attr-defined]
        parts.append(f"{len(plan.create)} sessions created")  # type: ignore[attr-defined]
    if plan.move:  # type: ignore[attr-defined]
        parts.append(f"{len(plan.move)} moved")  # type: ignore[attr-defined]
    if plan.delete:  # type: ignore[attr-defined]
        parts.append(f"{len(plan.delete)} removed")  # type: ignore[attr-defined]
    if plan.clients_told:  # type: ignore[attr-defined]
        parts.append(f"{plan.clients_told} clients told of the change")  # type: ignore[attr-defined]
    return "Schedule saved" + (": " + ", ".join(parts) if parts else ".") + ("." if parts else "")


@require_http_methods(["GET", "POST"])
def schedule_create(request: HttpRequest, pk: int) -> HttpResponse:
    offering = get_for_business(ClassOffering, request.business, pk=pk)  # type: ignore[attr-defined]
    return _schedule_page(request, offering, None)


@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, pk: int, schedule_pk: int) -> HttpResponse:
    offering = get_for_business(ClassOffering, request.business, pk=pk)  # type: ignore[attr-defined]
    schedule = get_for_business(ClassSchedule, request.business, pk=schedule_pk, offering=offering)  # type: ignore[attr-defined]
    return _schedule_page(request, offering, schedule)


@require_POST
def schedule_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: what saving the schedule form as filled in now would do."""
    offering = get_for_business(ClassOffering, request.business, pk=pk)  # type: ignore[attr-defined]
    business = request.business  # type: ignore[attr-defined]
    schedule_pk = request.POST.get("schedule_pk")
    schedule = (
        get_for_business(ClassSchedule, business, pk=schedule_pk, offering=offering)
        if schedule_pk
        else ClassSchedule(business=business, offering=offering)
    )
    today = timezone.localdate(timezone=business.tzinfo)
    form = ClassScheduleForm(request.POST, instance=schedule, today=today)
    plan = None
    if form.is_valid():
        plan = class_sessions_plan(schedule=form.instance)
    return render(
        request,
        "catalog/_schedule_preview.html",
        {"form": form, "plan": plan, "offering": offering, "schedule": schedule},
    )
