"""The support chat: one conversation per business with Slotwise's operators.

Operators answer in the Django admin; the business reads and writes in the chat panel. Only
`support.services` writes these rows, so the counters on the thread stay in step with its
messages.
"""

from django.db import models

from accounts.models import Business, User


class SupportThread(models.Model):
    """A business's conversation with support. The whole team shares it, like an inbox."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    business = models.OneToOneField(
        Business, on_delete=models.CASCADE, related_name="support_thread"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Bumped on every change the chat shows (a message, a status change): the panel polls
    # with the revision it has and gets "204 nothing new" without reading any message.
    revision = models.PositiveIntegerField(default=0)
    # The business wrote last and no operator has answered yet.
    awaiting_reply = models.BooleanField("unanswered", default=False)
    # Operator replies nobody at the business has seen yet: the badge on the chat button.
    unread_replies = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "support conversation"
        indexes = [models.Index(fields=["awaiting_reply", "last_message_at"])]

    def __str__(self) -> str:
        return f"Support conversation with {self.business}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class SupportMessage(models.Model):
    thread = models.ForeignKey(SupportThread, on_delete=models.CASCADE, related_name="messages")
    # The member who wrote it, or the admin user who replied; kept as null if they are deleted.
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_operator = models.BooleanField(default=False)
    # What the business sees as the sender of a reply; fixed at sending time so renaming or
    # removing an admin account does not rewrite the history.
    operator_name = models.CharField(max_length=150, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        sender = self.operator_name if self.from_operator else str(self.author or "former member")
        return f"{sender}: {self.body[:50]}"
