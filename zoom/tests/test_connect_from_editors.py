"""Options 2 and 3 of the guide: Connect Zoom from the service and class-schedule editors,
with everything typed so far surviving the trip to Zoom."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories, zoom_flow
from zoom.models import ZoomConnection

pytestmark = pytest.mark.django_db

HALF_FILLED_SERVICE = {
    "name": "Portfolio review",
    "description": "We go through your work together.",
    "duration_minutes": "40",
    "price": "55",
    "buffer_minutes": "10",
    "slot_interval_minutes": "20",
    "online": "on",
    "meeting_tool": "zoom",
    "bookable_online": "on",
}


def test_the_service_editor_offers_connect_zoom_while_zoom_is_not_connected(owner_client, zoom):
    page = owner_client.get(reverse("catalog:service-create")).text

    assert "Zoom is not connected" in page
    assert "Connect Zoom</button>" in page
    assert f'formaction="{reverse("zoom:connect-from-form")}"' in page


def test_connect_zoom_from_a_half_filled_service_returns_to_it_with_everything_restored(
    owner_client, tenant, zoom
):
    new_service = reverse("catalog:service-create")

    callback = zoom_flow.approve(
        zoom,
        zoom_flow.start(
            owner_client,
            reverse("zoom:connect-from-form"),
            {**HALF_FILLED_SERVICE, "return_to": new_service},
        ),
    )
    back = owner_client.get(callback)

    assert back.status_code == 302
    assert urlsplit(back["Location"]).path == new_service
    form = owner_client.get(back["Location"]).text
    assert "Zoom is connected" in form
    assert "Your unsaved changes are back" in form
    assert 'value="Portfolio review"' in form
    assert "We go through your work together." in form
    assert 'value="40"' in form and 'value="55"' in form
    assert 'name="online" id="id_online" checked' in form
    assert '<option value="zoom" selected>' in form
    assert "Connect Zoom</button>" not in form
    assert ZoomConnection.objects.get(business=tenant.business).status == "active"


def test_a_declined_connect_still_returns_to_the_restored_form(owner_client, zoom):
    new_service = reverse("catalog:service-create")
    query = zoom_flow.start(
        owner_client,
        reverse("zoom:connect-from-form"),
        {**HALF_FILLED_SERVICE, "return_to": new_service},
    )

    back = owner_client.get(
        reverse("zoom:callback") + f"?error=access_denied&state={query['state']}"
    )

    form = owner_client.get(back["Location"]).text
    assert "You declined in Zoom" in form
    assert 'value="Portfolio review"' in form


def test_connect_zoom_from_the_schedule_step_keeps_the_schedule(owner_client, tenant, zoom):
    offering, _ = factories.make_class(tenant.business, sessions=1)
    step = reverse("catalog:schedule-create", args=[offering.pk])
    first = timezone.localdate() + dt.timedelta(days=4)
    schedule = {
        "start_date": first.isoformat(),
        "start_time": "19:45",
        "repeat": "weekly",
        "weekdays": [str(first.weekday()), str((first.weekday() + 2) % 7)],
        "ends": "after_count",
        "occurrences": "7",
        "online": "on",
        "meeting_tool": "zoom",
        "return_to": step,
    }

    back = zoom_flow.connect(
        owner_client, zoom, url=reverse("zoom:connect-from-form"), data=schedule
    )

    form = owner_client.get(back["Location"]).text
    assert 'value="19:45"' in form
    assert f'value="{first.isoformat()}"' in form
    assert 'value="7"' in form
    assert form.count("checked") >= 4  # weekly, two weekdays, online
    assert '<option value="zoom" selected>' in form


def test_an_outside_return_address_is_ignored(owner_client, zoom):
    query = zoom_flow.start(
        owner_client, reverse("zoom:connect-from-form"), {"return_to": "https://evil.example/steal"}
    )

    back = owner_client.get(zoom_flow.approve(zoom, query))

    assert back["Location"].startswith(reverse("zoom:integrations"))


def test_services_using_zoom_warn_when_zoom_is_not_connected(owner_client, tenant, zoom):
    factories.make_service(tenant.business, name="Online only", in_person=False, address="")

    listing = owner_client.get(reverse("catalog:service-list")).text

    assert "Zoom is not connected." in listing
    assert "online bookings get no meeting link" in listing
    assert "Connect Zoom</button>" in listing
    zoom_flow.connect(owner_client, zoom)
    assert "Zoom is not connected." not in owner_client.get(reverse("catalog:service-list")).text
