import datetime as dt

import pytest
from django.utils import timezone

from bookings.models import Appointment, ClassSession
from bookings.reminders import reminders_send
from bookings.services.class_bookings import class_booking_create
from meetings.models import OnlineMeeting
from tests import factories

pytestmark = pytest.mark.django_db


def _age(model, pk, days):
    model.objects.filter(pk=pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def test_a_reminder_goes_out_once_inside_the_lead_time(tenant, mailoutbox):
    appointment = factories.make_appointment(
        tenant.business, start=timezone.now() + dt.timedelta(hours=20)
    )
    _age(Appointment, appointment.pk, 5)
    mailoutbox.clear()

    assert reminders_send() == 1
    assert reminders_send() == 0

    [mail] = mailoutbox
    assert mail.to == [appointment.client.email] and mail.subject.startswith("Reminder:")


def test_bookings_made_inside_the_lead_time_are_not_reminded(tenant, mailoutbox):
    factories.make_appointment(tenant.business, start=timezone.now() + dt.timedelta(hours=20))
    mailoutbox.clear()

    reminders_send()

    assert mailoutbox == []


def test_an_online_reminder_carries_the_join_link(zoom_connected, tenant, mailoutbox):
    appointment = factories.make_appointment(
        tenant.business, start=timezone.now() + dt.timedelta(hours=10)
    )
    _age(Appointment, appointment.pk, 3)
    mailoutbox.clear()

    reminders_send()

    link = OnlineMeeting.objects.get(appointment=appointment).join_url
    assert link and link in mailoutbox[0].body


def test_class_reminders_go_to_every_seat_of_the_session(tenant, mailoutbox):
    session = factories.make_session(tenant.business)
    ClassSession.objects.filter(pk=session.pk).update(
        start=timezone.now() + dt.timedelta(hours=5), end=timezone.now() + dt.timedelta(hours=6)
    )
    session.refresh_from_db()
    bookings = [
        class_booking_create(
            session=session, client=factories.make_client(tenant.business, name=f"C{n}")
        )
        for n in range(3)
    ]
    from bookings.models import ClassBooking

    ClassBooking.objects.filter(session=session).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    mailoutbox.clear()

    assert reminders_send() == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(b.client.email for b in bookings)


def test_rescheduling_re_arms_the_reminder(tenant):
    from bookings.services.appointments import appointment_reschedule

    appointment = factories.make_appointment(
        tenant.business, start=timezone.now() + dt.timedelta(hours=20)
    )
    _age(Appointment, appointment.pk, 5)
    reminders_send()

    appointment_reschedule(appointment=appointment, start=appointment.start + dt.timedelta(days=2))

    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is None
