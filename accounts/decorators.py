from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def owner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only the business's owners may use this view (staff get 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if membership is None or not membership.is_owner:
            raise PermissionDenied("Only an owner of the business can do this.")
        return view(request, *args, **kwargs)

    return wrapper
