import datetime as dt

import pytest
from django.urls import reverse

from bookings.models import Appointment, ClassBooking
from bookings.services.class_bookings import class_booking_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookable(tenant):
    factories.open_all_week(tenant.business, opens=dt.time(9), closes=dt.time(17))
    return factories.make_service(
        tenant.business, name="Intro call", duration_minutes=30, slot_interval_minutes=30
    )


def test_the_public_page_lists_services_and_sessions_with_seats(client, tenant, bookable):
    session = factories.make_session(tenant.business, capacity=4)
    class_booking_create(session=session, client=factories.make_client(tenant.business))

    page = client.get(reverse("bookings:public-home", args=[tenant.business.slug])).text

    assert "Intro call" in page
    assert "Morning Yoga" in page
    assert ">3</td>" in page  # seats left
    assert "Sign out" not in page


def test_full_sessions_and_other_businesses_are_not_listed(client, tenant, outsider):
    full = factories.make_session(tenant.business, capacity=1, name="Full class")
    class_booking_create(session=full, client=factories.make_client(tenant.business))
    factories.make_service(outsider.business, name="Their service")

    page = client.get(reverse("bookings:public-home", args=[tenant.business.slug])).text

    assert "Full class" not in page
    assert "Their service" not in page


def test_slots_are_shown_in_the_clients_time_zone(client, tenant, bookable):
    url = reverse("bookings:public-service", args=[tenant.business.slug, bookable.public_id])

    london = client.get(url, {"tz": "Europe/London"}).text
    tokyo = client.get(url, {"tz": "Asia/Tokyo"}).text

    assert ">09:00</a>" in london
    assert ">09:00</a>" not in tokyo  # 09:00 in London is 17:00 or 18:00 in Tokyo
    assert "Asia/Tokyo" in tokyo


def test_a_client_books_a_slot_and_lands_on_their_booking_page(
    client, tenant, bookable, mailoutbox
):
    start = factories.next_local(tenant.business, days=3, hour=11)
    url = reverse("bookings:public-book-service", args=[tenant.business.slug, bookable.public_id])

    response = client.post(
        url + f"?start={start.isoformat()}",
        {
            "start": start.isoformat(),
            "tz": "America/New_York",
            "name": "Pat Client",
            "email": "Pat@Client.test",
            "location_kind": "online",
        },
    )

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("bookings:my-appointment", args=[appointment.token])
    )
    assert appointment.client.email == "pat@client.test"
    assert appointment.client.timezone == "America/New_York"
    assert appointment.booked_by is None
    page = client.get(response["Location"]).text
    assert "You're booked" in page
    assert "06:00" in page  # 11:00 London is 06:00 in New York
    assert "America/New_York" in page


def test_the_second_client_for_a_slot_gets_a_clear_message_and_keeps_their_details(
    client, tenant, bookable
):
    start = factories.next_local(tenant.business, days=3, hour=11)
    factories.make_appointment(
        tenant.business, service=bookable, start=start, location_kind="online"
    )
    url = reverse("bookings:public-book-service", args=[tenant.business.slug, bookable.public_id])

    response = client.post(
        url + f"?start={start.isoformat()}",
        {
            "start": start.isoformat(),
            "name": "Second Person",
            "email": "second@client.test",
            "phone": "0123",
            "location_kind": "in_person",
        },
    )

    assert response.status_code == 200
    assert "that time is no longer available" in response.text
    assert 'value="Second Person"' in response.text
    assert 'value="second@client.test"' in response.text
    assert "Free times nearby" in response.text
    assert Appointment.objects.count() == 1


def test_a_slot_outside_opening_hours_cannot_be_forced(client, tenant, bookable):
    start = factories.next_local(tenant.business, days=3, hour=20)
    url = reverse("bookings:public-book-service", args=[tenant.business.slug, bookable.public_id])

    response = client.post(
        url,
        {
            "start": start.isoformat(),
            "name": "Night Owl",
            "email": "owl@client.test",
            "location_kind": "online",
        },
    )

    assert "no longer available" in response.text
    assert not Appointment.objects.exists()


def test_a_client_books_a_class_seat(client, tenant, mailoutbox):
    session = factories.make_session(tenant.business)
    url = reverse("bookings:public-book-session", args=[tenant.business.slug, session.uid])

    response = client.post(url, {"name": "Yogi Bear", "email": "yogi@client.test"})

    booking = ClassBooking.objects.get()
    assert response["Location"].startswith(
        reverse("bookings:my-class-booking", args=[booking.token])
    )
    assert "You're booked" in client.get(response["Location"]).text
    session.refresh_from_db()
    assert session.booked_count == 1


def test_the_client_who_finds_the_class_full_is_told_and_keeps_their_details(client, tenant):
    session = factories.make_session(tenant.business, capacity=1)
    url = reverse("bookings:public-book-session", args=[tenant.business.slug, session.uid])
    client.post(url, {"name": "First", "email": "first@client.test"})

    response = client.post(url, {"name": "Second", "email": "second@client.test"})

    assert response.status_code == 200
    assert "Sorry, this session is full" in response.text
    assert 'value="Second"' in response.text
    assert ClassBooking.objects.count() == 1


def test_unknown_businesses_services_and_sessions_answer_404(client, tenant, bookable):
    slug = tenant.business.slug
    assert client.get(reverse("bookings:public-home", args=["nobody-here"])).status_code == 404
    other = factories.make_service(tenant.business, name="Staff only", bookable_online=False)
    assert (
        client.get(reverse("bookings:public-service", args=[slug, other.public_id])).status_code
        == 404
    )
    assert client.get(f"/b/{slug}/c/00000000-0000-0000-0000-000000000000/").status_code == 404
