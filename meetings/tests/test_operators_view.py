import pytest
from django.urls import reverse

from meetings.models import OnlineMeeting
from tests import factories

pytestmark = pytest.mark.django_db


def test_operators_list_meetings_by_status_with_their_last_error(admin_client, tenant):
    ok = factories.make_appointment(
        tenant.business, start=factories.next_local(tenant.business, hour=9)
    )
    bad = factories.make_appointment(
        tenant.business, start=factories.next_local(tenant.business, hour=12)
    )
    OnlineMeeting.objects.filter(appointment=bad).update(
        status="failed", last_error="Zoom refused: user not allowed to host (3161)"
    )

    failed_only = admin_client.get(
        reverse("admin:meetings_onlinemeeting_changelist") + "?status__exact=failed"
    ).text

    assert "user not allowed to host (3161)" in failed_only
    assert f"appointment {bad.pk}" in failed_only
    assert f"appointment {ok.pk} " not in failed_only
