from django.http import HttpRequest


def business(request: HttpRequest) -> dict[str, object]:
    return {
        "business": getattr(request, "business", None),
        "membership": getattr(request, "membership", None),
    }
