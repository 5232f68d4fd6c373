"""Online meetings in Chromium over the Zoom sandbox: Join Meeting for staff and clients,
kept in step with the booking, and history kept after Disconnect."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections
from django.test import override_settings
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from bookings.services.appointments import appointment_cancel, appointment_reschedule
from bookings.services.class_bookings import class_booking_create
from meetings.models import OnlineMeeting
from tests import factories
from tests.background import DATABASE_TASKS
from tests.e2e.conftest import zoom_sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(page, live_server):
    page.goto(f"{live_server.url}/settings/integrations/")
    page.locator("#zoom").get_by_role("button", name="Connect").click()
    zoom_sign_in(page)
    page.get_by_role("button", name="Allow").click()
    expect(page.locator("#zoom")).to_contain_text("Connected")


def _live(zoom):
    return [m for m in zoom.meetings() if not m["deleted"]]


@pytest.fixture
def worker():
    """A real database-backed worker, running in a thread for the length of the test."""
    runner = Worker(
        queue_names=["default"], interval=0.05, batch=False, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="e2e-worker", excluded_queue_names=[],
    )  # fmt: skip

    def run():
        try:
            runner.run()
        finally:
            close_old_connections()

    with override_settings(TASKS=DATABASE_TASKS):
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        yield runner
        runner.running = False
        thread.join(timeout=5)


def test_a_booking_shows_preparing_then_join_meeting_without_a_reload(
    signed_in, live_server, zoom_live, tenant, worker
):
    page = signed_in
    _connect(page, live_server)
    zoom_live.add_fault(
        "latency", latency_ms=2500, count=1, method="POST", path="/v2/users/me/meetings"
    )
    appointment = factories.make_appointment(tenant.business)
    # The client's page, in a browser context of its own (no staff session).
    other = page.context.browser.new_context()
    client_page = other.new_page()

    client_page.goto(f"{live_server.url}/my/a/{appointment.token}/")
    page.goto(f"{live_server.url}/appointments/{appointment.pk}/")
    expect(client_page.get_by_text("Preparing your Zoom meeting…")).to_be_visible()
    expect(page.get_by_text("Preparing your Zoom meeting…")).to_be_visible()
    expect(page.get_by_role("link", name="Join Meeting")).to_be_visible(timeout=10_000)
    expect(client_page.get_by_role("link", name="Join Meeting")).to_be_visible(timeout=10_000)

    meeting = OnlineMeeting.objects.get(appointment=appointment)
    [zoom_meeting] = _live(zoom_live)
    for tab in (page, client_page):
        join = tab.get_by_role("link", name="Join Meeting")
        expect(join).to_have_attribute("href", zoom_meeting["join_url"])
        expect(tab.locator(".passcode")).to_have_text(meeting.passcode)
    expect(page.get_by_role("button", name="Start meeting")).to_be_visible()
    expect(client_page.get_by_role("button", name="Start meeting")).to_have_count(0)
    other.close()


def test_reschedule_moves_and_cancel_deletes_the_sandbox_meeting(
    signed_in, live_server, zoom_live, tenant
):
    page = signed_in
    _connect(page, live_server)
    appointment = factories.make_appointment(
        tenant.business, start=factories.next_local(tenant.business, days=3, hour=10)
    )
    [before] = _live(zoom_live)

    page.goto(f"{live_server.url}/appointments/{appointment.pk}/")
    page.get_by_role("link", name="Reschedule or change location").click()
    page.get_by_label("New time").fill("16:00")
    page.get_by_role("button", name="Save change").click()
    expect(page.get_by_text("Appointment changed")).to_be_visible()

    [after] = _live(zoom_live)
    moved = factories.next_local(tenant.business, days=3, hour=16)
    assert after["id"] == before["id"] and after["join_url"] == before["join_url"]
    assert after["start_time"] == moved.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    expect(page.get_by_role("link", name="Join Meeting")).to_have_attribute(
        "href", before["join_url"]
    )

    page.get_by_role("link", name="Cancel appointment").click()
    page.get_by_role("button", name="Cancel appointment").click()
    expect(page.get_by_text("Appointment cancelled")).to_be_visible()
    assert _live(zoom_live) == []


def test_ten_sessions_get_ten_meetings_and_the_class_booking_page_shows_its_own(
    page, live_server, zoom_live, tenant, settings, client
):
    from tests import zoom_flow

    settings.MEETINGS_SESSION_WINDOW_DAYS = 90
    client.force_login(tenant.owner)
    zoom_flow.connect(client, zoom_live)
    offering, _ = factories.make_class(tenant.business, sessions=10, online=True)
    sessions = list(offering.sessions.order_by("start"))
    booking = class_booking_create(
        session=sessions[3], client=factories.make_client(tenant.business)
    )

    live = _live(zoom_live)
    assert (
        len(live) == 10
        and len({m["id"] for m in live}) == 10
        and len({m["join_url"] for m in live}) == 10
    )

    page.goto(f"{live_server.url}/my/c/{booking.token}/")
    link = OnlineMeeting.objects.get(session=sessions[3]).join_url
    expect(page.get_by_role("link", name="Join Meeting")).to_have_attribute("href", link)


def test_after_disconnect_links_remain_and_zoom_hears_nothing(
    signed_in, live_server, zoom_live, tenant
):
    page = signed_in
    _connect(page, live_server)
    appointment = factories.make_appointment(tenant.business)
    link = OnlineMeeting.objects.get(appointment=appointment).join_url

    page.goto(f"{live_server.url}/settings/integrations/")
    page.locator("#zoom").get_by_role("link", name="Disconnect").click()
    page.get_by_role("button", name="Disconnect").click()
    expect(page.locator("#zoom")).to_contain_text("Not connected")
    zoom_live.wait_for_delivery("app_deauthorized")
    before = zoom_live.last_seq()

    appointment_reschedule(appointment=appointment, start=appointment.start + dt.timedelta(hours=3))
    page.goto(f"{live_server.url}/appointments/{appointment.pk}/")
    expect(page.get_by_role("link", name="Join Meeting")).to_have_attribute("href", link)
    expect(page.get_by_text("kept as history")).to_be_visible()
    appointment_cancel(appointment=appointment)

    assert zoom_live.requests(since=before) == []
    assert len(_live(zoom_live)) == 1, "the meeting stays in Zoom"
