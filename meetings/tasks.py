"""Background work for online meetings. Tasks take ids; none carries a secret."""

from django_tasks import task

# Reconciles run before e-mails queued in the same transaction, so a confirmation usually
# goes out with its link already in it.
RECONCILE_PRIORITY = 50


@task(priority=RECONCILE_PRIORITY)
def meeting_reconcile(meeting_id: int) -> str:
    """Make the meeting tool match the booking (see meetings.reconcile)."""
    from meetings.reconcile import reconcile

    return reconcile(meeting_id)


@task()
def meeting_link_ready_send(meeting_id: int) -> None:
    """E-mail the client their link when it became ready after their confirmation went out."""
    from meetings.notices import link_ready_email_send

    link_ready_email_send(meeting_id)


@task()
def meeting_failure_notice_send(meeting_id: int) -> None:
    """Tell the owners that a meeting could not be created, with the reason and a way to retry."""
    from meetings.notices import failure_email_send

    failure_email_send(meeting_id)
