"""Support chat e-mails: to operators when a business writes, to owners when support replies."""

from django.conf import settings
from django.urls import reverse

from slotwise.mail import absolute_url, send_templated_email
from support.models import SupportMessage


def operator_notice_send(*, message: SupportMessage) -> None:
    """Tell the operators who wrote what, with a link to answer in the admin."""
    if not settings.SUPPORT_EMAILS:
        return
    thread = message.thread
    send_templated_email(
        to=settings.SUPPORT_EMAILS,
        template="support/email/operator_notice",
        context={
            "message": message,
            "business": thread.business,
            "admin_url": absolute_url(
                reverse("admin:support_supportthread_change", args=[thread.pk])
            ),
        },
    )


def owner_reply_notice_send(*, message: SupportMessage) -> None:
    """Tell the business's owners that support answered, with a link to the chat."""
    business = message.thread.business
    owners = list(
        business.owners().filter(is_active=True).order_by("email").values_list("email", flat=True)
    )
    if not owners:
        return
    send_templated_email(
        to=owners,
        template="support/email/reply_notice",
        context={
            "message": message,
            "business": business,
            "chat_url": absolute_url(reverse("support:chat")),
        },
    )
