"""Reads for the support chat: what the panel and the chat page show."""

from dataclasses import dataclass, field

from accounts.models import Business
from support.models import SupportMessage, SupportThread

# The panel shows the recent part of a long conversation; the rest stays in the admin.
MESSAGES_SHOWN = 100


@dataclass(frozen=True)
class Conversation:
    thread: SupportThread | None
    messages: list[SupportMessage] = field(default_factory=list)
    has_earlier: bool = False

    @property
    def revision(self) -> int:
        return self.thread.revision if self.thread else 0

    @property
    def latest_reply_at(self) -> str:
        """When support last replied, as a marker the panel compares to announce new replies."""
        replies = [m for m in self.messages if m.from_operator]
        return replies[-1].created_at.isoformat() if replies else ""


def support_thread_for(business: Business) -> SupportThread | None:
    """The business's conversation with support, or None before its first message."""
    return SupportThread.objects.filter(business=business).first()


def conversation_load(thread: SupportThread | None) -> Conversation:
    """The latest messages of `thread`, oldest first, in two queries whatever the length."""
    if thread is None:
        return Conversation(thread=None)
    newest_first = list(
        thread.messages.select_related("author").order_by("-pk")[: MESSAGES_SHOWN + 1]
    )
    return Conversation(
        thread=thread,
        messages=newest_first[:MESSAGES_SHOWN][::-1],
        has_earlier=len(newest_first) > MESSAGES_SHOWN,
    )


def support_unread_replies(business: Business) -> int:
    """How many operator replies the business has not seen: the chat button's badge."""
    value = (
        SupportThread.objects.filter(business=business)
        .values_list("unread_replies", flat=True)
        .first()
    )
    return value or 0
