"""The Zoom help page tells the guide's story, and every staff page carries the chat button."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HELP = reverse("support:zoom-help")


def _text(html: str) -> str:
    """The page as words: inline tags dropped, block tags made spaces, whitespace collapsed."""
    html = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_help_page_has_the_anchors_other_pages_link_to(staff_client):
    html = staff_client.get(HELP).text

    for anchor in ("connect", "request-access", "disconnect", "troubleshooting"):
        assert f'id="{anchor}"' in html


def test_the_help_page_walks_through_the_three_ways_to_connect(staff_client):
    text = _text(staff_client.get(HELP).text)

    assert "Option 1: from Settings → Integrations (recommended)" in text
    assert "On the Zoom card, press Connect" in text
    assert "Request Access" in text
    assert "Go to Catalog → Services and press Add new" in text
    assert "Under Meeting locations, tick Online" in text
    assert "Choose Zoom in the Meeting tools list" in text
    assert "Press Connect Zoom and approve Slotwise in Zoom" in text
    assert "save the service" in text
    assert "Go to Catalog → Classes and press Add Class" in text
    assert "continue to the schedule step" in text
    assert "Under Locations, select Online" in text
    assert "Choose Zoom in the Meeting tool list" in text
    assert "finish creating the schedule" in text


def test_the_help_page_covers_using_removing_data_and_troubleshooting(staff_client):
    text = _text(staff_client.get(HELP).text)

    assert "Join Meeting" in text
    assert "Online appointments" in text and "Online classes and group sessions" in text
    assert "On the Zoom card, press Disconnect" in text
    assert "can no longer create Zoom meetings" in text
    assert "stay in your Zoom account" in text
    assert "only as booking history" in text
    assert "makes no further calls to Zoom" in text
    assert "correct Zoom account" in text
    assert "Zoom admin has approved Slotwise, come back and press Connect again" in text
    assert "Disconnect and reconnect the integration" in text
    assert "contact support with the chat button on this page" in text


def test_the_help_page_offers_the_support_chat_prominently(staff_client):
    html = staff_client.get(HELP).text

    assert re.search(
        r'<a class="button" href="/help/chat/" data-support-open>Contact support</a>', html
    )
    assert 'id="support-chat-panel"' in html


@pytest.mark.parametrize(
    "url_name",
    ["bookings:agenda", "catalog:service-list", "accounts:settings", "support:zoom-help"],
)
def test_every_staff_page_has_the_chat_button(owner_client, url_name):
    html = owner_client.get(reverse(url_name)).text

    assert html.count('id="support-chat-button"') == 1
    assert 'href="/help/chat/"' in html


def test_the_chat_page_itself_has_no_second_chat_panel(owner_client):
    html = owner_client.get(reverse("support:chat")).text

    assert 'id="support-chat-panel"' not in html
    assert html.count('id="support-form"') == 1


def test_people_who_are_signed_out_or_on_public_pages_get_no_chat_button(client, tenant):
    assert "support-chat-button" not in client.get(reverse("accounts:login")).text
    public = reverse("bookings:public-home", args=[tenant.business.slug])
    assert "support-chat-button" not in client.get(public).text

    client.force_login(tenant.owner)
    assert "support-chat-button" not in client.get(public).text
