"""The demo that `make run` seeds: its sign-in works in Chromium and shows a populated agenda."""

import pytest
from playwright.sync_api import expect

from bookings.demo import DEMO_EMAIL, DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_sign_in_shows_bookings_services_and_classes(page, live_server):
    seed_demo()

    page.goto(f"{live_server.url}/")
    page.get_by_label("E-mail address").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Agenda", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("row", name="Career coaching").first).to_be_visible()
    nav.get_by_role("link", name="Services").click()
    expect(page.get_by_role("row", name="Career coaching")).to_contain_text("Online (Zoom)")
    nav.get_by_role("link", name="Classes").click()
    expect(page.get_by_role("link", name="Morning Mindfulness")).to_be_visible()
    nav.get_by_role("link", name="Clients").click()
    expect(page.get_by_role("link", name="Ana Lopez")).to_be_visible()
