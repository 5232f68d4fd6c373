from django.urls import reverse
from django_tasks import task

from accounts.models import Business
from slotwise.mail import absolute_url, send_templated_email


@task()
def zoom_reconnect_notice_send(business_id: int) -> None:
    """E-mail the owners that Zoom needs reconnecting (sent once per episode)."""
    business = Business.objects.filter(pk=business_id).first()
    if business is None:
        return
    owners = list(business.owners().filter(is_active=True).values_list("email", flat=True))
    if not owners:
        return
    send_templated_email(
        to=owners,
        template="zoom/email/reconnect_needed",
        context={"business": business, "link": absolute_url(reverse("zoom:integrations"))},
    )
