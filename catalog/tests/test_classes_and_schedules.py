import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookings.models import ClassSession
from bookings.services.class_bookings import class_booking_create
from catalog.models import ClassOffering, ClassSchedule
from tests import factories

pytestmark = pytest.mark.django_db


def _schedule_form(start_date, **extra):
    data = {
        "start_date": start_date.isoformat(),
        "start_time": "18:30",
        "repeat": "weekly",
        "weekdays": [start_date.weekday()],
        "ends": "after_count",
        "end_date": "",
        "occurrences": "10",
        "online": "on",
        "meeting_tool": "zoom",
        "address": "",
    }
    data.update(extra)
    return data


def test_add_class_then_schedule_creates_its_sessions(owner_client, tenant):
    response = owner_client.post(
        reverse("catalog:class-create"),
        {
            "name": "Evening Flow",
            "description": "",
            "duration_minutes": "45",
            "capacity": "12",
            "price": "",
        },
    )
    offering = ClassOffering.objects.get()
    assert response["Location"] == reverse("catalog:schedule-create", args=[offering.pk])
    first = timezone.localdate(timezone=tenant.business.tzinfo) + dt.timedelta(days=3)

    response = owner_client.post(
        reverse("catalog:schedule-create", args=[offering.pk]), _schedule_form(first)
    )

    assert response.status_code == 302
    sessions = list(ClassSession.objects.filter(offering=offering))
    assert len(sessions) == 10
    zone = tenant.business.tzinfo
    assert {s.start.astimezone(zone).strftime("%A %H:%M") for s in sessions} == {
        f"{first:%A} 18:30"
    }
    assert all(s.end - s.start == dt.timedelta(minutes=45) for s in sessions)
    assert all(s.capacity == 12 and s.online and s.meeting_tool == "zoom" for s in sessions)


def test_weekly_sessions_keep_their_local_time_across_the_dst_change(tenant):
    # Europe/London moves its clocks forward on 28 March 2027.
    offering, _ = factories.make_class(
        tenant.business, start_date=dt.date(2027, 3, 22), time=dt.time(7, 0), sessions=3
    )
    zone = tenant.business.tzinfo

    starts = [s.start for s in offering.sessions.order_by("start")]

    assert [s.astimezone(zone).strftime("%d %H:%M") for s in starts] == [
        "22 07:00",
        "29 07:00",
        "05 07:00",
    ]
    assert [s.astimezone(dt.UTC).hour for s in starts] == [7, 6, 6]


def test_the_schedule_form_explains_what_is_wrong_and_keeps_the_input(owner_client, tenant):
    offering, _ = factories.make_class(tenant.business, sessions=1)
    first = timezone.localdate(timezone=tenant.business.tzinfo) + dt.timedelta(days=3)

    response = owner_client.post(
        reverse("catalog:schedule-create", args=[offering.pk]),
        _schedule_form(
            first,
            ends="on_date",
            end_date=(first + dt.timedelta(days=400)).isoformat(),
            online="",
            in_person="on",
        ),
    )

    assert response.status_code == 200
    assert "Schedules reach at most one year ahead" in response.text
    assert "Give the address for in-person meetings." in response.text
    assert 'value="18:30"' in response.text


def test_a_schedule_cannot_start_in_the_past(owner_client, tenant):
    offering, _ = factories.make_class(tenant.business, sessions=1)
    yesterday = timezone.localdate(timezone=tenant.business.tzinfo) - dt.timedelta(days=1)

    response = owner_client.post(
        reverse("catalog:schedule-create", args=[offering.pk]), _schedule_form(yesterday)
    )

    assert "The first date cannot be in the past." in response.text


def test_editing_the_time_moves_future_sessions_and_tells_booked_clients(
    owner_client, tenant, mailoutbox
):
    offering, schedule = factories.make_class(tenant.business, sessions=4, time=dt.time(7, 0))
    first_session = offering.sessions.order_by("start").first()
    booking = class_booking_create(
        session=first_session, client=factories.make_client(tenant.business)
    )
    mailoutbox.clear()
    url = reverse("catalog:schedule-edit", args=[offering.pk, schedule.pk])
    form = _schedule_form(schedule.start_date, start_time="08:15", occurrences="4", online="on")

    preview = owner_client.post(url, form)

    assert preview.status_code == 200, "a change that affects booked clients needs confirmation"
    assert "1 client with a seat in a changed session will be e-mailed the new time" in preview.text
    assert offering.sessions.filter(start=first_session.start).exists()

    saved = owner_client.post(url, {**form, "confirm": "1"})

    assert saved.status_code == 302
    zone = tenant.business.tzinfo
    assert {s.start.astimezone(zone).strftime("%H:%M") for s in offering.sessions.all()} == {
        "08:15"
    }
    first_session.refresh_from_db()
    assert first_session.bookings.get() == booking, "the same session keeps its roster"
    assert [m.to for m in mailoutbox] == [[booking.client.email]]
    invite = Calendar.from_ical(mailoutbox[0].attachments[0][1])
    event = invite.walk("VEVENT")[0]
    assert event.decoded("dtstart").astimezone(zone).strftime("%H:%M") == "08:15"
    assert event["sequence"] == 1


def test_dropping_a_weekday_removes_empty_sessions_and_keeps_booked_ones(tenant):
    from catalog.services import class_schedule_save

    monday = timezone.localdate(timezone=tenant.business.tzinfo) + dt.timedelta(days=1)
    monday += dt.timedelta(days=(7 - monday.weekday()) % 7)
    offering, schedule = factories.make_class(tenant.business, start_date=monday, sessions=1)
    schedule.repeat = "weekly"
    schedule.weekdays = [0, 2]  # Monday and Wednesday
    schedule.occurrences = 4
    class_schedule_save(schedule=schedule)
    wednesdays = offering.sessions.filter(start__week_day=4).order_by("start")  # Django: Sunday=1
    assert offering.sessions.count() == 4 and wednesdays.count() == 2
    booked = wednesdays.first()
    class_booking_create(session=booked, client=factories.make_client(tenant.business))

    schedule.weekdays = [0]
    schedule.occurrences = 2
    plan = class_schedule_save(schedule=schedule)

    remaining = set(offering.sessions.values_list("pk", flat=True))
    assert booked.pk in remaining
    assert len(plan.delete) == 1 and len(plan.keep_booked) == 1
    assert offering.sessions.count() == 3


def test_past_sessions_are_never_changed(tenant):
    from catalog.services import class_schedule_save

    offering, schedule = factories.make_class(tenant.business, sessions=2)
    past = ClassSession.objects.create(
        business=tenant.business,
        offering=offering,
        schedule=schedule,
        start=timezone.now() - dt.timedelta(days=7),
        end=timezone.now() - dt.timedelta(days=7) + dt.timedelta(hours=1),
        capacity=8,
        online=True,
        meeting_tool="zoom",
    )
    schedule.start_time = dt.time(9, 0)

    class_schedule_save(schedule=schedule)

    past_start = past.start
    past.refresh_from_db()
    assert past.start == past_start


def test_preview_says_what_saving_will_do(owner_client, tenant):
    offering, _ = factories.make_class(tenant.business, sessions=1)
    first = timezone.localdate(timezone=tenant.business.tzinfo) + dt.timedelta(days=2)

    response = owner_client.post(
        reverse("catalog:schedule-preview", args=[offering.pk]),
        _schedule_form(first, occurrences="6"),
    )

    assert "Create 6 sessions" in response.text


def test_changing_capacity_reaches_future_sessions_but_not_below_seats_taken(owner_client, tenant):
    offering, _ = factories.make_class(tenant.business, sessions=2, capacity=5)
    session = offering.sessions.order_by("start").first()
    for n in range(3):
        class_booking_create(
            session=session, client=factories.make_client(tenant.business, name=f"C {n}")
        )

    owner_client.post(
        reverse("catalog:class-edit", args=[offering.pk]),
        {
            "name": offering.name,
            "description": "",
            "duration_minutes": "60",
            "capacity": "2",
            "price": "",
        },
    )

    assert sorted(offering.sessions.values_list("capacity", flat=True)) == [2, 3]


def test_schedule_with_both_locations_gives_sessions_both(tenant):
    offering, schedule = factories.make_class(
        tenant.business, sessions=1, online=True, in_person=True
    )

    session = offering.sessions.get()

    assert session.online and session.in_person and session.address == "Studio 2, 5 Park Road"
    assert ClassSchedule.objects.get(pk=schedule.pk).summary.startswith("Once, on")
