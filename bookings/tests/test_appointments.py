import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.errors import NotBookable, SlotTaken
from bookings.models import Appointment, Client
from bookings.services.appointments import (
    appointment_cancel,
    appointment_create,
    appointment_reschedule,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _form(service, when, **extra):
    local = when.astimezone(service.business.tzinfo)
    data = {
        "service": service.pk,
        "client_email": "new.person@client.test",
        "client_name": "New Person",
        "client_phone": "",
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        "location_kind": "online",
        "notes": "",
    }
    data.update(extra)
    return data


def test_staff_book_an_appointment_for_a_new_client(owner_client, tenant, mailoutbox):
    service = factories.make_service(tenant.business)
    when = factories.next_local(tenant.business, hour=14)

    response = owner_client.post(reverse("bookings:appointment-create"), _form(service, when))

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:appointment-detail", args=[appointment.pk])
    assert appointment.start == when
    assert appointment.end == when + dt.timedelta(minutes=60)
    assert appointment.location_kind == "online"
    assert appointment.meeting_tool == "zoom"
    assert appointment.booked_by == tenant.owner
    assert appointment.client.name == "New Person"
    assert {addr for m in mailoutbox for addr in m.to} >= {
        "new.person@client.test",
        tenant.owner.email,
    }


def test_an_existing_client_is_found_by_email_and_keeps_their_name(owner_client, tenant):
    client = factories.make_client(tenant.business, name="Known Client", email="known@client.test")
    service = factories.make_service(tenant.business)

    owner_client.post(
        reverse("bookings:appointment-create"),
        _form(
            service,
            factories.next_local(tenant.business),
            client_email="KNOWN@client.test",
            client_name="",
        ),
    )

    assert Appointment.objects.get().client == client
    assert Client.objects.count() == 1


def test_double_booking_is_refused_naming_the_clash_and_keeping_the_form(owner_client, tenant):
    service = factories.make_service(tenant.business)
    when = factories.next_local(tenant.business, hour=10)
    factories.make_appointment(tenant.business, service=service, start=when)

    response = owner_client.post(
        reverse("bookings:appointment-create"),
        _form(
            service,
            when + dt.timedelta(minutes=30),
            client_name="Second Client",
            notes="please call",
        ),
    )

    assert response.status_code == 200
    assert "That time clashes with Coaching session with Ana Lopez" in response.text
    assert "10:00–11:00" in response.text
    assert 'value="Second Client"' in response.text
    assert "please call" in response.text
    assert Appointment.objects.count() == 1


def test_an_appointment_cannot_overlap_a_class_session(tenant):
    session = factories.make_session(tenant.business)

    with pytest.raises(SlotTaken, match="clashes with the class Morning Yoga"):
        factories.make_appointment(tenant.business, start=session.start + dt.timedelta(minutes=15))


def test_a_service_offered_both_ways_makes_staff_choose(owner_client, tenant):
    service = factories.make_service(tenant.business)

    response = owner_client.post(
        reverse("bookings:appointment-create"),
        _form(service, factories.next_local(tenant.business), location_kind=""),
    )

    assert "offered in person and online: choose one" in response.text
    assert not Appointment.objects.exists()


def test_a_service_offered_one_way_books_that_way(tenant):
    service = factories.make_service(tenant.business, online=False, meeting_tool="")

    with pytest.raises(NotBookable, match="not offered online"):
        factories.make_appointment(tenant.business, service=service, location_kind="online")
    appointment = factories.make_appointment(
        tenant.business, service=service, location_kind="in_person"
    )
    assert appointment.address == "1 High Street"


def test_booking_in_the_past_is_refused(tenant):
    with pytest.raises(NotBookable, match="already passed"):
        factories.make_appointment(tenant.business, start=timezone.now() - dt.timedelta(hours=1))


def test_rescheduling_moves_the_appointment_and_sends_an_updated_invite(
    staff_client, tenant, mailoutbox
):
    appointment = factories.make_appointment(tenant.business)
    mailoutbox.clear()
    new_local = factories.next_local(tenant.business, days=3, hour=15)

    response = staff_client.post(
        reverse("bookings:appointment-reschedule", args=[appointment.pk]),
        {"date": new_local.date().isoformat(), "time": "15:00", "location_kind": "in_person"},
    )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == new_local
    assert appointment.location_kind == "in_person"
    assert appointment.meeting_tool == ""
    assert appointment.sequence == 1
    client_mail = next(m for m in mailoutbox if m.to == [appointment.client.email])
    assert client_mail.subject.startswith("Changed:")


def test_rescheduling_onto_another_appointment_is_refused(tenant):
    service = factories.make_service(tenant.business)
    first = factories.make_appointment(
        tenant.business, service=service, start=factories.next_local(tenant.business, hour=9)
    )
    second = factories.make_appointment(
        tenant.business, service=service, start=factories.next_local(tenant.business, hour=11)
    )

    with pytest.raises(SlotTaken):
        appointment_reschedule(appointment=second, start=first.start + dt.timedelta(minutes=30))
    second.refresh_from_db()
    assert second.start == factories.next_local(tenant.business, hour=11)


def test_rescheduling_into_its_own_old_time_is_allowed(tenant):
    appointment = factories.make_appointment(tenant.business)

    moved = appointment_reschedule(
        appointment=appointment, start=appointment.start + dt.timedelta(minutes=30)
    )

    assert moved.start == appointment.start + dt.timedelta(minutes=30)


def test_cancelling_records_the_reason_and_frees_the_time(staff_client, tenant, mailoutbox):
    appointment = factories.make_appointment(tenant.business)
    mailoutbox.clear()

    staff_client.post(
        reverse("bookings:appointment-cancel", args=[appointment.pk]), {"reason": "Coach is ill"}
    )

    appointment.refresh_from_db()
    assert appointment.is_cancelled
    assert appointment.cancel_reason == "Coach is ill"
    assert appointment.cancelled_by == "staff"
    client_mail = next(m for m in mailoutbox if m.to == [appointment.client.email])
    assert "Coach is ill" in client_mail.body
    # The freed time can be booked again.
    factories.make_appointment(
        tenant.business, service=appointment.service, start=appointment.start
    )


def test_cancelling_twice_changes_nothing_the_second_time(tenant, mailoutbox):
    appointment = factories.make_appointment(tenant.business)
    appointment_cancel(appointment=appointment, reason="first")
    sent = len(mailoutbox)

    appointment_cancel(appointment=appointment, reason="second")

    appointment.refresh_from_db()
    assert appointment.cancel_reason == "first"
    assert len(mailoutbox) == sent


def test_staff_cannot_book_another_businesss_service(tenant, outsider):
    foreign_service = factories.make_service(outsider.business)

    with pytest.raises(NotBookable):
        appointment_create(
            business=tenant.business,
            service=foreign_service,
            client=factories.make_client(tenant.business),
            start=factories.next_local(tenant.business),
            location_kind="online",
        )


def test_the_appointment_form_only_offers_this_businesss_services(owner_client, tenant, outsider):
    factories.make_service(outsider.business, name="Foreign service")
    factories.make_service(tenant.business, name="Our service")

    page = owner_client.get(reverse("bookings:appointment-create")).text

    assert "Our service" in page
    assert "Foreign service" not in page


def test_the_longest_appointment_still_clashes_with_a_booking_near_its_end(tenant):
    # The clash query only reads starts from LONGEST_BOOKING before the new booking's start;
    # the longest service with the longest buffer must still be found from its last minutes.
    longest = factories.make_service(tenant.business, duration_minutes=720, buffer_minutes=240)
    start = factories.next_local(tenant.business, days=3, hour=0)
    factories.make_appointment(tenant.business, service=longest, start=start)
    short = factories.make_service(tenant.business, duration_minutes=15)

    with pytest.raises(SlotTaken):
        factories.make_appointment(
            tenant.business, service=short, start=start + dt.timedelta(minutes=720 + 225)
        )
    factories.make_appointment(
        tenant.business, service=short, start=start + dt.timedelta(minutes=720 + 240)
    )
