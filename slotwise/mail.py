"""Sending e-mails rendered from templates: <prefix>_subject.txt, <prefix>.txt, <prefix>.html."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def absolute_url(path: str) -> str:
    """A link for outside the site (e-mails, invites), built from SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def send_templated_email(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, object],
    attachments: Sequence[Attachment] = (),
    reply_to: Sequence[str] = (),
) -> None:
    """Render `template`'s subject, text and HTML parts with `context` and send them."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
    )
    message.attach_alternative(html, "text/html")
    for item in attachments:
        message.attach(item.filename, item.content, item.mimetype)
    message.send()
