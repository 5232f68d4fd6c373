"""The support chat as a business member uses it: the panel's fragments and the full page."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from support.models import SupportMessage, SupportThread
from support.services import (
    MESSAGE_MAX_LENGTH,
    support_message_send,
    support_reply_send,
    support_thread_set_status,
)

pytestmark = pytest.mark.django_db

CHAT = reverse("support:chat")
MESSAGES = reverse("support:chat-messages")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def operator(db):
    return User.objects.create_superuser("mira@slotwise.test", "pw", first_name="Mira")


@override_settings(
    SUPPORT_EMAILS=["help@slotwise.test", "oncall@slotwise.test"], SITE_URL="https://app.test"
)
def test_sending_a_message_stores_it_and_emails_the_support_operators(
    staff_client, tenant, mailoutbox
):
    response = staff_client.post(CHAT, {"body": "  Zoom says Request Access. Now what?  "}, **HTMX)

    assert response.status_code == 200
    message = SupportMessage.objects.get()
    assert message.body == "Zoom says Request Access. Now what?"
    assert message.author == tenant.staff
    assert not message.from_operator
    thread = message.thread
    assert thread.business == tenant.business
    assert thread.awaiting_reply and thread.status == "open"
    # The fragment is the updated list, plus an empty form swapped in out of band.
    assert 'id="support-messages"' in response.text
    assert "Zoom says Request Access. Now what?" in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["help@slotwise.test", "oncall@slotwise.test"]
    assert "Sunrise Yoga" in mail.subject
    assert "Zoom says Request Access. Now what?" in mail.body
    assert tenant.staff.email in mail.body
    assert f"https://app.test/admin/support/supportthread/{thread.pk}/change/" in mail.body


def test_without_javascript_a_message_is_posted_and_the_page_redirects(owner_client):
    response = owner_client.post(CHAT, {"body": "Hello from a browser without scripts"})

    assert response.status_code == 302
    assert response["Location"] == CHAT
    page = owner_client.get(CHAT).text
    assert "Hello from a browser without scripts" in page
    assert "Message sent." in page


def test_an_empty_message_is_refused_with_a_clear_error(owner_client, mailoutbox):
    response = owner_client.post(CHAT, {"body": "   \n  "}, **HTMX)

    assert response.status_code == 200
    assert "Write a message before sending." in response.text
    assert not SupportMessage.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("htmx", [True, False])
def test_a_too_long_message_is_refused_and_the_typed_text_is_kept(owner_client, htmx):
    typed = "word " * (MESSAGE_MAX_LENGTH // 5) + "and the end of it"

    response = owner_client.post(CHAT, {"body": typed}, **(HTMX if htmx else {}))

    assert response.status_code == 200
    assert f"the limit is {MESSAGE_MAX_LENGTH:,}" in response.text
    assert typed.strip() in response.text
    assert 'aria-invalid="true"' in response.text
    assert not SupportMessage.objects.exists()


def test_messages_are_shown_escaped(owner_client, tenant):
    support_message_send(
        business=tenant.business, author=tenant.owner, body="<script>alert(1)</script>"
    )

    response = owner_client.get(MESSAGES)

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_the_poll_answers_no_content_until_the_conversation_changes(owner_client, tenant, operator):
    support_message_send(business=tenant.business, author=tenant.owner, body="Question")
    first = owner_client.get(MESSAGES)
    assert 'name="rev" value="1"' in first.text

    assert owner_client.get(MESSAGES, {"rev": "1"}).status_code == 204

    thread = SupportThread.objects.get()
    support_reply_send(thread=thread, author=operator, body="Answer from Mira")
    changed = owner_client.get(MESSAGES, {"rev": "1"})
    assert changed.status_code == 200
    assert "Answer from Mira" in changed.text
    assert 'name="rev" value="2"' in changed.text


def test_the_chat_button_shows_unread_replies_until_the_conversation_is_opened(
    owner_client, staff_client, tenant, operator
):
    support_message_send(business=tenant.business, author=tenant.owner, body="Question")
    support_reply_send(thread=SupportThread.objects.get(), author=operator, body="Answer")
    agenda = reverse("bookings:agenda")

    before = owner_client.get(agenda).text
    assert 'class="badge badge-bad support-chat-badge">1<' in before

    owner_client.get(MESSAGES)  # the panel opens and loads the conversation

    after = owner_client.get(agenda).text
    assert 'support-chat-badge" hidden>' in after


def test_a_closed_conversation_reopens_when_the_business_writes_again(
    owner_client, tenant, operator
):
    support_message_send(business=tenant.business, author=tenant.owner, body="Question")
    thread = support_thread_set_status(thread=SupportThread.objects.get(), status="closed")
    assert "marked as resolved" in owner_client.get(MESSAGES).text

    owner_client.post(CHAT, {"body": "One more thing"}, **HTMX)

    thread.refresh_from_db()
    assert thread.status == "open" and thread.awaiting_reply


def test_staff_of_another_business_never_see_the_conversation(
    owner_client, tenant, outsider, client
):
    owner_client.post(CHAT, {"body": "Sunrise Yoga's private question"}, **HTMX)
    client.force_login(outsider.owner)

    for url in (CHAT, MESSAGES, reverse("support:zoom-help")):
        assert "private question" not in client.get(url).text
    client.post(CHAT, {"body": "Harbor's own question"}, **HTMX)

    threads = {t.business_id: t for t in SupportThread.objects.all()}
    assert [m.body for m in threads[outsider.business.pk].messages.all()] == [
        "Harbor's own question"
    ]
    assert [m.body for m in threads[tenant.business.pk].messages.all()] == [
        "Sunrise Yoga's private question"
    ]


def test_a_business_member_cannot_open_a_conversation_in_the_admin(owner_client, tenant):
    support_message_send(business=tenant.business, author=tenant.owner, body="Question")
    thread = SupportThread.objects.get()

    response = owner_client.get(reverse("admin:support_supportthread_change", args=[thread.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def _fill(tenant, operator, total: int) -> None:
    thread = SupportThread.objects.filter(business=tenant.business).first()
    have = thread.messages.count() if thread else 0
    authors = [tenant.owner, tenant.staff]
    for n in range(have, total):
        if n % 3 == 2:
            support_reply_send(thread=SupportThread.objects.get(), author=operator, body=f"A{n}")
        else:
            support_message_send(business=tenant.business, author=authors[n % 2], body=f"Q{n}")


@pytest.mark.parametrize("url", [MESSAGES, CHAT])
def test_the_chat_makes_the_same_number_of_queries_for_1_and_30_messages(
    owner_client, tenant, operator, url
):
    def count() -> int:
        # Read state differs between the first and later loads; compare like with like.
        owner_client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = owner_client.get(url)
        assert response.status_code == 200
        return len(captured)

    _fill(tenant, operator, 1)
    one = count()
    _fill(tenant, operator, 30)
    thirty = count()

    assert one == thirty


@pytest.mark.django_db(transaction=True)
def test_the_operator_email_is_sent_by_the_worker_not_the_request(owner_client, mailoutbox):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        owner_client.post(CHAT, {"body": "Queued, not sent inline"}, **HTMX)

        assert mailoutbox == []
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "support.tasks.support_operators_notify"

        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    assert [m.subject for m in mailoutbox] == [
        "Support chat: Sunrise Yoga wrote “Queued, not sent inline”"
    ]


def test_posting_a_message_without_the_csrf_token_is_refused(tenant):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(tenant.owner)

    response = browser.post(CHAT, {"body": "forged"}, **HTMX)

    assert response.status_code == 403
    assert not SupportMessage.objects.exists()
