import pytest
from icalendar import Calendar

from bookings.services.appointments import appointment_cancel, appointment_reschedule
from bookings.services.class_bookings import class_booking_create
from tests import factories

pytestmark = pytest.mark.django_db


def _client_mail(mailoutbox, email):
    return [m for m in mailoutbox if m.to == [email]]


def _event(message):
    name, content, mimetype = message.attachments[0]
    assert name == "invite.ics"
    calendar = Calendar.from_ical(content)
    return calendar, calendar.walk("VEVENT")[0], mimetype


def test_the_confirmation_has_text_html_the_secret_link_and_a_valid_invite(tenant, mailoutbox):
    appointment = factories.make_appointment(tenant.business, location_kind="in_person")

    [mail] = _client_mail(mailoutbox, appointment.client.email)

    link = f"http://127.0.0.1:8000/my/a/{appointment.token}/"
    assert mail.subject.startswith("Booked: Coaching session with Sunrise Yoga")
    assert link in mail.body
    html, mime = mail.alternatives[0]
    assert mime == "text/html" and link in html
    calendar, event, mimetype = _event(mail)
    assert "method=REQUEST" in mimetype
    assert calendar["method"] == "REQUEST"
    assert str(event["uid"]) == f"{appointment.uid}@slotwise"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == appointment.start
    assert event.decoded("dtend") == appointment.end
    assert str(event["location"]) == "1 High Street"
    assert str(event["url"]) == link
    assert str(event["status"]) == "CONFIRMED"


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(tenant, mailoutbox):
    appointment = factories.make_appointment(tenant.business)
    moved = appointment_reschedule(
        appointment=appointment, start=appointment.start.replace(hour=15)
    )

    first, second = _client_mail(mailoutbox, appointment.client.email)

    _, before, _ = _event(first)
    _, after, _ = _event(second)
    assert before["uid"] == after["uid"]
    assert (before["sequence"], after["sequence"]) == (0, 1)
    assert after.decoded("dtstart") == moved.start
    assert second.subject.startswith("Changed:")


def test_a_cancellation_is_a_calendar_cancel(tenant, mailoutbox):
    appointment = factories.make_appointment(tenant.business)
    appointment_cancel(appointment=appointment, reason="Closed for a holiday")

    cancelled = _client_mail(mailoutbox, appointment.client.email)[-1]

    calendar, event, mimetype = _event(cancelled)
    assert calendar["method"] == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 1
    assert "method=CANCEL" in mimetype
    assert "Closed for a holiday" in cancelled.body


def test_staff_are_told_of_new_bookings_without_the_clients_secret_link(tenant, mailoutbox):
    appointment = factories.make_appointment(tenant.business)

    staff_mail = [m for m in mailoutbox if tenant.owner.email in m.to]

    assert len(staff_mail) == 1
    assert set(staff_mail[0].to) == {tenant.owner.email, tenant.staff.email}
    assert staff_mail[0].subject.startswith("New booking: Coaching session with Ana Lopez")
    assert appointment.token not in staff_mail[0].body


def test_class_booking_mail_uses_the_clients_own_time_zone(tenant, mailoutbox):
    session = factories.make_session(tenant.business)
    customer = factories.make_client(tenant.business, timezone="America/Los_Angeles")
    booking = class_booking_create(session=session, client=customer)

    [mail] = _client_mail(mailoutbox, customer.email)

    local = session.start.astimezone(customer.zone(tenant.business))
    assert f"{local:%H:%M}" in mail.body and "America/Los_Angeles" in mail.body
    assert f"/my/c/{booking.token}/" in mail.body
    _, event, _ = _event(mail)
    assert str(event["uid"]) == f"{booking.uid}@slotwise"
