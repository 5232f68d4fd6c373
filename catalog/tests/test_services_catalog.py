import datetime as dt

import pytest
from django.urls import reverse

from catalog.models import Service
from tests import factories

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Career coaching",
    "description": "A focused hour on your next move.",
    "duration_minutes": "60",
    "price": "90.00",
    "buffer_minutes": "15",
    "slot_interval_minutes": "30",
    "online": "on",
    "meeting_tool": "zoom",
    "online_waiting_room": "on",
    "bookable_online": "on",
    "address": "",
}


def test_add_new_service_with_online_and_zoom(owner_client, tenant):
    response = owner_client.post(reverse("catalog:service-create"), VALID)

    assert response.status_code == 302
    service = Service.objects.get()
    assert (service.business, service.online, service.meeting_tool, service.in_person) == (
        tenant.business,
        True,
        "zoom",
        False,
    )
    assert str(service.price) == "90.00"
    listing = owner_client.get(reverse("catalog:service-list")).text
    assert "Career coaching" in listing and "Online (Zoom)" in listing


def test_the_editor_uses_the_guides_words(owner_client):
    page = owner_client.get(reverse("catalog:service-create")).text

    assert "Meeting locations" in page
    assert ">Online</label>" in page
    assert "Meeting tools" in page
    assert '<option value="zoom"' in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"online": "", "in_person": ""}, "Choose at least one location: In person or Online."),
        ({"meeting_tool": ""}, "Choose the meeting tool for online meetings."),
        ({"in_person": "on", "address": ""}, "Give the address for in-person meetings."),
    ],
)
def test_location_mistakes_are_explained_and_nothing_typed_is_lost(owner_client, change, message):
    response = owner_client.post(reverse("catalog:service-create"), {**VALID, **change})

    assert response.status_code == 200
    assert message in response.text
    assert 'value="Career coaching"' in response.text
    assert "A focused hour on your next move." in response.text
    assert not Service.objects.exists()


def test_archiving_hides_a_service_from_booking_but_keeps_it(owner_client, tenant, client):
    service = factories.make_service(tenant.business, name="Old offer")

    owner_client.post(reverse("catalog:service-archive", args=[service.pk]), {"archived": "1"})

    service.refresh_from_db()
    assert service.is_archived
    assert (
        "<strong>Old offer</strong>" not in owner_client.get(reverse("catalog:service-list")).text
    )
    assert (
        "<strong>Old offer</strong>"
        in owner_client.get(reverse("catalog:service-list") + "?archived=1").text
    )
    client.logout()
    assert (
        "Old offer"
        not in client.get(reverse("bookings:public-home", args=[tenant.business.slug])).text
    )


def test_editing_a_service_keeps_existing_appointments_as_booked(owner_client, tenant):
    service = factories.make_service(tenant.business)
    appointment = factories.make_appointment(tenant.business, service=service)

    owner_client.post(
        reverse("catalog:service-edit", args=[service.pk]), {**VALID, "duration_minutes": "90"}
    )

    appointment.refresh_from_db()
    assert appointment.service.duration_minutes == 90
    assert appointment.end - appointment.start == dt.timedelta(minutes=60)
