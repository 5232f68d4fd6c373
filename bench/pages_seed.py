"""Seed figure 6's business: 10,000 clients, 100,000 appointments, classes with sessions.

The catalog and the business go through the project's services; the volume goes in with
bulk_create in batches (the booking services check each slot and send e-mails, which is
right for one booking and hours for 100,000). Deterministic: one seeded random generator.
Runs inside the bench child, with Django set up.
"""

import datetime as dt
import random
import secrets
import uuid

from django.db import transaction
from django.utils import timezone

from accounts.models import Business
from accounts.services import business_create
from bookings.models import (
    Appointment,
    BookingStatus,
    CancelledBy,
    ClassBooking,
    ClassSession,
    Client,
    LocationKind,
    OpeningHours,
)
from catalog.models import ClassSchedule, Service
from catalog.services import class_create, service_create
from meetings.models import MeetingStatus, OnlineMeeting

BATCH = 5_000
PAST_DAYS = 730
FUTURE_DAYS = 365
FIRST = [
    "Ana",
    "Ben",
    "Chloé",
    "Dev",
    "Emma",
    "Felix",
    "Grace",
    "Hiro",
    "Isla",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
]
LAST = [
    "Smith",
    "Lopez",
    "Carter",
    "Martin",
    "Patel",
    "Schultz",
    "Okafor",
    "Kim",
    "Tanaka",
    "Murray",
    "Berg",
    "Rossi",
    "Novak",
]
ZONES = ["", "", "", "Europe/London", "Europe/Madrid", "America/New_York", "Asia/Tokyo"]


def seed_counts(owner_email: str) -> dict[str, int] | None:
    business = Business.objects.filter(memberships__user__email=owner_email).first()
    if business is None:
        return None
    return {
        "clients": Client.objects.filter(business=business).count(),
        "appointments": Appointment.objects.filter(business=business).count(),
        "online meetings": OnlineMeeting.objects.filter(business=business).count(),
        "class sessions": ClassSession.objects.filter(business=business).count(),
        "class seats": ClassBooking.objects.filter(business=business).count(),
    }


@transaction.atomic
def seed_pages(*, owner_email: str, clients: int, appointments: int) -> Business:
    rng = random.Random(6)
    business = business_create(
        name="Bench Pages Studio",
        timezone="Europe/London",
        owner_email=owner_email,
        owner_password=secrets.token_urlsafe(16),
        owner_name="Bench Owner",
    )
    business.booking_window_days = 90
    business.save(update_fields=["booking_window_days"])
    weekday = [(dt.time(9), dt.time(12, 30)), (dt.time(13, 30), dt.time(18))]
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(business=business, weekday=day, opens=opens, closes=closes)
            for day in range(5)
            for opens, closes in weekday
        ]
        + [OpeningHours(business=business, weekday=5, opens=dt.time(10), closes=dt.time(14))]
    )
    address = "12 Canal Street, Manchester"
    services = [
        service_create(
            business=business,
            name="Career coaching",
            duration_minutes=60,
            buffer_minutes=15,
            in_person=True,
            address=address,
            online=True,
            meeting_tool="zoom",
        ),
        service_create(
            business=business,
            name="Intro call",
            duration_minutes=20,
            slot_interval_minutes=20,
            online=True,
            meeting_tool="zoom",
        ),
        service_create(
            business=business,
            name="Strategy session",
            duration_minutes=90,
            buffer_minutes=30,
            in_person=True,
            address=address,
        ),
        service_create(
            business=business,
            name="Follow-up",
            duration_minutes=30,
            in_person=True,
            address=address,
            online=True,
            meeting_tool="zoom",
        ),
    ]
    client_rows = _clients(business, clients, rng)
    today = timezone.now().astimezone(business.tzinfo).date()
    _appointments(business, services, client_rows, appointments, today, rng)
    _classes(business, client_rows, today, rng)
    return business


def _clients(business: Business, count: int, rng: random.Random) -> list[Client]:
    rows = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append(
            Client(
                business=business,
                name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}.{n}@example.com",
                phone=f"+44 7700 {n:06}" if n % 3 else "",
                timezone=rng.choice(ZONES),
            )
        )
    return Client.objects.bulk_create(rows, batch_size=BATCH)


def _appointments(
    business: Business,
    services: list[Service],
    clients: list[Client],
    count: int,
    today: dt.date,
    rng: random.Random,
) -> None:
    zone = business.tzinfo
    now = timezone.now()
    weights = [5, 3, 1, 2]
    rows: list[Appointment] = []
    meetings: list[OnlineMeeting] = []

    def flush() -> None:
        Appointment.objects.bulk_create(rows, batch_size=BATCH)
        meetings.extend(_meeting_for(a, now) for a in rows if a.is_online and not a.is_cancelled)
        OnlineMeeting.objects.bulk_create(meetings, batch_size=BATCH)
        rows.clear()
        meetings.clear()

    for _ in range(count):
        service = rng.choices(services, weights)[0]
        day = today + dt.timedelta(days=rng.randint(-PAST_DAYS, FUTURE_DAYS))
        at = dt.time(rng.randint(8, 18), rng.choice((0, 15, 30, 45)))
        start = dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)
        end = start + dt.timedelta(minutes=service.duration_minutes)
        online = service.online and (not service.in_person or rng.random() < 0.5)
        cancelled = rng.random() < 0.08
        rows.append(
            Appointment(
                business=business,
                service=service,
                client=rng.choice(clients),
                start=start,
                end=end,
                blocked_until=end + dt.timedelta(minutes=service.buffer_minutes),
                location_kind=LocationKind.ONLINE if online else LocationKind.IN_PERSON,
                meeting_tool=service.meeting_tool if online else "",
                address="" if online else service.address,
                status=BookingStatus.CANCELLED if cancelled else BookingStatus.CONFIRMED,
                cancelled_at=start - dt.timedelta(days=2) if cancelled else None,
                cancelled_by=rng.choice(list(CancelledBy.values)) if cancelled else "",
                cancel_reason="Something came up." if cancelled else "",
            )
        )
        if len(rows) == BATCH:
            flush()
    flush()


def _meeting_for(appointment: Appointment, now: dt.datetime) -> OnlineMeeting:
    external_id = uuid.uuid4().int % 10**11
    return OnlineMeeting(
        business_id=appointment.business_id,
        appointment=appointment,
        tool="zoom",
        status=MeetingStatus.READY,
        external_id=external_id,
        host_ref="host@bench.test",
        join_url=f"https://zoom.example/j/{external_id}",
        passcode="123456",
        synced_start=appointment.start,
        synced_duration=int((appointment.end - appointment.start).total_seconds() // 60),
        synced_topic="Bench meeting",
        ready_at=min(appointment.start, now),
    )


def _classes(business: Business, clients: list[Client], today: dt.date, rng: random.Random) -> None:
    zone = business.tzinfo
    plans = [
        ("Morning Mindfulness", 45, 12, [0, 2], dt.time(8), {"online": True}),
        ("Public Speaking Workshop", 90, 8, [3], dt.time(18, 30), {"in_person": True}),
        ("Lunchtime Stretch", 30, 15, [1, 4], dt.time(12, 45), {"in_person": True, "online": True}),
    ]
    sessions: list[ClassSession] = []
    for name, minutes, capacity, weekdays, at, where in plans:
        offering = class_create(
            business=business, name=name, duration_minutes=minutes, capacity=capacity
        )
        schedule = ClassSchedule.objects.create(
            business=business,
            offering=offering,
            start_date=today - dt.timedelta(days=PAST_DAYS),
            start_time=at,
            repeat="weekly",
            weekdays=weekdays,
            ends="on_date",
            end_date=today + dt.timedelta(days=FUTURE_DAYS),
            address="12 Canal Street, Manchester" if where.get("in_person") else "",
            meeting_tool="zoom" if where.get("online") else "",
            **where,
        )
        for offset in range(-PAST_DAYS, FUTURE_DAYS + 1):
            day = today + dt.timedelta(days=offset)
            if day.weekday() not in weekdays:
                continue
            start = dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)
            sessions.append(
                ClassSession(
                    business=business,
                    offering=offering,
                    schedule=schedule,
                    start=start,
                    end=start + dt.timedelta(minutes=minutes),
                    capacity=capacity,
                    booked_count=rng.randint(0, capacity),
                    in_person=where.get("in_person", False),
                    address=schedule.address,
                    online=where.get("online", False),
                    meeting_tool=schedule.meeting_tool,
                )
            )
    ClassSession.objects.bulk_create(sessions, batch_size=BATCH)
    seats = []
    for session in sessions:
        for client in rng.sample(clients, session.booked_count):
            kind = ""
            if session.in_person and session.online:
                kind = rng.choice(LocationKind.values)
            seats.append(
                ClassBooking(business=business, session=session, client=client, location_kind=kind)
            )
    ClassBooking.objects.bulk_create(seats, batch_size=BATCH)
