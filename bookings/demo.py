"""Demo data for `make run`: one business with its people, catalog, clients and bookings."""

import datetime as dt

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import Business, Membership, User
from accounts.services import business_create
from bookings.errors import BookingRefused
from bookings.models import Appointment, Client
from bookings.services.appointments import appointment_create
from bookings.services.class_bookings import class_booking_create
from bookings.services.clients import client_create
from bookings.services.opening_hours import opening_hours_set
from catalog.models import ClassSchedule
from catalog.services import class_create, class_schedule_save, service_create

DEMO_EMAIL = "demo@slotwise.test"
DEMO_PASSWORD = "slotwise-demo"

CLIENTS = [
    ("Ana Lopez", "ana.lopez@example.com", "+34 600 123 456", "Europe/Madrid"),
    ("Ben Carter", "ben.carter@example.com", "+44 7700 900123", "Europe/London"),
    ("Chloé Martin", "chloe.martin@example.com", "", "Europe/Paris"),
    ("Dev Patel", "dev.patel@example.com", "+91 98765 43210", "Asia/Kolkata"),
    ("Emma Schultz", "emma.schultz@example.com", "", "Europe/Berlin"),
    ("Felix Okafor", "felix.okafor@example.com", "+234 803 555 0101", "Africa/Lagos"),
    ("Grace Kim", "grace.kim@example.com", "", "America/New_York"),
    ("Hiro Tanaka", "hiro.tanaka@example.com", "", "Asia/Tokyo"),
    ("Isla Murray", "isla.murray@example.com", "+44 7700 900456", "Europe/London"),
    ("Jonas Berg", "jonas.berg@example.com", "", "Europe/Stockholm"),
]


def seed_demo() -> tuple[Business, bool]:
    """Create the demo business unless it exists; return it and whether it was created.

    Notices are not sent: the demo's bookings are history, not news. Tasks go to a backend
    that keeps them to itself while seeding.
    """
    existing = Business.objects.filter(memberships__user__email=DEMO_EMAIL).first()
    if existing is not None:
        return existing, False
    quiet = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=quiet), transaction.atomic():
        return _seed(), True


def _seed() -> Business:
    business = business_create(
        name="Brightside Coaching",
        timezone="Europe/London",
        owner_email=DEMO_EMAIL,
        owner_password=DEMO_PASSWORD,
        owner_name="Dana Demo",
    )
    coach = User.objects.create_user(
        "coach@slotwise.test", DEMO_PASSWORD, first_name="Chris", last_name="Coach"
    )
    Membership.objects.create(business=business, user=coach, role=Membership.Role.STAFF)
    weekday = [(dt.time(9), dt.time(12, 30)), (dt.time(13, 30), dt.time(18))]
    opening_hours_set(
        business=business, week={d: weekday for d in range(5)} | {5: [(dt.time(10), dt.time(14))]}
    )

    career = service_create(
        business=business,
        name="Career coaching",
        description="A focused hour on your next career move: goals, options, a plan.",
        duration_minutes=60,
        price=90,
        buffer_minutes=15,
        in_person=True,
        address="Brightside Studio, 12 Canal Street, Manchester",
        online=True,
        meeting_tool="zoom",
    )
    intro = service_create(
        business=business,
        name="Intro call",
        description="Twenty minutes to see whether coaching is right for you. Free.",
        duration_minutes=20,
        slot_interval_minutes=20,
        online=True,
        meeting_tool="zoom",
        online_waiting_room=False,
    )
    strategy = service_create(
        business=business,
        name="Strategy session",
        description="Ninety minutes at the studio with a whiteboard.",
        duration_minutes=90,
        price=140,
        buffer_minutes=30,
        in_person=True,
        address="Brightside Studio, 12 Canal Street, Manchester",
    )

    clients = [
        client_create(business=business, name=n, email=e, phone=p, timezone=tz)
        for n, e, p, tz in CLIENTS
    ]

    zone = business.tzinfo
    today = timezone.now().astimezone(zone).date()
    mindfulness = class_create(
        business=business,
        name="Morning Mindfulness",
        description="A calm start: breathing, focus and a short meditation.",
        duration_minutes=45,
        capacity=12,
    )
    class_schedule_save(
        schedule=ClassSchedule(
            business=business,
            offering=mindfulness,
            start_date=today + dt.timedelta(days=1),
            start_time=dt.time(8, 0),
            repeat="weekly",
            weekdays=[0, 2],
            ends="after_count",
            occurrences=12,
            online=True,
            meeting_tool="zoom",
        )
    )
    speaking = class_create(
        business=business,
        name="Public Speaking Workshop",
        description="Practise short talks and get feedback in a small group.",
        duration_minutes=90,
        capacity=8,
        price=35,
    )
    class_schedule_save(
        schedule=ClassSchedule(
            business=business,
            offering=speaking,
            start_date=today + dt.timedelta(days=2),
            start_time=dt.time(18, 30),
            repeat="weekly",
            weekdays=[3],
            ends="after_count",
            occurrences=8,
            in_person=True,
            address="Brightside Studio, 12 Canal Street, Manchester",
            online=True,
            meeting_tool="zoom",
        )
    )

    _past_appointments(business, career, strategy, clients, today)
    plan = [
        (career, 1, dt.time(10), "online"),
        (intro, 1, dt.time(14), "online"),
        (strategy, 2, dt.time(9, 30), "in_person"),
        (career, 3, dt.time(11), "in_person"),
        (intro, 4, dt.time(16), "online"),
        (career, 6, dt.time(15), "online"),
        (career, 8, dt.time(10), "online"),
    ]
    for n, (service, days, at, where) in enumerate(plan):
        start = dt.datetime.combine(today + dt.timedelta(days=days), at, tzinfo=zone)
        try:
            appointment_create(
                business=business,
                service=service,
                client=clients[n],
                start=start,
                location_kind=where,
            )
        except BookingRefused:
            continue  # a demo seeded late in the day or on a session's time: skip that one
    for session in mindfulness.sessions.order_by("start")[:3]:
        for client in clients[3:9]:
            class_booking_create(session=session, client=client)
    for session in speaking.sessions.order_by("start")[:2]:
        for n, client in enumerate(clients[:5]):
            class_booking_create(
                session=session, client=client, location_kind="online" if n % 2 else "in_person"
            )
    return business


def _past_appointments(
    business: Business, career: object, strategy: object, clients: list[Client], today: dt.date
) -> None:
    """History: a few appointments that already happened (services refuse the past)."""
    zone = business.tzinfo
    for n, days_ago in enumerate((21, 14, 9, 3)):
        service = career if n % 2 == 0 else strategy
        start = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(11), tzinfo=zone)
        end = start + dt.timedelta(minutes=service.duration_minutes)  # type: ignore[attr-defined]
        Appointment.objects.create(
            business=business,
            service=service,
            client=clients[n],
            start=start,
            end=end,
            blocked_until=end,
            location_kind="in_person",
            address=service.address,  # type: ignore[attr-defined]
        )
