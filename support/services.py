"""Writes for the support chat. Views and the admin call these; nothing else saves a message."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Business, User
from support.models import SupportMessage, SupportThread
from support.tasks import support_operators_notify, support_owners_notify

MESSAGE_MAX_LENGTH = 5000
OPERATOR_FALLBACK_NAME = "Slotwise support"


def support_message_body_clean(body: str) -> str:
    """Return the message text trimmed, or raise ValidationError saying what to fix."""
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write a message before sending.", code="required")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            f"This message is {len(body):,} characters long; the limit is "
            f"{MESSAGE_MAX_LENGTH:,}. Shorten it or send it in two parts.",
            code="max_length",
        )
    return body


def _thread_locked(business: Business) -> SupportThread:
    # The row lock serialises concurrent writes to one conversation so its counters and
    # last_message_at stay right; get_or_create copes with two first messages racing.
    thread, _created = SupportThread.objects.select_for_update().get_or_create(business=business)
    return thread


def support_message_send(*, business: Business, author: User, body: str) -> SupportMessage:
    """Post a member's message to the business's conversation and alert the operators."""
    try:
        body = support_message_body_clean(body)
    except ValidationError as exc:
        raise ValidationError({"body": exc.error_list}) from exc
    with transaction.atomic():
        thread = _thread_locked(business)
        message = SupportMessage.objects.create(thread=thread, author=author, body=body)
        thread.status = SupportThread.Status.OPEN  # writing again reopens a closed one
        thread.awaiting_reply = True
        thread.last_message_at = message.created_at
        thread.revision += 1
        thread.save(
            update_fields=["status", "awaiting_reply", "last_message_at", "revision", "updated_at"]
        )
        # Enqueued inside the transaction: with the database task backend the task row
        # commits together with the message, and the request never waits on SMTP.
        support_operators_notify.enqueue(message.pk)
    return message


def support_reply_send(*, thread: SupportThread, author: User, body: str) -> SupportMessage:
    """Post an operator's reply to a conversation and tell the business's owners."""
    body = support_message_body_clean(body)
    with transaction.atomic():
        thread = SupportThread.objects.select_for_update().get(pk=thread.pk)
        message = SupportMessage.objects.create(
            thread=thread,
            author=author,
            from_operator=True,
            # First name only: the business sees a person, not an admin's full identity.
            operator_name=author.first_name.strip() or OPERATOR_FALLBACK_NAME,
            body=body,
        )
        thread.awaiting_reply = False
        thread.unread_replies += 1
        thread.last_message_at = message.created_at
        thread.revision += 1
        thread.save(
            update_fields=[
                "awaiting_reply",
                "unread_replies",
                "last_message_at",
                "revision",
                "updated_at",
            ]
        )
        support_owners_notify.enqueue(message.pk)
    return message


@transaction.atomic
def support_thread_set_status(*, thread: SupportThread, status: str) -> SupportThread:
    """Open or close a conversation (operators close it once the question is answered)."""
    if status not in SupportThread.Status.values:
        raise ValidationError({"status": f"Unknown status “{status}”."})
    locked = SupportThread.objects.select_for_update().get(pk=thread.pk)
    if locked.status != status:
        locked.status = status
        locked.revision += 1
        locked.save(update_fields=["status", "revision", "updated_at"])
    thread.status, thread.revision = locked.status, locked.revision
    return thread


def support_thread_mark_read(*, thread: SupportThread) -> None:
    """Record that the business has seen the conversation as loaded (clears the badge)."""
    if thread.unread_replies:
        # One conditional UPDATE, no lock: if a reply landed after `thread` was read, the
        # revision no longer matches and the badge stays until that reply is shown too.
        SupportThread.objects.filter(pk=thread.pk, revision=thread.revision).update(
            unread_replies=0
        )
        thread.unread_replies = 0
