"""Connecting and removing Zoom in Chromium, over the Zoom sandbox (a real HTTP server)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import ClassSchedule, Service
from tests import factories
from tests.e2e.conftest import zoom_sign_in
from zoom.models import ZoomConnection

pytestmark = pytest.mark.django_db(transaction=True)


def _open_integrations(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Integrations").click()
    return page.locator("#zoom")


def test_option_1_connect_from_the_integrations_page(signed_in, zoom_live, tenant):
    page = signed_in
    card = _open_integrations(page)
    expect(card).to_contain_text("Not connected")
    card.get_by_role("button", name="Connect").click()

    zoom_sign_in(page)
    expect(page.get_by_text("Slotwise would like to access your Zoom account")).to_be_visible()
    page.get_by_role("button", name="Allow").click()

    card = page.locator("#zoom")
    expect(card).to_contain_text("Connected")
    expect(card).to_contain_text("host@sandbox.zoom.test")
    expect(card).to_contain_text(zoom_live.user("host@sandbox.zoom.test")["account_id"])
    expect(card).to_contain_text("Olive Owner")
    expect(card.get_by_role("link", name="Disconnect")).to_be_visible()


def test_option_2_a_half_filled_service_survives_the_round_trip(
    signed_in, live_server, zoom_live, tenant
):
    page = signed_in
    page.goto(f"{live_server.url}/catalog/services/new/")
    page.get_by_label("Name").fill("Portfolio review")
    page.get_by_label("Description").fill("We go through your work together.")
    page.get_by_label("Duration (minutes)").fill("40")
    page.get_by_label("Online", exact=True).check()
    expect(page.get_by_role("button", name="Connect Zoom")).to_be_hidden()  # no tool chosen yet
    page.get_by_label("Meeting tools").select_option(label="Zoom")
    page.get_by_role("button", name="Connect Zoom").click()

    zoom_sign_in(page)
    page.get_by_role("button", name="Allow").click()

    expect(page.get_by_text("Your unsaved changes are back")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Portfolio review")
    expect(page.get_by_label("Description")).to_have_value("We go through your work together.")
    expect(page.get_by_label("Duration (minutes)")).to_have_value("40")
    expect(page.get_by_label("Online", exact=True)).to_be_checked()
    expect(page.get_by_label("Meeting tools")).to_have_value("zoom")
    expect(page.get_by_role("button", name="Connect Zoom")).to_have_count(0)
    page.get_by_role("button", name="Save service").click()

    expect(page.get_by_text("Service “Portfolio review” added.")).to_be_visible()
    service = Service.objects.get(name="Portfolio review")
    assert (service.online, service.meeting_tool, service.duration_minutes) == (True, "zoom", 40)


def test_option_3_connect_from_the_class_schedule_step(signed_in, live_server, zoom_live, tenant):
    page = signed_in
    offering, _ = factories.make_class(tenant.business, name="Evening Flow", sessions=1)
    page.goto(f"{live_server.url}/catalog/classes/{offering.pk}/schedules/new/")
    first = timezone.localdate(timezone=tenant.business.tzinfo) + dt.timedelta(days=5)
    page.get_by_label("First date").fill(first.isoformat())
    page.get_by_label("Time").fill("19:45")
    page.get_by_role("spinbutton", name="Number of sessions").fill("6")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Meeting tool", exact=True).select_option(label="Zoom")
    page.get_by_role("button", name="Connect Zoom").click()

    zoom_sign_in(page)
    page.get_by_role("button", name="Allow").click()

    expect(page.get_by_text("Your unsaved changes are back")).to_be_visible()
    expect(page.get_by_label("Time")).to_have_value("19:45")
    expect(page.get_by_role("spinbutton", name="Number of sessions")).to_have_value("6")
    expect(page.get_by_label("Meeting tool", exact=True)).to_have_value("zoom")
    page.get_by_role("button", name="Create sessions").click()

    expect(page.get_by_text("6 sessions created")).to_be_visible()
    schedule = ClassSchedule.objects.get(offering=offering, start_time=dt.time(19, 45))
    assert (schedule.online, schedule.meeting_tool) == (True, "zoom")


def test_declining_in_zoom_leaves_zoom_unconnected_with_a_clear_message(
    signed_in, zoom_live, tenant
):
    page = signed_in
    _open_integrations(page).get_by_role("button", name="Connect").click()
    zoom_sign_in(page)
    page.get_by_role("button", name="Decline").click()

    expect(page.get_by_text("You declined in Zoom, so Zoom is not connected.")).to_be_visible()
    expect(page.locator("#zoom")).to_contain_text("Not connected")
    assert not ZoomConnection.objects.exists()


def test_request_access_then_admin_approval_then_connect_again(
    signed_in, live_server, zoom_live, tenant
):
    page = signed_in
    _open_integrations(page).get_by_role("button", name="Connect").click()
    zoom_sign_in(page, "member@restricted.zoom.test")
    page.get_by_role("button", name="Request Access").click()
    expect(page.get_by_text("Your admin was notified")).to_be_visible()

    # Nothing comes back from Zoom; the card explains what happened when we return.
    page.goto(f"{live_server.url}/settings/integrations/")
    card = page.locator("#zoom")
    expect(card).to_contain_text("did not come back from Zoom")
    expect(card).to_contain_text("Request Access")

    # The Zoom admin approves in Zoom.
    page.goto(f"{zoom_live.base_url}/")
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{zoom_live.base_url}/?next=/admin/app-requests")
    zoom_sign_in(page, "admin@restricted.zoom.test")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server.url}/settings/integrations/")
    page.locator("#zoom").get_by_role("button", name="Connect").click()
    zoom_sign_in(page, "member@restricted.zoom.test")
    page.get_by_role("button", name="Allow").click()

    card = page.locator("#zoom")
    expect(card).to_contain_text("Connected")
    expect(card).to_contain_text("member@restricted.zoom.test")
    expect(card).not_to_contain_text("did not come back from Zoom")


def test_disconnect_revokes_and_then_zoom_hears_nothing(signed_in, zoom_live, tenant):
    page = signed_in
    _open_integrations(page).get_by_role("button", name="Connect").click()
    zoom_sign_in(page)
    page.get_by_role("button", name="Allow").click()
    expect(page.locator("#zoom")).to_contain_text("Connected")
    before = zoom_live.last_seq()

    page.locator("#zoom").get_by_role("link", name="Disconnect").click()
    expect(page.get_by_text("only as booking history")).to_be_visible()
    page.get_by_role("button", name="Disconnect").click()

    expect(page.get_by_text("Zoom is disconnected.")).to_be_visible()
    expect(page.locator("#zoom")).to_contain_text("Not connected")
    # The echo of our own revoke arrives as a deauthorization webhook and changes nothing.
    zoom_live.wait_for_delivery("app_deauthorized")
    page.reload()
    expect(page.locator("#zoom")).to_contain_text("Not connected")
    assert [r["path"] for r in zoom_live.requests(since=before)] == ["/oauth/revoke"]


def test_removing_the_app_in_zoom_turns_the_card_to_not_connected(signed_in, zoom_live, tenant):
    page = signed_in
    _open_integrations(page).get_by_role("button", name="Connect").click()
    zoom_sign_in(page)
    page.get_by_role("button", name="Allow").click()
    expect(page.locator("#zoom")).to_contain_text("Connected")
    integrations = page.url

    page.goto(f"{zoom_live.base_url}/apps/installed")
    page.get_by_role("button", name="Remove").click()
    zoom_live.wait_for_delivery("app_deauthorized", predicate=lambda d: d["outcome"] == "delivered")

    page.goto(integrations)
    card = page.locator("#zoom")
    expect(card).to_contain_text("Not connected")
    expect(card).to_contain_text("the slotwise app was removed in zoom")
