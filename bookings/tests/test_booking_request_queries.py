"""The booking request is the hot path (bench figure 2): its SQL is counted exactly, so a
change that adds a query shows up here first."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Appointment
from meetings.models import OnlineMeeting
from tests import factories
from tests.background import DATABASE_TASKS

pytestmark = pytest.mark.django_db

# Per database: SQLite has no row locks and no NOTIFY.
EXPECTED = {"postgresql": 21, "sqlite": 18}


def test_an_online_booking_by_a_new_client_takes_a_fixed_number_of_queries(
    client, tenant, zoom_connected
):
    factories.open_all_week(tenant.business, opens=dt.time(9), closes=dt.time(17))
    service = factories.make_service(
        tenant.business, in_person=False, address="", slot_interval_minutes=30
    )
    start = factories.next_local(tenant.business, days=3, hour=11)
    url = reverse("bookings:public-book-service", args=[tenant.business.slug, service.public_id])
    client.logout()

    with override_settings(TASKS=DATABASE_TASKS), CaptureQueriesContext(connection) as ctx:
        response = client.post(
            url, {"start": start.isoformat(), "name": "Pat Doe", "email": "pat@client.test"}
        )

    assert response.status_code == 302
    appointment = Appointment.objects.get(client__email="pat@client.test")
    assert OnlineMeeting.objects.get(appointment=appointment).status == "pending"
    sql = "\n".join(q["sql"] for q in ctx.captured_queries)
    assert len(ctx.captured_queries) == EXPECTED[connection.vendor], sql
