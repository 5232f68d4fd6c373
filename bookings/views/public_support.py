"""Shared by the public booking pages and the client booking pages (no sign-in)."""

import datetime as dt
import zoneinfo

from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Business
from bookings.availability import service_slots
from bookings.timeutils import local_day_bounds
from catalog.models import Service

DAYS_PER_PAGE = 7


def client_zone(request: HttpRequest, fallback: str) -> zoneinfo.ZoneInfo:
    """The zone the visitor asked for (?tz=, set by the page from the browser), else `fallback`."""
    name = request.GET.get("tz") or request.POST.get("tz") or ""
    try:
        return zoneinfo.ZoneInfo(name) if name else zoneinfo.ZoneInfo(fallback)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(fallback)


def group_by_local_day(
    starts: list[dt.datetime], zone: zoneinfo.ZoneInfo
) -> list[tuple[dt.date, list[dt.datetime]]]:
    days: dict[dt.date, list[dt.datetime]] = {}
    for start in starts:
        local = start.astimezone(zone)
        days.setdefault(local.date(), []).append(local)
    return sorted(days.items())


def may_client_change(business: Business, start: dt.datetime, *, what: str) -> tuple[bool, str]:
    """Whether the business lets the client cancel/reschedule now, and if not, why."""
    allowed = business.allow_client_cancel if what == "cancel" else business.allow_client_reschedule
    if not allowed:
        return False, f"To {what} please contact {business.name}."
    cutoff = start - dt.timedelta(hours=business.client_change_cutoff_hours)
    if timezone.now() > cutoff:
        return (
            False,
            f"Online changes close {business.client_change_cutoff_hours} hours before the start. "
            f"To {what} now, please contact {business.name}.",
        )
    return True, ""


def slots_for_client_days(
    service: Service, first_day: dt.date, days: int, zone: zoneinfo.ZoneInfo
) -> list[dt.datetime]:
    """Free slots on `days` days from `first_day` as the client's calendar counts days."""
    start, _ = local_day_bounds(first_day, zone)
    _, end = local_day_bounds(first_day + dt.timedelta(days=days - 1), zone)
    biz_zone = service.business.tzinfo
    biz_first = start.astimezone(biz_zone).date()
    biz_last = (end - dt.timedelta(microseconds=1)).astimezone(biz_zone).date()
    slots = service_slots(
        service=service,
        first_day=biz_first,
        days=(biz_last - biz_first).days + 1,
        now=timezone.now(),
    )
    return [slot for slot in slots if start <= slot < end]
