"""Connecting Zoom: authorization code + PKCE + state, over the real sandbox."""

import base64
import hashlib
import time
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests import zoom_flow
from zoom.models import ZoomConnectAttempt, ZoomConnection

pytestmark = pytest.mark.django_db


def _token_calls(zoom_sandbox):
    return [r for r in zoom_sandbox.requests() if r["path"] == "/oauth/token"]


def test_connect_sends_the_browser_to_zoom_with_state_and_an_s256_challenge(
    owner_client, zoom, settings
):
    response = owner_client.post(reverse("zoom:connect"))

    url = urlsplit(response["Location"])
    query = zoom_flow.start(owner_client)
    assert f"{url.scheme}://{url.netloc}" == zoom.oauth_base_url
    assert url.path == "/oauth/authorize"
    assert query["response_type"] == "code"
    assert query["client_id"] == settings.ZOOM_CLIENT_ID
    assert query["redirect_uri"] == settings.ZOOM_REDIRECT_URI
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 43
    # The verifier stays on the server: only its S256 challenge travels.
    pending = owner_client.session["zoom_oauth"][query["state"]]
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(pending["verifier"].encode()).digest()
    ).rstrip(b"=")
    assert query["code_challenge"] == challenge.decode()


def test_a_completed_round_trip_stores_the_connection_with_account_details(
    owner_client, tenant, zoom
):
    response = zoom_flow.connect(owner_client, zoom)

    assert response.status_code == 302
    assert response["Location"] == reverse("zoom:integrations")
    connection = ZoomConnection.objects.get(business=tenant.business)
    host = zoom.user("host@sandbox.zoom.test")
    assert connection.status == "active"
    assert (connection.zoom_user_id, connection.zoom_account_id) == (host["id"], host["account_id"])
    assert connection.email == "host@sandbox.zoom.test"
    assert connection.connected_by == tenant.owner
    card = owner_client.get(reverse("zoom:integrations")).text
    assert "Connected" in card and "host@sandbox.zoom.test" in card and host["account_id"] in card
    assert "Olive Owner" in card
    assert ZoomConnectAttempt.objects.get().outcome == "connected"


def test_the_code_exchange_sends_the_pkce_verifier(owner_client, zoom):
    query = zoom_flow.start(owner_client)
    callback = zoom_flow.approve(zoom, query)
    # Tamper with the stored verifier: the sandbox must refuse the exchange.
    session = owner_client.session
    session["zoom_oauth"][query["state"]]["verifier"] = "x" * 64
    session.save()

    response = owner_client.get(callback)

    assert response.status_code == 502
    assert "Nothing was stored" in response.text
    assert not ZoomConnection.objects.exists()
    assert [c["status"] for c in _token_calls(zoom)] == [400]


def test_a_wrong_state_is_refused_before_any_call_to_zoom(owner_client, zoom):
    query = zoom_flow.start(owner_client)
    callback = zoom_flow.approve(zoom, {**query})
    forged = callback.replace(f"state={query['state']}", "state=forged-state-value")

    response = owner_client.get(forged)

    assert response.status_code == 400
    assert "has expired" in response.text and "Start again" in response.text
    assert _token_calls(zoom) == []
    assert not ZoomConnection.objects.exists()


def test_a_missing_state_is_refused(owner_client, zoom):
    response = owner_client.get(reverse("zoom:callback") + "?code=abc")

    assert response.status_code == 400
    assert _token_calls(zoom) == []


def test_a_replayed_state_is_refused_with_no_second_token_call(owner_client, zoom):
    callback = zoom_flow.approve(zoom, zoom_flow.start(owner_client))
    assert owner_client.get(callback).status_code == 302

    replay = owner_client.get(callback)

    assert replay.status_code == 400
    assert len(_token_calls(zoom)) == 1


def test_a_state_older_than_ten_minutes_is_refused(owner_client, zoom):
    query = zoom_flow.start(owner_client)
    session = owner_client.session
    session["zoom_oauth"][query["state"]]["created"] = time.time() - 601
    session.save()

    response = owner_client.get(zoom_flow.approve(zoom, query))

    assert response.status_code == 400
    assert _token_calls(zoom) == []


def test_a_state_started_by_another_user_is_refused(client, tenant, zoom):
    client.force_login(tenant.owner)
    query = zoom_flow.start(client)
    callback = zoom_flow.approve(zoom, query)
    stolen_session = dict(client.session["zoom_oauth"])
    client.force_login(tenant.staff)
    session = client.session
    session["zoom_oauth"] = stolen_session
    session.save()

    assert client.get(callback).status_code == 400
    assert _token_calls(zoom) == []


def test_declining_in_zoom_says_so_and_stores_nothing(owner_client, zoom):
    query = zoom_flow.start(owner_client)

    response = owner_client.get(
        reverse("zoom:callback") + f"?error=access_denied&state={query['state']}", follow=True
    )

    assert "You declined in Zoom, so Zoom is not connected." in response.text
    assert not ZoomConnection.objects.exists()
    assert ZoomConnectAttempt.objects.get().outcome == "declined"


def test_zoom_being_unreachable_gives_a_clear_page_and_stores_nothing(owner_client, zoom):
    query = zoom_flow.start(owner_client)
    callback = zoom_flow.approve(zoom, query)
    zoom.add_fault("drop", path="/oauth/token", count=1)

    response = owner_client.get(callback)

    assert response.status_code == 502
    assert "Zoom could not be reached" in response.text
    assert "Nothing was stored" in response.text
    assert not ZoomConnection.objects.exists()


def test_a_failure_reading_the_zoom_user_stores_nothing(owner_client, zoom):
    zoom.add_fault("error", status=500, path="/v2/users/me", count=1)

    response = zoom_flow.connect(owner_client, zoom)

    assert response.status_code == 502
    assert not ZoomConnection.objects.exists()


def test_request_access_is_remembered_and_explained_on_the_card(owner_client, zoom):
    zoom_flow.start(owner_client)  # off to Zoom... which showed Request Access; nothing came back

    card = owner_client.get(reverse("zoom:integrations")).text

    assert "did not come back from Zoom" in card
    assert "Request Access" in card
    assert "press <strong>Connect</strong> again" in card


def test_a_zoom_user_connected_elsewhere_is_refused_and_the_other_business_keeps_working(
    client, tenant, outsider, zoom
):
    client.force_login(outsider.owner)
    zoom_flow.connect(client, zoom)
    theirs = ZoomConnection.objects.get(business=outsider.business)
    old_token = theirs.access_token
    client.force_login(tenant.owner)

    response = zoom_flow.connect(client, zoom)

    follow = client.get(response["Location"]).text
    assert "already connected to another business" in follow
    assert not ZoomConnection.objects.filter(business=tenant.business, status="active").exists()
    theirs.refresh_from_db()
    assert theirs.status == "active" and theirs.access_token != old_token
    from zoom import client as zoom_client

    assert zoom_client.get_me(access_token=theirs.access_token).email == "host@sandbox.zoom.test"


def test_reconnecting_as_a_different_zoom_user_says_so(owner_client, tenant, zoom):
    zoom_flow.connect(owner_client, zoom)

    response = zoom_flow.connect(owner_client, zoom, email="host2@sandbox.zoom.test")

    page = owner_client.get(response["Location"]).text
    assert "a different Zoom user than before (host@sandbox.zoom.test)" in page
    assert ZoomConnection.objects.get(business=tenant.business).email == "host2@sandbox.zoom.test"


def test_missing_scopes_are_refused_with_an_explanation(owner_client, zoom):
    zoom.configure(scopes=["user:read:user", "meeting:write:meeting"])

    response = zoom_flow.connect(owner_client, zoom)

    assert response.status_code == 502
    assert "did not grant the permissions Slotwise needs" in response.text
    assert not ZoomConnection.objects.exists()


def test_staff_may_connect_but_only_owners_disconnect(staff_client, tenant, zoom):
    assert zoom_flow.connect(staff_client, zoom).status_code == 302
    assert ZoomConnection.objects.get().connected_by == tenant.staff

    assert staff_client.post(reverse("zoom:disconnect")).status_code == 403
