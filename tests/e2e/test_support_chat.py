"""The support chat in Chromium: open it from the Zoom help page, write, see the reply arrive."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from support.models import SupportThread
from support.services import support_reply_send

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_support_reply_appears_in_the_open_chat_panel_without_a_reload(
    signed_in, live_server, tenant, mailoutbox
):
    page = signed_in
    page.goto(f"{live_server.url}/help/zoom/")
    expect(page.get_by_role("heading", name="Zoom integration", level=1)).to_be_visible()
    page.evaluate("window.notReloaded = true")

    chat_button = page.get_by_role("button", name="Chat with support")
    chat_button.click()
    panel = page.get_by_role("dialog", name="Chat with support")
    expect(panel).to_be_visible()
    expect(chat_button).to_have_attribute("aria-expanded", "true")
    message = panel.get_by_role("textbox", name="Message")
    expect(message).to_be_focused()

    message.fill("Zoom shows Request Access. What now?")
    panel.get_by_role("button", name="Send").click()

    conversation = panel.get_by_label("Conversation with support")
    expect(conversation).to_contain_text("Zoom shows Request Access. What now?")
    expect(message).to_have_value("")
    expect(message).to_be_focused()
    assert [m.to for m in mailoutbox] != []  # the operators heard about it

    operator = User.objects.create_superuser("mira@slotwise.test", "pw", first_name="Mira")
    support_reply_send(
        thread=SupportThread.objects.get(business=tenant.business),
        author=operator,
        body="Your Zoom admin must approve Slotwise; then press Connect again.",
    )

    # The open panel polls every 5 seconds; give it a few rounds rather than sleeping.
    expect(conversation).to_contain_text("Your Zoom admin must approve Slotwise", timeout=15_000)
    expect(conversation).to_contain_text("Mira")
    assert page.evaluate("window.notReloaded") is True

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(chat_button).to_be_focused()
    expect(chat_button).to_have_attribute("aria-expanded", "false")
