"""Access tokens refresh shortly before expiry, once at a time; a dead grant stops all calls."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from tests import zoom_flow
from zoom import client as zoom_client
from zoom import tokens
from zoom.errors import ZoomAuthError, ZoomNotConnected
from zoom.models import ZoomConnection


def _refreshes(zoom_sandbox):
    return [
        r
        for r in zoom_sandbox.requests()
        if r["path"] == "/oauth/token" and r.get("grant_type") == "refresh_token"
    ]


@pytest.fixture
def connected(owner_client, tenant, zoom):
    zoom_flow.connect(owner_client, zoom)
    return ZoomConnection.objects.get(business=tenant.business)


def _expire(connection):
    ZoomConnection.objects.filter(pk=connection.pk).update(
        access_token_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )


@pytest.mark.django_db
def test_a_fresh_token_is_used_as_is(connected, zoom):
    before = zoom.last_seq()

    token = tokens.access_token(connected.business_id)

    assert token == connected.access_token
    assert zoom.requests(since=before) == []


@pytest.mark.django_db
def test_a_token_near_expiry_is_refreshed_and_the_rotated_pair_saved(connected, zoom):
    ZoomConnection.objects.filter(pk=connected.pk).update(
        access_token_expires_at=timezone.now() + dt.timedelta(minutes=4)
    )

    token = tokens.access_token(connected.business_id)

    stored = ZoomConnection.objects.get(pk=connected.pk)
    assert token == stored.access_token != connected.access_token
    assert stored.refresh_token != connected.refresh_token
    assert stored.access_token_expires_at > timezone.now() + dt.timedelta(minutes=50)
    assert len(_refreshes(zoom)) == 1
    # Zoom rotated: the old refresh token is dead now.
    with pytest.raises(ZoomAuthError):
        zoom_client.refresh(refresh_token=connected.refresh_token)


@pytest.mark.django_db
def test_a_revoked_grant_marks_needs_reconnect_and_tells_the_owner_once(
    connected, zoom, tenant, mailoutbox, owner_client
):
    zoom.remove_app("host@sandbox.zoom.test")  # removed on Zoom's side; no webhook configured
    _expire(connected)

    with pytest.raises(ZoomAuthError):
        tokens.access_token(connected.business_id)
    with pytest.raises(ZoomNotConnected):
        tokens.access_token(connected.business_id)

    connected.refresh_from_db()
    assert connected.status == "needs_reconnect"
    assert [m.to for m in mailoutbox] == [[tenant.owner.email]]
    assert "reconnect Zoom" in mailoutbox[0].subject
    card = owner_client.get("/settings/integrations/").text
    assert "Needs reconnect" in card and ">Connect</button>" in card


@pytest.mark.django_db
def test_no_call_reaches_zoom_while_the_connection_needs_reconnect(connected, zoom):
    ZoomConnection.objects.filter(pk=connected.pk).update(status="needs_reconnect")
    before = zoom.last_seq()

    with pytest.raises(ZoomNotConnected):
        tokens.with_token(
            connected.business_id, lambda token: zoom_client.get_me(access_token=token)
        )

    assert zoom.requests(since=before) == []


@pytest.mark.django_db
def test_a_401_forces_one_refresh_and_one_retry(connected, zoom):
    # Zoom stopped accepting the access token early (its expiry is still ahead of us).
    connected.access_token = "no-longer-valid"
    connected.save()

    me = tokens.with_token(
        connected.business_id, lambda token: zoom_client.get_me(access_token=token)
    )

    assert me.email == "host@sandbox.zoom.test"
    assert len(_refreshes(zoom)) == 1


@pytest.mark.django_db
def test_reconnecting_clears_the_problem(connected, zoom, owner_client):
    ZoomConnection.objects.filter(pk=connected.pk).update(status="needs_reconnect", problem="gone")

    zoom_flow.connect(owner_client, zoom)

    connected.refresh_from_db()
    assert (connected.status, connected.problem) == ("active", "")


@pytest.mark.django_db(transaction=True)
def test_twenty_workers_needing_a_token_at_once_cause_exactly_one_refresh(
    owner_client, tenant, zoom
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")
    zoom_flow.connect(owner_client, zoom)
    conn = ZoomConnection.objects.get(business=tenant.business)
    _expire(conn)
    before = zoom.last_seq()
    barrier = threading.Barrier(24)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(tokens.access_token(tenant.business.pk))
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1
    calls = [r for r in zoom.requests(since=before) if r["path"] == "/oauth/token"]
    assert [c["grant_type"] for c in calls] == ["refresh_token"]
    assert all(c["status"] == 200 for c in calls)
