"""Bookings never depend on Zoom being connected; after Disconnect, Zoom hears nothing."""

import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse

from bookings.services.appointments import appointment_cancel, appointment_reschedule
from meetings.models import OnlineMeeting
from tests import factories, zoom_flow
from tests.background import settle

pytestmark = pytest.mark.django_db


def _live(zoom):
    return [m for m in zoom.meetings() if not m["deleted"]]


def test_without_zoom_bookings_succeed_and_say_the_link_will_follow(owner_client, tenant, zoom):
    appointment = factories.make_appointment(tenant.business)

    meeting = OnlineMeeting.objects.get(appointment=appointment)
    staff = owner_client.get(reverse("bookings:appointment-detail", args=[appointment.pk])).text
    owner_client.logout()
    client_page = owner_client.get(
        reverse("bookings:my-appointment", args=[appointment.token])
    ).text

    assert appointment.pk and meeting.status == "not_connected"
    assert "No Zoom meeting — Zoom is not connected." in staff
    assert "Connect Zoom</button>" in staff
    assert "Your meeting link will be sent to you" in client_page
    assert zoom.requests() == []


def test_connecting_gives_waiting_future_bookings_their_meetings_automatically(
    owner_client, tenant, zoom
):
    waiting = [
        factories.make_appointment(
            tenant.business, start=factories.next_local(tenant.business, days=d)
        )
        for d in (2, 3)
    ]

    zoom_flow.connect(owner_client, zoom)
    settle()

    assert {OnlineMeeting.objects.get(appointment=a).status for a in waiting} == {"ready"}
    assert len(_live(zoom)) == 2


def test_a_connection_needing_reconnect_makes_no_calls_and_bookings_still_succeed(
    zoom_connected, tenant
):
    from zoom.models import ZoomConnection

    ZoomConnection.objects.filter(business=tenant.business).update(status="needs_reconnect")
    before = zoom_connected.last_seq()

    appointment = factories.make_appointment(tenant.business)

    assert OnlineMeeting.objects.get(appointment=appointment).status == "not_connected"
    assert zoom_connected.requests(since=before) == []


def test_after_disconnect_links_stay_as_history_and_changes_make_no_call(
    zoom_connected, tenant, client
):
    appointment = factories.make_appointment(tenant.business)
    link = OnlineMeeting.objects.get(appointment=appointment).join_url
    other = factories.make_appointment(
        tenant.business, start=factories.next_local(tenant.business, days=4)
    )
    client.post(reverse("zoom:disconnect"))
    before = zoom_connected.last_seq()

    appointment_reschedule(appointment=appointment, start=appointment.start.replace(hour=15))
    appointment_cancel(appointment=other, reason="no longer needed")
    factories.make_appointment(tenant.business, start=factories.next_local(tenant.business, days=5))
    settle()

    assert zoom_connected.requests(since=before) == []
    assert len(_live(zoom_connected)) == 2, "meetings already created stay in Zoom"
    page = client.get(reverse("bookings:appointment-detail", args=[appointment.pk])).text
    assert link.replace("&", "&amp;") in page and "kept as history" in page
    client.logout()
    assert (
        link.replace("&", "&amp;")
        in client.get(reverse("bookings:my-appointment", args=[appointment.token])).text
    )


def _signed_post(client, settings, event):
    body = json.dumps(event).encode()
    ts = str(int(time.time()))
    signature = (
        "v0="
        + hmac.new(
            settings.ZOOM_WEBHOOK_SECRET_TOKEN.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256
        ).hexdigest()
    )
    return client.post(
        "/integrations/zoom/webhook/",
        body,
        content_type="application/json",
        HTTP_X_ZM_REQUEST_TIMESTAMP=ts,
        HTTP_X_ZM_SIGNATURE=signature,
    )


def test_a_meeting_deleted_in_zoom_offers_staff_a_new_one(zoom_connected, tenant, client, settings):
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)
    old_link = meeting.join_url

    _signed_post(
        client,
        settings,
        {
            "event": "meeting.deleted",
            "event_ts": 1,
            "payload": {"account_id": "x", "object": {"id": str(meeting.external_id)}},
        },
    )

    meeting.refresh_from_db()
    assert meeting.status == "deleted_in_provider"
    page = client.get(reverse("bookings:appointment-detail", args=[appointment.pk])).text
    assert "This meeting was deleted in Zoom." in page and "Create new meeting" in page

    client.post(reverse("meetings:recreate", args=[meeting.pk]))

    meeting.refresh_from_db()
    assert meeting.status == "ready" and meeting.join_url != old_link


def test_our_own_delete_echoing_back_changes_nothing(zoom_connected, tenant, client, settings):
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)
    external_id = meeting.external_id
    appointment_cancel(appointment=appointment)

    _signed_post(
        client,
        settings,
        {"event": "meeting.deleted", "event_ts": 1, "payload": {"object": {"id": external_id}}},
    )

    assert OnlineMeeting.objects.get(pk=meeting.pk).status == "cancelled"


def test_a_time_changed_in_zoom_is_shown_to_staff_as_a_mismatch(
    zoom_connected, tenant, client, settings
):
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)

    _signed_post(
        client,
        settings,
        {
            "event": "meeting.updated",
            "event_ts": 1,
            "payload": {
                "object": {"id": meeting.external_id, "start_time": "2031-01-01T09:00:00Z"},
                "old_object": {"id": meeting.external_id},
            },
        },
    )

    page = client.get(reverse("bookings:appointment-detail", args=[appointment.pk])).text
    assert "Changed in Zoom" in page
    client.post(reverse("meetings:resync", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.synced_start == appointment.start
    assert (
        "Changed in Zoom"
        not in client.get(reverse("bookings:appointment-detail", args=[appointment.pk])).text
    )


def test_our_own_update_echoing_back_is_no_mismatch(zoom_connected, tenant, client, settings):
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)

    _signed_post(
        client,
        settings,
        {
            "event": "meeting.updated",
            "event_ts": 1,
            "payload": {
                "object": {
                    "id": meeting.external_id,
                    "start_time": appointment.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
            },
        },
    )

    meeting.refresh_from_db()
    assert meeting.provider_note == ""
