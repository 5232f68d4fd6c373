import pytest
from django.urls import reverse

from bookings.errors import AlreadyBooked, NotBookable, SessionFull
from bookings.models import ClassBooking
from bookings.services.class_bookings import (
    class_booking_cancel,
    class_booking_create,
    class_booking_move,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_staff_add_a_client_to_the_roster(owner_client, tenant, mailoutbox):
    session = factories.make_session(tenant.business)

    response = owner_client.post(
        reverse("bookings:session-detail", args=[session.pk]),
        {"client_email": "rosa@client.test", "client_name": "Rosa Diaz", "client_phone": ""},
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.booked_count == 1
    booking = ClassBooking.objects.get()
    assert (booking.client.name, booking.location_kind) == ("Rosa Diaz", "online")
    assert any(m.to == ["rosa@client.test"] for m in mailoutbox)
    roster = owner_client.get(reverse("bookings:session-detail", args=[session.pk])).text
    assert "Rosa Diaz" in roster


def test_a_full_session_is_refused_with_a_clear_message(owner_client, tenant):
    session = factories.make_session(tenant.business, capacity=1)
    class_booking_create(session=session, client=factories.make_client(tenant.business))

    response = owner_client.post(
        reverse("bookings:session-detail", args=[session.pk]),
        {"client_email": "late@client.test", "client_name": "Late Comer", "client_phone": ""},
    )

    assert response.status_code == 200
    assert "this session is full" in response.text
    assert 'value="Late Comer"' in response.text
    session.refresh_from_db()
    assert session.booked_count == 1


def test_one_client_holds_at_most_one_seat_per_session(tenant):
    session = factories.make_session(tenant.business)
    client = factories.make_client(tenant.business)
    class_booking_create(session=session, client=client)

    with pytest.raises(AlreadyBooked):
        class_booking_create(session=session, client=client)
    session.refresh_from_db()
    assert session.booked_count == 1


def test_cancelling_a_seat_frees_it(tenant):
    session = factories.make_session(tenant.business, capacity=1)
    booking = class_booking_create(session=session, client=factories.make_client(tenant.business))

    class_booking_cancel(booking=booking, reason="Sick")

    session.refresh_from_db()
    assert session.booked_count == 0
    class_booking_create(
        session=session, client=factories.make_client(tenant.business, name="Next One")
    )


def test_cancelling_a_session_cancels_every_seat_and_tells_each_client(
    owner_client, tenant, mailoutbox
):
    session = factories.make_session(tenant.business)
    bookings = [
        class_booking_create(
            session=session, client=factories.make_client(tenant.business, name=f"Client {n}")
        )
        for n in range(3)
    ]
    mailoutbox.clear()

    owner_client.post(
        reverse("bookings:session-cancel", args=[session.pk]), {"reason": "Studio flooded"}
    )

    session.refresh_from_db()
    assert session.is_cancelled
    assert all(b.is_cancelled for b in ClassBooking.objects.filter(session=session))
    told = sorted(m.to[0] for m in mailoutbox)
    assert told == sorted(b.client.email for b in bookings)
    assert all("Studio flooded" in m.body for m in mailoutbox)
    with pytest.raises(NotBookable):
        class_booking_create(
            session=session, client=factories.make_client(tenant.business, name="New")
        )


def test_a_hybrid_session_asks_how_the_client_attends(tenant):
    session = factories.make_session(tenant.business, online=True, in_person=True)
    client = factories.make_client(tenant.business)

    with pytest.raises(NotBookable, match="in person or online"):
        class_booking_create(session=session, client=client)
    booking = class_booking_create(session=session, client=client, location_kind="in_person")
    assert booking.location_kind == "in_person"


def test_moving_a_seat_to_another_session_of_the_class(tenant):
    offering, _ = factories.make_class(tenant.business, sessions=2, capacity=1)
    first, second = offering.sessions.order_by("start")
    booking = class_booking_create(session=first, client=factories.make_client(tenant.business))

    class_booking_move(booking=booking, to_session=second)

    first.refresh_from_db()
    second.refresh_from_db()
    booking.refresh_from_db()
    assert (first.booked_count, second.booked_count, booking.session) == (0, 1, second)
    assert booking.sequence == 1
    other = class_booking_create(
        session=first, client=factories.make_client(tenant.business, name="Other")
    )
    with pytest.raises(SessionFull):
        class_booking_move(booking=other, to_session=second)
