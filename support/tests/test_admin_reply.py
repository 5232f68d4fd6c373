"""Operators answer in the Django admin; the business sees the reply in its chat."""

import pytest
from django.test import override_settings
from django.urls import reverse

from support.models import SupportThread
from support.services import support_message_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(tenant) -> SupportThread:
    support_message_send(
        business=tenant.business, author=tenant.staff, body="How do I connect Zoom?"
    )
    return SupportThread.objects.get(business=tenant.business)


def _change_url(thread: SupportThread) -> str:
    return reverse("admin:support_supportthread_change", args=[thread.pk])


def _change_form_data(admin_client, thread: SupportThread, **fields: str) -> dict:
    """What the browser would post back: the form as rendered, inline management included."""
    context = admin_client.get(_change_url(thread)).context
    data = {"status": context["adminform"].form.initial["status"], "reply": ""}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[form.add_prefix(name)] = value
    data.update(fields)
    return data


@override_settings(SITE_URL="https://app.test")
def test_an_admin_reply_appears_in_the_chat_the_panel_polls(
    admin_client, admin_user, thread, owner_client, tenant, mailoutbox
):
    admin_user.first_name = "Mira"
    admin_user.save()
    mailoutbox.clear()
    data = _change_form_data(admin_client, thread, reply="Settings → Integrations, then Connect.")

    response = admin_client.post(_change_url(thread), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    reply = thread.messages.get(from_operator=True)
    assert reply.author == admin_user
    assert reply.operator_name == "Mira"
    thread.refresh_from_db()
    assert not thread.awaiting_reply
    fragment = owner_client.get(reverse("support:chat-messages"), {"rev": "1"})
    assert fragment.status_code == 200
    assert "Settings → Integrations, then Connect." in fragment.text
    assert "Mira" in fragment.text
    assert [m.to for m in mailoutbox] == [[tenant.owner.email]]
    assert "replied" in mailoutbox[0].subject
    assert "https://app.test/help/chat/" in mailoutbox[0].body


def test_an_operator_can_reply_and_close_in_one_save(admin_client, thread):
    data = _change_form_data(admin_client, thread, reply="Done, closing this.", status="closed")

    admin_client.post(_change_url(thread), data)

    thread.refresh_from_db()
    assert thread.status == "closed"
    assert thread.messages.filter(from_operator=True, body="Done, closing this.").exists()


def test_saving_without_a_reply_sends_nothing(admin_client, thread, mailoutbox):
    mailoutbox.clear()

    admin_client.post(_change_url(thread), _change_form_data(admin_client, thread))

    assert thread.messages.count() == 1
    assert mailoutbox == []


def test_a_too_long_reply_is_refused_on_the_admin_form(admin_client, thread):
    data = _change_form_data(admin_client, thread, reply="x" * 6000)

    response = admin_client.post(_change_url(thread), data)

    assert response.status_code == 200
    assert "the limit is" in response.text
    assert thread.messages.count() == 1


def test_the_admin_list_shows_unanswered_conversations_and_filters_them(
    admin_client, thread, outsider
):
    support_message_send(business=outsider.business, author=outsider.owner, body="Hi")
    answered = SupportThread.objects.get(business=outsider.business)
    answered.awaiting_reply = False
    answered.save()
    changelist = reverse("admin:support_supportthread_changelist")

    everything = admin_client.get(changelist).text
    unanswered = admin_client.get(changelist, {"awaiting_reply__exact": "1"}).text

    assert "Sunrise Yoga" in everything and "Harbor Tutoring" in everything
    assert "Unanswered" in everything
    assert "Sunrise Yoga" in unanswered and "Harbor Tutoring" not in unanswered
    assert admin_client.get(changelist, {"status__exact": "closed"}).status_code == 200


def test_the_conversation_history_is_read_only_in_the_admin(admin_client, thread):
    page = admin_client.get(_change_url(thread)).text

    assert "How do I connect Zoom?" in page
    assert 'name="messages-0-body"' not in page
    assert reverse("admin:support_supportthread_add") not in page
