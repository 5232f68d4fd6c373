from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.decorators import owner_required
from accounts.forms import BusinessSettingsForm, RoleForm, SignUpForm, StaffAddForm
from accounts.models import Membership
from accounts.tenancy import get_for_business
from slotwise.forms_util import add_service_errors


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("bookings:agenda")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            business = services.business_create(
                name=data["business_name"],
                timezone=data["timezone"],
                owner_email=data["email"],
                owner_password=data["password"],
                owner_name=data["name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            owner = business.memberships.get().user
            login(request, owner, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Slotwise, {business.name} is ready.")
            return redirect("bookings:agenda")
    return render(request, "accounts/signup.html", {"form": form})


def settings_index(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/settings_index.html")


@owner_required
@require_http_methods(["GET", "POST"])
def business_settings(request: HttpRequest) -> HttpResponse:
    business = request.business  # type: ignore[attr-defined]
    form = BusinessSettingsForm(request.POST or None, instance=business)
    if request.method == "POST" and form.is_valid():
        services.business_update(business=business, **form.cleaned_data)
        messages.success(request, "Business settings saved.")
        return redirect("accounts:business-settings")
    return render(request, "accounts/business_settings.html", {"form": form})


def team(request: HttpRequest) -> HttpResponse:
    members = (
        Membership.objects.filter(business=request.business)  # type: ignore[attr-defined]
        .select_related("user")
        .order_by("-role", "user__first_name", "user__email")
    )
    return render(
        request,
        "accounts/team.html",
        {"members": members, "add_form": StaffAddForm(), "roles": Membership.Role.choices},
    )


@owner_required
@require_http_methods(["GET", "POST"])
def staff_add(request: HttpRequest) -> HttpResponse:
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.staff_add(
                business=request.business,  # type: ignore[attr-defined]
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{membership.user.display_name} was added and e-mailed a link to set a password.",
            )
            return redirect("accounts:team")
    return render(request, "accounts/staff_add.html", {"form": form})


@owner_required
@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_for_business(Membership, request.business, pk=pk)  # type: ignore[attr-defined]
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_role(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"{membership.user.display_name} is now {membership.get_role_display()}."
            )
    return redirect("accounts:team")


@owner_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_for_business(Membership, request.business, pk=pk)  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{membership.user.display_name} was removed.")
        return redirect("accounts:team")
    return render(request, "accounts/member_remove.html", {"member": membership})
