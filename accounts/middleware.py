"""Attach the signed-in user's business to every request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Membership


class BusinessMiddleware:
    """Sets `request.membership` and `request.business` (None when signed out).

    A signed-in user without a membership (say, a platform superuser) may use the admin
    but gets a clear page instead of tenant pages, which would have nothing to scope to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        if request.user.is_authenticated:
            membership = (
                Membership.objects.select_related("business").filter(user=request.user).first()
            )
        request.membership = membership  # type: ignore[attr-defined]
        request.business = membership.business if membership else None  # type: ignore[attr-defined]
        # Staff pages show times in the business's zone; public pages activate the client's.
        if membership is not None:
            timezone.activate(membership.business.tzinfo)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return None
        if request.user.is_authenticated and request.membership is None:  # type: ignore[attr-defined]
            return render(request, "accounts/no_business.html", status=403)
        return None
