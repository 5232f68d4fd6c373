"""Disconnect, Zoom-side removal (deauthorization webhook), and webhook verification."""

import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse

from tests import zoom_flow
from zoom.models import WebhookReceipt, ZoomConnection

pytestmark = pytest.mark.django_db

WEBHOOK = "/integrations/zoom/webhook/"


def _signed(secret, body: bytes, timestamp: int | None = None):
    ts = str(timestamp if timestamp is not None else int(time.time()))
    signature = (
        "v0=" + hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    )
    return {"HTTP_X_ZM_REQUEST_TIMESTAMP": ts, "HTTP_X_ZM_SIGNATURE": signature}


def _deauth_body(connection) -> bytes:
    return json.dumps(
        {
            "event": "app_deauthorized",
            "event_ts": int(time.time() * 1000),
            "payload": {
                "account_id": connection.zoom_account_id,
                "user_id": connection.zoom_user_id,
                "signature": "some-event-id",
                "deauthorization_time": "2026-11-23T10:00:00.000Z",
                "client_id": "slotwise-demo-client",
            },
        }
    ).encode()


@pytest.fixture
def connected(owner_client, tenant, zoom):
    zoom_flow.connect(owner_client, zoom)
    return ZoomConnection.objects.get(business=tenant.business)


def test_the_disconnect_page_states_what_disconnecting_means(owner_client, connected):
    page = owner_client.get(reverse("zoom:disconnect")).text

    for phrase in (
        "no longer be able to generate new Zoom meetings",
        "stay in your Zoom account",
        "only as booking history",
        "no further calls",
    ):
        assert phrase in page


def test_disconnect_revokes_then_forgets_and_zoom_hears_nothing_more(
    owner_client, connected, zoom, tenant
):
    before = zoom.last_seq()

    owner_client.post(reverse("zoom:disconnect"))

    calls = zoom.requests(since=before)
    assert [c["path"] for c in calls] == ["/oauth/revoke"]
    assert calls[0]["status"] == 200
    connected.refresh_from_db()
    assert connected.status == "disconnected"
    assert (
        connected.access_token,
        connected.refresh_token,
        connected.email,
        connected.display_name,
    ) == ("", "", "", "")
    assert connected.disconnected_by == tenant.owner
    assert zoom.installations() == []
    page = owner_client.get(reverse("zoom:integrations")).text
    assert "Not connected" in page and ">Connect</button>" in page
    assert zoom.requests(since=before)[-1]["path"] == "/oauth/revoke"


def test_a_failed_revoke_does_not_block_disconnecting(owner_client, connected, zoom):
    zoom.add_fault("error", status=503, path="/oauth/revoke", count=1)

    response = owner_client.post(reverse("zoom:disconnect"), follow=True)

    connected.refresh_from_db()
    assert connected.status == "disconnected"
    assert "Zoom could not be told right now" in response.text


def test_reconnecting_after_disconnect_restores_the_card(owner_client, connected, zoom):
    owner_client.post(reverse("zoom:disconnect"))

    zoom_flow.connect(owner_client, zoom)

    connected.refresh_from_db()
    assert connected.status == "active" and connected.email == "host@sandbox.zoom.test"
    assert "Connected" in owner_client.get(reverse("zoom:integrations")).text


def test_a_verified_deauthorization_disconnects_without_calling_zoom(
    client, connected, zoom, settings
):
    before = zoom.last_seq()
    body = _deauth_body(connected)

    response = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        **_signed(settings.ZOOM_WEBHOOK_SECRET_TOKEN, body),
    )

    assert response.status_code == 200
    connected.refresh_from_db()
    assert connected.status == "disconnected"
    assert connected.disconnect_reason == "The Slotwise app was removed in Zoom"
    assert zoom.requests(since=before) == []


def test_repeated_deauthorizations_are_harmless(client, connected, settings):
    body = _deauth_body(connected)
    first = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        **_signed(settings.ZOOM_WEBHOOK_SECRET_TOKEN, body, int(time.time()) - 2),
    )
    second = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        **_signed(settings.ZOOM_WEBHOOK_SECRET_TOKEN, body),
    )

    assert (first.status_code, second.status_code) == (200, 200)
    connected.refresh_from_db()
    assert connected.status == "disconnected"


def test_a_bad_signature_gets_401_and_changes_nothing(client, connected):
    body = _deauth_body(connected)

    response = client.post(
        WEBHOOK, body, content_type="application/json", **_signed("not-the-secret", body)
    )

    assert response.status_code == 401
    connected.refresh_from_db()
    assert connected.status == "active"
    assert not WebhookReceipt.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, connected, settings):
    body = _deauth_body(connected)
    headers = _signed(settings.ZOOM_WEBHOOK_SECRET_TOKEN, body)

    response = client.post(
        WEBHOOK,
        body.replace(b"some-event-id", b"other-event-id"),
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 401


def test_an_old_timestamp_is_refused_even_when_signed(client, connected, settings):
    body = _deauth_body(connected)

    response = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        **_signed(settings.ZOOM_WEBHOOK_SECRET_TOKEN, body, int(time.time()) - 301),
    )

    assert response.status_code == 401
    connected.refresh_from_db()
    assert connected.status == "active"


def test_a_replayed_delivery_is_refused(client, connected, settings):
    other = {**json.loads(_deauth_body(connected)), "event": "meeting.started"}
    body = json.dumps(other).encode()
    headers = _signed(settings.ZOOM_WEBHOOK_SECRET_TOKEN, body)

    first = client.post(WEBHOOK, body, content_type="application/json", **headers)
    replay = client.post(WEBHOOK, body, content_type="application/json", **headers)

    assert (first.status_code, replay.status_code) == (200, 409)


def test_url_validation_answers_with_the_hmac_of_the_plain_token(client, settings):
    body = json.dumps(
        {
            "event": "endpoint.url_validation",
            "event_ts": 1,
            "payload": {"plainToken": "qgg8vlvZRS6UYooatFL8Aw"},
        }
    ).encode()

    response = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        **_signed(settings.ZOOM_WEBHOOK_SECRET_TOKEN, body),
    )

    expected = hmac.new(
        settings.ZOOM_WEBHOOK_SECRET_TOKEN.encode(), b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256
    ).hexdigest()
    assert response.json() == {"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": expected}


def test_the_sandbox_validates_our_webhook_endpoint(live_server, zoom, transactional_db):
    zoom.configure(webhook_url=live_server.url + WEBHOOK)

    result = zoom.validate_webhook_url()

    assert result["ok"] is True, result
