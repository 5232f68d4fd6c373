from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.tenancy import get_for_business
from bookings.forms import ClientForm
from bookings.models import Client
from bookings.services.clients import client_create, client_update
from slotwise.forms_util import add_service_errors
from slotwise.pagination import paginate


def client_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    clients = Client.objects.filter(business=request.business)  # type: ignore[attr-defined]
    if query:
        clients = clients.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(phone__icontains=query)
        )
    page = paginate(request, clients.order_by("name", "pk"))
    template = "bookings/_client_rows.html" if request.htmx else "bookings/client_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
def client_create_view(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = client_create(business=request.business, **form.cleaned_data)  # type: ignore[attr-defined]
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Client {client.name} added.")
            return redirect("bookings:client-detail", pk=client.pk)
    return render(request, "bookings/client_form.html", {"form": form, "client": None})


@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_for_business(Client, request.business, pk=pk)  # type: ignore[attr-defined]
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            client_update(client=client, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Client {client.name} saved.")
            return redirect("bookings:client-detail", pk=client.pk)
    return render(request, "bookings/client_form.html", {"form": form, "client": client})


def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_for_business(Client, request.business, pk=pk)  # type: ignore[attr-defined]
    now = timezone.now()
    appointments = client.appointments.select_related("service").order_by("-start")[:50]
    class_bookings = client.class_bookings.select_related("session__offering").order_by(
        "-session__start"
    )[:50]
    return render(
        request,
        "bookings/client_detail.html",
        {
            "client": client,
            "appointments": appointments,
            "class_bookings": class_bookings,
            "now": now,
        },
    )
