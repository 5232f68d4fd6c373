import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Appointment
from tests import factories

pytestmark = pytest.mark.django_db


def test_booking_links_carry_a_random_token_of_at_least_128_bits(tenant):
    appointments = [
        factories.make_appointment(
            tenant.business, start=factories.next_local(tenant.business, hour=h)
        )
        for h in (9, 11)
    ]

    tokens = [a.token for a in appointments]

    assert tokens[0] != tokens[1]
    assert all(len(t) >= 22 for t in tokens)  # 22 url-safe base64 characters carry 132 bits
    assert reverse("bookings:my-appointment", args=[tokens[0]]) == f"/my/a/{tokens[0]}/"


def test_the_client_page_shows_what_when_and_where_in_the_clients_zone(client, tenant):
    customer = factories.make_client(tenant.business, timezone="Asia/Kolkata")
    appointment = factories.make_appointment(
        tenant.business,
        client=customer,
        start=factories.next_local(tenant.business, hour=10),
        location_kind="in_person",
    )

    page = client.get(reverse("bookings:my-appointment", args=[appointment.token])).text

    local = appointment.start.astimezone(customer.zone(tenant.business))
    assert "Coaching session with Sunrise Yoga" in page
    assert local.strftime("%H:%M") in page
    assert "Asia/Kolkata" in page
    assert "1 High Street" in page


def test_an_online_booking_has_an_area_for_its_meeting(client, tenant):
    appointment = factories.make_appointment(tenant.business, location_kind="online")

    page = client.get(reverse("bookings:my-appointment", args=[appointment.token])).text

    assert "Online meeting" in page


def test_a_wrong_token_answers_404(client):
    assert (
        client.get(reverse("bookings:my-appointment", args=["not-a-real-token"])).status_code == 404
    )
    assert client.get(reverse("bookings:my-class-booking", args=["nope"])).status_code == 404


def test_the_client_cancels_from_their_link(client, tenant, mailoutbox):
    appointment = factories.make_appointment(
        tenant.business, start=factories.next_local(tenant.business, days=5)
    )
    mailoutbox.clear()

    client.post(
        reverse("bookings:my-appointment-cancel", args=[appointment.token]),
        {"reason": "Travelling"},
    )

    appointment.refresh_from_db()
    assert appointment.is_cancelled and appointment.cancelled_by == "client"
    assert {addr for m in mailoutbox for addr in m.to} >= {
        appointment.client.email,
        tenant.owner.email,
    }


def test_clients_cannot_change_a_booking_inside_the_cutoff(client, tenant):
    business = tenant.business
    business.client_change_cutoff_hours = 48
    business.save()
    appointment = factories.make_appointment(
        business, start=timezone.now() + dt.timedelta(hours=30)
    )

    page = client.get(reverse("bookings:my-appointment", args=[appointment.token])).text
    client.post(reverse("bookings:my-appointment-cancel", args=[appointment.token]), {})

    assert "Online changes close 48 hours before the start" in page
    assert "Cancel booking" not in page
    appointment.refresh_from_db()
    assert not appointment.is_cancelled


def test_a_business_can_turn_client_cancellation_off(client, tenant):
    tenant.business.allow_client_cancel = False
    tenant.business.save()
    appointment = factories.make_appointment(
        tenant.business, start=factories.next_local(tenant.business, days=5)
    )

    client.post(reverse("bookings:my-appointment-cancel", args=[appointment.token]), {})

    appointment.refresh_from_db()
    assert not appointment.is_cancelled


def test_the_client_reschedules_to_a_free_slot(client, tenant):
    factories.open_all_week(tenant.business)
    service = factories.make_service(tenant.business, online=False, meeting_tool="")
    appointment = factories.make_appointment(
        tenant.business,
        service=service,
        start=factories.next_local(tenant.business, days=4, hour=10),
        location_kind="in_person",
    )
    new_start = factories.next_local(tenant.business, days=5, hour=14)
    url = reverse("bookings:my-appointment-reschedule", args=[appointment.token])
    assert (
        new_start.strftime("%H:%M") in client.get(url, {"from": new_start.date().isoformat()}).text
    )

    response = client.post(url, {"start": new_start.isoformat()})

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == new_start
    assert appointment.sequence == 1


def test_the_client_cannot_reschedule_onto_a_taken_slot(client, tenant):
    factories.open_all_week(tenant.business)
    service = factories.make_service(tenant.business, online=False, meeting_tool="")
    mine = factories.make_appointment(
        tenant.business,
        service=service,
        start=factories.next_local(tenant.business, days=4, hour=10),
        location_kind="in_person",
    )
    taken = factories.make_appointment(
        tenant.business,
        service=service,
        client=factories.make_client(tenant.business, name="Other"),
        start=factories.next_local(tenant.business, days=4, hour=14),
        location_kind="in_person",
    )

    response = client.post(
        reverse("bookings:my-appointment-reschedule", args=[mine.token]),
        {"start": taken.start.isoformat()},
    )

    assert "no longer available" in response.text
    assert Appointment.objects.get(pk=mine.pk).start == factories.next_local(
        tenant.business, days=4, hour=10
    )


def test_the_class_booking_page_lets_the_client_switch_sessions(client, tenant):
    start_date = timezone.localdate() + dt.timedelta(days=3)
    offering, _ = factories.make_class(tenant.business, sessions=2, start_date=start_date)
    first, second = offering.sessions.order_by("start")
    booking = factories.make_class_booking(tenant.business, session=first)

    client.post(
        reverse("bookings:my-class-booking-move", args=[booking.token]),
        {"session": str(second.uid)},
    )

    booking.refresh_from_db()
    assert booking.session == second


def test_the_invite_download_is_a_calendar_file(client, tenant):
    appointment = factories.make_appointment(tenant.business)

    response = client.get(reverse("bookings:my-appointment-invite", args=[appointment.token]))

    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.content
    assert f"{appointment.uid}@slotwise".encode() in response.content
