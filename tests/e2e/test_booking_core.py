"""The booking core in Chromium: catalog, appointments, public booking, refusals."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Appointment
from bookings.services.class_bookings import class_booking_create
from catalog.models import Service
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_a_service_with_online_and_zoom(signed_in, live_server, tenant):
    page = signed_in
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Services").click()
    page.get_by_role("link", name="Add new").click()
    page.get_by_label("Name").fill("Mentoring")
    page.get_by_label("Duration (minutes)").fill("45")
    expect(page.get_by_label("Meeting tools")).to_be_hidden()
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Meeting tools").select_option(label="Zoom")
    page.get_by_role("button", name="Save service").click()

    expect(page.get_by_text("Service “Mentoring” added.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Mentoring"))).to_contain_text("Online (Zoom)")
    service = Service.objects.get(name="Mentoring")
    assert (service.online, service.meeting_tool, service.duration_minutes) == (True, "zoom", 45)


def test_add_a_class_with_a_weekly_schedule_and_see_its_sessions(signed_in, live_server, tenant):
    page = signed_in
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Classes").click()
    page.get_by_role("link", name="Add Class").click()
    page.get_by_label("Name").fill("Lunchtime Pilates")
    page.get_by_label("Duration (minutes)").fill("50")
    page.get_by_label("Capacity (seats per session)").fill("6")
    page.get_by_role("button", name="Continue to schedule").click()

    first = timezone.localdate(timezone=tenant.business.tzinfo) + dt.timedelta(days=2)
    page.get_by_label("First date").fill(first.isoformat())
    page.get_by_label("Time").fill("12:15")
    page.get_by_label("Weekly").check()
    page.get_by_label(first.strftime("%A")).check()
    page.get_by_role("spinbutton", name="Number of sessions").fill("5")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Meeting tool", exact=True).select_option(label="Zoom")
    expect(page.locator("#schedule-preview")).to_contain_text("Create 5 sessions")
    page.get_by_role("button", name="Create sessions").click()

    expect(page.get_by_text("Schedule saved: 5 sessions created.")).to_be_visible()
    rows = page.get_by_role("row").filter(has_text="0 / 6")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("12:15")


def test_staff_create_reschedule_and_cancel_an_appointment(signed_in, live_server, tenant):
    page = signed_in
    factories.make_service(tenant.business, name="Consultation", in_person=False, address="")
    when = factories.next_local(tenant.business, days=3, hour=10)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Appointments").click()
    page.get_by_role("link", name="New appointment").click()
    page.get_by_label("Service").select_option(label="Consultation")
    page.get_by_label("Client e-mail").fill("maria@client.test")
    page.get_by_label("Client name").fill("Maria Rossi")
    page.get_by_label("Date").fill(when.date().isoformat())
    page.get_by_label("Time").fill("10:00")
    page.get_by_role("button", name="Book appointment").click()
    expect(page.get_by_role("heading", name="Consultation with Maria Rossi")).to_be_visible()
    expect(page.get_by_text("10:00–11:00")).to_be_visible()

    page.get_by_role("link", name="Reschedule or change location").click()
    page.get_by_label("New time").fill("14:30")
    page.get_by_role("button", name="Save change").click()
    expect(page.get_by_text("Appointment changed")).to_be_visible()
    expect(page.get_by_text("14:30–15:30")).to_be_visible()

    page.get_by_role("link", name="Cancel appointment").click()
    page.get_by_label("Reason").fill("Client asked by phone")
    page.get_by_role("button", name="Cancel appointment").click()
    expect(page.get_by_text("Appointment cancelled; the client has been told.")).to_be_visible()
    expect(page.get_by_text("Client asked by phone")).to_be_visible()
    assert Appointment.objects.get().is_cancelled


def test_a_double_booking_is_refused_with_a_clear_message(signed_in, live_server, tenant):
    page = signed_in
    service = factories.make_service(
        tenant.business, name="Consultation", in_person=False, address=""
    )
    taken = factories.make_appointment(
        tenant.business,
        service=service,
        start=factories.next_local(tenant.business, days=2, hour=9),
    )

    page.goto(f"{live_server.url}/appointments/new/")
    page.get_by_label("Service").select_option(label="Consultation")
    page.get_by_label("Client e-mail").fill("late@client.test")
    page.get_by_label("Client name").fill("Late Larry")
    page.get_by_label("Date").fill(taken.start.date().isoformat())
    page.get_by_label("Time").fill("09:30")
    page.get_by_role("button", name="Book appointment").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "That time clashes with Consultation with Ana Lopez"
    )
    expect(page.get_by_label("Client name")).to_have_value("Late Larry")


def test_a_client_books_a_service_and_a_class_seat_on_the_public_page(page, live_server, tenant):
    factories.open_all_week(tenant.business)
    factories.make_service(
        tenant.business, name="Discovery call", in_person=False, address="", duration_minutes=30
    )
    session = factories.make_session(tenant.business, name="Evening Yoga", capacity=3)

    page.goto(f"{live_server.url}/b/{tenant.business.slug}/?tz=America/New_York")
    expect(page.get_by_role("heading", name="Sunrise Yoga")).to_be_visible()
    page.get_by_role("link", name="See times for Discovery call").click()
    page.get_by_role("link", name="Later ›").click()
    page.locator(".slot-list a").first.click()
    page.get_by_label("Your name").fill("Nora Client")
    page.get_by_label("E-mail").fill("nora@client.test")
    page.get_by_role("button", name="Book").click()

    expect(page.get_by_text("You're booked.")).to_be_visible()
    expect(page.get_by_text("Discovery call with Sunrise Yoga")).to_be_visible()
    expect(page.get_by_text("America/New_York").first).to_be_visible()
    expect(page.get_by_role("heading", name="Online meeting")).to_be_visible()

    page.goto(f"{live_server.url}/b/{tenant.business.slug}/")
    page.get_by_role("link", name=re.compile("Book a seat in Evening Yoga")).click()
    page.get_by_label("Your name").fill("Nora Client")
    page.get_by_label("E-mail").fill("nora@client.test")
    page.get_by_role("button", name="Book a seat").click()
    expect(page.get_by_text("You're booked.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your seat")).to_be_visible()
    session.refresh_from_db()
    assert session.booked_count == 1


def test_a_full_class_is_refused_with_a_clear_message(page, live_server, tenant):
    session = factories.make_session(tenant.business, name="Tiny Class", capacity=1)
    url = f"{live_server.url}/b/{tenant.business.slug}/c/{session.uid}/"
    page.goto(url)
    class_booking_create(
        session=session, client=factories.make_client(tenant.business)
    )  # someone else was faster

    page.get_by_label("Your name").fill("Slow Sam")
    page.get_by_label("E-mail").fill("sam@client.test")
    page.get_by_role("button", name="Book a seat").click()

    expect(page.get_by_role("alert")).to_contain_text("Sorry, this session is full")
    expect(page.get_by_label("Your name")).to_have_value("Slow Sam")
