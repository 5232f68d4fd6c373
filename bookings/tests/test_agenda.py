import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_agenda_shows_appointments_and_sessions_by_day(owner_client, tenant):
    appointment = factories.make_appointment(
        tenant.business, start=factories.next_local(tenant.business, days=1, hour=13)
    )
    session = factories.make_session(tenant.business)
    day = appointment.start.astimezone(tenant.business.tzinfo).date()

    page = owner_client.get(
        reverse("bookings:agenda"), {"view": "day", "date": day.isoformat()}
    ).text

    assert "Coaching session" in page and "Ana Lopez" in page and "13:00–14:00" in page
    assert "Morning Yoga" in page and "0 of 8 booked" in page
    assert reverse("bookings:appointment-detail", args=[appointment.pk]) in page
    assert reverse("bookings:session-detail", args=[session.pk]) in page


def test_the_week_view_lists_seven_days_and_pages_by_week(owner_client, tenant):
    page = owner_client.get(reverse("bookings:agenda"), {"view": "week", "date": "2030-06-05"}).text

    assert "Monday 3 June" in page and "Sunday 9 June" in page
    assert "date=2030-06-10" in page and "date=2030-05-27" in page


def test_cancelled_appointments_leave_the_agenda(owner_client, tenant):
    from bookings.services.appointments import appointment_cancel

    appointment = factories.make_appointment(tenant.business)
    appointment_cancel(appointment=appointment)
    day = appointment.start.astimezone(tenant.business.tzinfo).date()

    page = owner_client.get(
        reverse("bookings:agenda"), {"view": "day", "date": day.isoformat()}
    ).text

    assert "Ana Lopez" not in page


def test_another_businesss_bookings_never_show(owner_client, tenant, outsider):
    theirs = factories.make_appointment(
        outsider.business, client=factories.make_client(outsider.business, name="Their Client")
    )
    day = theirs.start.astimezone(tenant.business.tzinfo).date()

    page = owner_client.get(
        reverse("bookings:agenda"), {"view": "week", "date": day.isoformat()}
    ).text

    assert "Their Client" not in page
