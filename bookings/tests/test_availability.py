import datetime as dt
import zoneinfo

import pytest

from bookings.availability import service_slots
from bookings.models import OpeningHours
from tests import factories

pytestmark = pytest.mark.django_db


def _hours(business, weekday, opens, closes):
    OpeningHours.objects.create(business=business, weekday=weekday, opens=opens, closes=closes)


def _local_times(slots, zone):
    return [slot.astimezone(zone).strftime("%H:%M") for slot in slots]


def test_slots_fill_opening_hours_at_the_services_interval(tenant):
    business = tenant.business
    day = dt.date(2030, 6, 3)  # a Monday
    _hours(business, 0, dt.time(9), dt.time(12))
    service = factories.make_service(business, duration_minutes=60, slot_interval_minutes=30)

    slots = service_slots(
        service=service, first_day=day, days=1, now=dt.datetime(2030, 6, 1, tzinfo=dt.UTC)
    )

    assert _local_times(slots, business.tzinfo) == ["09:00", "09:30", "10:00", "10:30", "11:00"]


def test_appointments_with_their_buffer_and_class_sessions_are_not_offered(tenant):
    business = tenant.business
    now = dt.datetime(2030, 6, 1, tzinfo=dt.UTC)
    day = dt.date(2030, 6, 3)
    _hours(business, 0, dt.time(9), dt.time(13))
    busy_service = factories.make_service(
        business, name="Long", duration_minutes=30, buffer_minutes=30
    )
    factories.make_appointment(
        business,
        service=busy_service,
        start=dt.datetime(2030, 6, 3, 9, 0, tzinfo=business.tzinfo),
        location_kind="in_person",
    )
    factories.make_class(business, start_date=day, time=dt.time(11, 0), sessions=1)
    service = factories.make_service(business, duration_minutes=30, slot_interval_minutes=30)

    slots = service_slots(service=service, first_day=day, days=1, now=now)

    # 09:00–09:30 booked plus 30 minutes' buffer; 11:00–12:00 is a class.
    assert _local_times(slots, business.tzinfo) == ["10:00", "10:30", "12:00", "12:30"]


def test_the_new_appointments_own_buffer_must_not_run_into_the_next_booking(tenant):
    business = tenant.business
    day = dt.date(2030, 6, 3)
    _hours(business, 0, dt.time(9), dt.time(12))
    factories.make_appointment(
        business,
        service=factories.make_service(business, name="Other", duration_minutes=60),
        start=dt.datetime(2030, 6, 3, 11, 0, tzinfo=business.tzinfo),
        location_kind="in_person",
    )
    service = factories.make_service(
        business, duration_minutes=60, buffer_minutes=15, slot_interval_minutes=30
    )

    slots = service_slots(
        service=service, first_day=day, days=1, now=dt.datetime(2030, 6, 1, tzinfo=dt.UTC)
    )

    assert _local_times(slots, business.tzinfo) == ["09:00", "09:30"]


def test_clients_get_neither_slots_too_soon_nor_beyond_the_window(tenant):
    business = tenant.business
    business.booking_notice_hours = 3
    business.booking_window_days = 1
    business.save()
    for weekday in range(7):
        _hours(business, weekday, dt.time(0), dt.time(23, 59))
    service = factories.make_service(business, duration_minutes=60, slot_interval_minutes=60)
    now = dt.datetime(2030, 6, 3, 8, 0, tzinfo=business.tzinfo)

    public = service_slots(service=service, first_day=now.date(), days=3, now=now)
    staff = service_slots(service=service, first_day=now.date(), days=1, now=now, for_public=False)

    assert public[0] == now + dt.timedelta(hours=3)
    assert public[-1] <= now + dt.timedelta(days=1)
    assert staff[0] == now


@pytest.mark.parametrize(
    ("zone_name", "change_day"),
    [("Europe/London", dt.date(2026, 3, 29)), ("America/New_York", dt.date(2026, 3, 8))],
)
def test_opening_hours_follow_the_wall_clock_on_both_sides_of_a_dst_change(
    tenant, zone_name, change_day
):
    business = tenant.business
    business.timezone = zone_name
    business.save()
    zone = zoneinfo.ZoneInfo(zone_name)
    for weekday in range(7):
        _hours(business, weekday, dt.time(9), dt.time(11))
    service = factories.make_service(business, duration_minutes=60, slot_interval_minutes=60)

    slots = service_slots(
        service=service,
        first_day=change_day - dt.timedelta(days=1),
        days=3,
        now=dt.datetime.combine(change_day - dt.timedelta(days=5), dt.time(), tzinfo=dt.UTC),
    )

    assert _local_times(slots, zone) == ["09:00", "10:00"] * 3
    # The same wall-clock time is an hour earlier in UTC once summer time starts.
    assert slots[0].astimezone(dt.UTC).hour - slots[4].astimezone(dt.UTC).hour == 1


def test_a_cancelled_appointment_frees_its_slot(tenant):
    from bookings.services.appointments import appointment_cancel

    business = tenant.business
    day = dt.date(2030, 6, 3)
    _hours(business, 0, dt.time(9), dt.time(10))
    service = factories.make_service(business, duration_minutes=60)
    appointment = factories.make_appointment(
        business,
        service=service,
        start=dt.datetime(2030, 6, 3, 9, tzinfo=business.tzinfo),
        location_kind="online",
    )
    now = dt.datetime(2030, 6, 1, tzinfo=dt.UTC)
    assert service_slots(service=service, first_day=day, days=1, now=now) == []

    appointment_cancel(appointment=appointment)

    assert len(service_slots(service=service, first_day=day, days=1, now=now)) == 1
