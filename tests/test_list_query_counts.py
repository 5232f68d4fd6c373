"""List pages make the same number of SQL queries for 1 row as for 50, and paginate."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Appointment, ClassSession, Client
from catalog.models import ClassOffering, Service
from tests import factories

pytestmark = pytest.mark.django_db


def _fill(business, rows: int) -> None:
    service = Service.objects.filter(business=business).first() or factories.make_service(business)
    offering = ClassOffering.objects.filter(
        business=business
    ).first() or ClassOffering.objects.create(
        business=business, name="Class", duration_minutes=30, capacity=5
    )
    start = factories.next_local(business, days=1, hour=0)
    have = Client.objects.filter(business=business).count()
    for n in range(have, rows):
        client = Client.objects.create(
            business=business, name=f"Client {n:03}", email=f"c{n}@client.test"
        )
        when = start + dt.timedelta(hours=2 * n)
        Appointment.objects.create(
            business=business,
            service=service,
            client=client,
            start=when,
            end=when + dt.timedelta(hours=1),
            blocked_until=when + dt.timedelta(hours=1),
            location_kind="online",
        )
        ClassSession.objects.create(
            business=business,
            offering=offering,
            start=when + dt.timedelta(hours=1),
            end=when + dt.timedelta(hours=1, minutes=30),
            capacity=5,
        )
        Service.objects.create(
            business=business,
            name=f"Service {n:03}",
            duration_minutes=30,
            in_person=True,
            address="x",
        )
        ClassOffering.objects.create(
            business=business, name=f"Class {n:03}", duration_minutes=30, capacity=5
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.text


@pytest.mark.parametrize(
    "url",
    [
        reverse("bookings:appointment-list"),
        reverse("bookings:appointment-list") + "?show=past",
        reverse("bookings:client-list"),
        reverse("bookings:client-list") + "?q=client",
        reverse("bookings:session-list"),
        reverse("catalog:service-list"),
        reverse("catalog:class-list"),
        reverse("bookings:agenda") + "?view=week",
    ],
)
def test_list_pages_query_count_does_not_grow_with_rows(owner_client, tenant, url):
    _fill(tenant.business, 1)
    one, _ = _queries(owner_client, url)

    _fill(tenant.business, 50)
    fifty, _ = _queries(owner_client, url)

    assert one == fifty


def test_long_lists_are_paginated(owner_client, tenant):
    _fill(tenant.business, 30)

    first = owner_client.get(reverse("bookings:client-list")).text
    second = owner_client.get(reverse("bookings:client-list") + "?page=2").text

    assert "Client 000" in first and "Client 024" in first and "Client 025" not in first
    assert "Client 025" in second and "Page 2 of 2" in second
