import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bookings.selectors import agenda_items
from bookings.timeutils import week_start


def agenda(request: HttpRequest) -> HttpResponse:
    """Upcoming appointments and class sessions by day or by week, in the business's zone."""
    business = request.business  # type: ignore[attr-defined]
    zone = business.tzinfo
    today = timezone.now().astimezone(zone).date()
    view = request.GET.get("view", "week")
    if view not in ("day", "week"):
        view = "week"
    try:
        anchor = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = today
    first_day = anchor if view == "day" else week_start(anchor)
    days = 1 if view == "day" else 7
    items = agenda_items(business=business, first_day=first_day, days=days)
    by_day: dict[dt.date, list] = {first_day + dt.timedelta(days=i): [] for i in range(days)}
    for item in items:
        local_day = item.start.astimezone(zone).date()
        by_day.setdefault(local_day, []).append(item)
    step = dt.timedelta(days=days)
    return render(
        request,
        "bookings/agenda.html",
        {
            "view": view,
            "first_day": first_day,
            "last_day": first_day + step - dt.timedelta(days=1),
            "today": today,
            "days": sorted(by_day.items()),
            "previous": first_day - step,
            "next": first_day + step,
            "zone": zone,
            "total": len(items),
        },
    )
