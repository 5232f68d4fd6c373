from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import owner_required
from bookings.forms import WEEKDAYS, OpeningHoursDayForm
from bookings.models import OpeningHours
from bookings.services.opening_hours import opening_hours_set


@owner_required
@require_http_methods(["GET", "POST"])
def opening_hours(request: HttpRequest) -> HttpResponse:
    business = request.business  # type: ignore[attr-defined]
    current: dict[int, list[OpeningHours]] = {day: [] for day in range(7)}
    for row in OpeningHours.objects.filter(business=business).order_by("weekday", "opens"):
        current[row.weekday].append(row)
    forms = []
    for day in range(7):
        rows = current[day]
        initial = {}
        if rows:
            initial.update(opens=rows[0].opens, closes=rows[0].closes)
        if len(rows) > 1:
            initial.update(opens2=rows[1].opens, closes2=rows[1].closes)
        form = OpeningHoursDayForm(request.POST or None, prefix=f"d{day}", initial=initial)
        forms.append((day, WEEKDAYS[day], form))
    if request.method == "POST" and all(form.is_valid() for _day, _name, form in forms):
        opening_hours_set(
            business=business,
            week={day: form.cleaned_data["intervals"] for day, _name, form in forms},
        )
        messages.success(request, "Opening hours saved.")
        return redirect("bookings:opening-hours")
    return render(request, "bookings/opening_hours.html", {"days": forms})
