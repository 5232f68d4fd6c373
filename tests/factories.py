"""Hand-built test data that several test modules need: kept small and explicit."""

import datetime as dt

from django.utils import timezone

from accounts.models import Business
from bookings.models import Appointment, ClassBooking, ClassSession, Client, OpeningHours
from bookings.services.appointments import appointment_create
from bookings.services.class_bookings import class_booking_create
from catalog.models import ClassOffering, ClassSchedule, Service
from catalog.services import class_schedule_save


def open_all_week(
    business: Business, opens: dt.time = dt.time(9), closes: dt.time = dt.time(17)
) -> None:
    OpeningHours.objects.bulk_create(
        OpeningHours(business=business, weekday=day, opens=opens, closes=closes) for day in range(7)
    )


def make_service(business: Business, **fields: object) -> Service:
    values = {
        "name": "Coaching session",
        "duration_minutes": 60,
        "in_person": True,
        "address": "1 High Street",
        "online": True,
        "meeting_tool": "zoom",
    }
    values.update(fields)
    return Service.objects.create(business=business, **values)


def make_client(
    business: Business, name: str = "Ana Lopez", email: str | None = None, **fields: object
) -> Client:
    email = email or f"{name.lower().replace(' ', '.')}@client.test"
    client, _ = Client.objects.get_or_create(
        business=business, email=email, defaults={"name": name, **fields}
    )
    return client


def next_local(business: Business, days: int = 2, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware instant `days` ahead at hour:minute on the business's wall clock."""
    zone = business.tzinfo
    day = timezone.now().astimezone(zone).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def make_appointment(
    business: Business,
    *,
    service: Service | None = None,
    client: Client | None = None,
    start: dt.datetime | None = None,
    location_kind: str = "online",
) -> Appointment:
    return appointment_create(
        business=business,
        service=service or make_service(business),
        client=client or make_client(business),
        start=start or next_local(business),
        location_kind=location_kind,
    )


def make_class(
    business: Business,
    *,
    name: str = "Morning Yoga",
    capacity: int = 8,
    duration: int = 60,
    sessions: int = 3,
    start_date: dt.date | None = None,
    time: dt.time = dt.time(7, 0),
    online: bool = True,
    in_person: bool = False,
) -> tuple[ClassOffering, ClassSchedule]:
    offering = ClassOffering.objects.create(
        business=business, name=name, duration_minutes=duration, capacity=capacity
    )
    start_date = start_date or (
        timezone.now().astimezone(business.tzinfo).date() + dt.timedelta(days=1)
    )
    schedule = ClassSchedule(
        business=business,
        offering=offering,
        start_date=start_date,
        start_time=time,
        repeat="weekly" if sessions > 1 else "once",
        weekdays=[start_date.weekday()] if sessions > 1 else [],
        ends="after_count",
        occurrences=sessions if sessions > 1 else None,
        online=online,
        meeting_tool="zoom" if online else "",
        in_person=in_person,
        address="Studio 2, 5 Park Road" if in_person else "",
    )
    class_schedule_save(schedule=schedule)
    return offering, schedule


def make_session(business: Business, **kwargs: object) -> ClassSession:
    offering, _schedule = make_class(business, sessions=1, **kwargs)  # type: ignore[arg-type]
    return offering.sessions.get()


def make_class_booking(
    business: Business, session: ClassSession | None = None, client: Client | None = None
) -> ClassBooking:
    return class_booking_create(
        session=session or make_session(business), client=client or make_client(business)
    )
