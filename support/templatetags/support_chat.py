from dataclasses import dataclass

from django import template

from accounts.models import Business
from support.forms import SupportMessageForm
from support.selectors import support_unread_replies

register = template.Library()


@dataclass(frozen=True)
class ChatButton:
    unread: int
    form: SupportMessageForm


@register.simple_tag
def support_chat_button(business: Business) -> ChatButton:
    """What the chat button on every staff page needs: the unread badge and an empty form."""
    return ChatButton(unread=support_unread_replies(business), form=SupportMessageForm())
