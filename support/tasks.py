"""Support e-mails, sent by the worker so a chat message never waits on SMTP."""

from django_tasks import task

from support.models import SupportMessage


def _message(message_id: int) -> SupportMessage | None:
    return (
        SupportMessage.objects.select_related("thread__business", "author")
        .filter(pk=message_id)
        .first()
    )


@task()
def support_operators_notify(message_id: int) -> None:
    """E-mail the operators in SUPPORT_EMAILS that a business wrote to support."""
    from support.emails import operator_notice_send

    message = _message(message_id)
    if message is None:  # the business was deleted before the worker got here
        return
    operator_notice_send(message=message)


@task()
def support_owners_notify(message_id: int) -> None:
    """E-mail the business's owners that support replied in the chat."""
    from support.emails import owner_reply_notice_send

    message = _message(message_id)
    if message is None:
        return
    owner_reply_notice_send(message=message)
