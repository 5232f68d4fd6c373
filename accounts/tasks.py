from django_tasks import task

from accounts.models import Membership


@task()
def staff_invite_send(membership_id: int) -> None:
    """E-mail a new staff member the link to choose their password."""
    from accounts.services import staff_invite_email_send

    membership = (
        Membership.objects.select_related("user", "business").filter(pk=membership_id).first()
    )
    if membership is None:  # removed before the worker got to it
        return
    staff_invite_email_send(user=membership.user, business=membership.business)
