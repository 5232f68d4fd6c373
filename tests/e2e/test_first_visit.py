"""A new business signs up in Chromium, lands on its agenda and walks the menu."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_lands_on_the_agenda_and_every_menu_item_opens(page, live_server):
    page.goto(f"{live_server.url}/signup/")
    page.get_by_label("Business name").fill("Willow Pilates")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("Your name").fill("Wren Willow")
    page.get_by_label("E-mail").fill("wren@willow.test")
    page.get_by_label("Password").fill("a very long passphrase")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Agenda", level=1)).to_be_visible()
    expect(page.get_by_text("Willow Pilates").first).to_be_visible()

    nav = page.get_by_role("navigation", name="Main")
    menu = [link.inner_text() for link in nav.locator("ul").first.get_by_role("link").all()]
    assert menu == [
        "Agenda",
        "Services",
        "Classes",
        "Appointments",
        "Class sessions",
        "Clients",
        "Settings",
        "Business",
        "Opening hours",
        "Team",
        "Integrations",
    ]
    for label in menu:
        nav.get_by_role("link", name=label, exact=True).click()
        expect(page).not_to_have_title(re.compile("Not found|Something went wrong"))
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_the_menu_collapses_behind_a_button_on_a_phone(page, live_server, tenant):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(tenant.owner.email)
    page.get_by_label("Password").fill(tenant.password)
    page.get_by_role("button", name="Sign in").click()

    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(nav).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
