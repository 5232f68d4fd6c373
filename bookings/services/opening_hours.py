import datetime as dt

from django.db import transaction

from accounts.models import Business
from bookings.models import OpeningHours


@transaction.atomic
def opening_hours_set(
    *, business: Business, week: dict[int, list[tuple[dt.time, dt.time]]]
) -> list[OpeningHours]:
    """Replace the business's opening hours: weekday (Monday=0) → open intervals."""
    OpeningHours.objects.filter(business=business).delete()
    rows = [
        OpeningHours(business=business, weekday=weekday, opens=opens, closes=closes)
        for weekday, intervals in sorted(week.items())
        for opens, closes in sorted(intervals)
    ]
    return OpeningHours.objects.bulk_create(rows)
