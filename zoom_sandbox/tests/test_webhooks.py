"""Webhook deliveries: Zoom's signature, headers, payloads, retries and URL validation."""

import hashlib
import hmac
import json
import socket
import time

import pytest

from zoom_sandbox.control import wait_until
from zoom_sandbox.tests.helpers import (
    CLIENT_ID,
    HOST,
    Receiver,
    api,
    assert_matches,
    connect,
    meeting_body,
)

SECRET = "test-webhook-secret"


@pytest.fixture
def receiver(zoom_sandbox):
    hook = Receiver()
    zoom_sandbox.configure(webhook_url=hook.url, webhook_secret=SECRET)
    yield hook
    hook.close()


def _expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    # Written out independently of the sandbox: v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}")).
    mac = hmac.new(secret.encode("utf-8"), digestmod=hashlib.sha256)
    mac.update(b"v0:")
    mac.update(timestamp.encode("ascii"))
    mac.update(b":")
    mac.update(body)
    return "v0=" + mac.hexdigest()


def test_deliveries_are_signed_like_zooms(zoom_sandbox, receiver):
    tokens = connect(zoom_sandbox)
    with api(zoom_sandbox, tokens["access_token"]) as zoom:
        zoom.post("/users/me/meetings", json=meeting_body())
    wait_until(lambda: len(receiver.received) == 1)
    got = receiver.received[0]
    timestamp = got.headers["x-zm-request-timestamp"]
    assert timestamp.isdigit() and abs(int(timestamp) - time.time()) < 60  # seconds, not ms
    assert got.headers["x-zm-signature"] == _expected_signature(SECRET, timestamp, got.body)
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    assert got.headers["user-agent"] == "Zoom Marketplace/1.0a"
    assert got.headers["clientid"] == CLIENT_ID
    assert got.headers["x-zm-request-id"]
    body = json.loads(got.body)
    assert_matches("webhook_meeting_created.json", body)
    assert body["event_ts"] > 10**12  # milliseconds


def test_app_deauthorized_payload_follows_the_reference(zoom_sandbox, receiver):
    connect(zoom_sandbox)
    assert zoom_sandbox.remove_app(HOST) is True
    delivery = zoom_sandbox.wait_for_delivery("app_deauthorized")
    assert delivery["outcome"] == "delivered"
    body = delivery["data"]
    assert_matches("webhook_app_deauthorized.json", body)
    user = zoom_sandbox.user(HOST)
    assert body["payload"]["user_id"] == user["id"]
    assert body["payload"]["account_id"] == user["account_id"]
    assert body["payload"]["client_id"] == CLIENT_ID
    assert zoom_sandbox.remove_app(HOST) is False  # nothing left to remove, no second event


def test_api_changes_send_updated_and_deleted_events(zoom_sandbox, receiver):
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as zoom:
        meeting = zoom.post("/users/me/meetings", json=meeting_body()).json()
        zoom.patch(f"/meetings/{meeting['id']}", json={"topic": "New topic", "duration": 30})
        zoom.delete(f"/meetings/{meeting['id']}")
    updated = zoom_sandbox.wait_for_delivery("meeting.updated")["data"]
    assert_matches("webhook_meeting_updated.json", updated)
    assert updated["payload"]["object"] == {
        "id": meeting["id"],
        "topic": "New topic",
        "duration": 30,
    }
    assert updated["payload"]["old_object"] == {
        "id": meeting["id"],
        "topic": "Yoga with Sam",
        "duration": 45,
    }
    deleted = zoom_sandbox.wait_for_delivery("meeting.deleted")["data"]
    assert_matches("webhook_meeting_deleted.json", deleted)
    assert deleted["payload"]["operator"] == HOST


def test_events_go_only_for_hosts_with_the_app_installed(zoom_sandbox, receiver):
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as zoom:
        meeting = zoom.post("/users/me/meetings", json=meeting_body()).json()
    zoom_sandbox.wait_for_delivery("meeting.created")
    zoom_sandbox.remove_app(HOST)
    zoom_sandbox.set_meeting_status(meeting["id"], "started")
    zoom_sandbox.wait_for_delivery("app_deauthorized")
    assert zoom_sandbox.deliveries("meeting.started") == []


def test_server_errors_are_retried_on_the_compressed_schedule_then_dropped(zoom_sandbox):
    hook = Receiver(lambda _r: (503, b""))
    zoom_sandbox.configure(webhook_url=hook.url, webhook_retry_delays=[0.05, 0.1, 0.15])
    try:
        connect(zoom_sandbox)
        zoom_sandbox.remove_app(HOST)
        delivery = zoom_sandbox.wait_for_delivery("app_deauthorized")
    finally:
        hook.close()
    assert delivery["outcome"] == "dropped"
    assert [a["status"] for a in delivery["attempts"]] == [503] * 4
    assert len(hook.received) == 4


def test_a_retry_that_succeeds_is_delivered(zoom_sandbox):
    answers = iter([(500, b""), (200, b"")])
    hook = Receiver(lambda _r: next(answers))
    zoom_sandbox.configure(webhook_url=hook.url, webhook_retry_delays=[0.05])
    try:
        connect(zoom_sandbox)
        zoom_sandbox.remove_app(HOST)
        delivery = zoom_sandbox.wait_for_delivery("app_deauthorized")
    finally:
        hook.close()
    assert delivery["outcome"] == "delivered"
    assert [a["status"] for a in delivery["attempts"]] == [500, 200]


def test_client_errors_are_never_retried(zoom_sandbox):
    hook = Receiver(lambda _r: (401, b""))
    zoom_sandbox.configure(webhook_url=hook.url, webhook_retry_delays=[0.01])
    try:
        connect(zoom_sandbox)
        zoom_sandbox.remove_app(HOST)
        delivery = zoom_sandbox.wait_for_delivery("app_deauthorized")
    finally:
        hook.close()
    assert delivery["outcome"] == "failed"
    assert len(delivery["attempts"]) == 1


def test_connection_errors_are_retried(zoom_sandbox):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    zoom_sandbox.configure(
        webhook_url=f"http://127.0.0.1:{port}/hook", webhook_retry_delays=[0.01, 0.01]
    )
    connect(zoom_sandbox)
    zoom_sandbox.remove_app(HOST)
    delivery = zoom_sandbox.wait_for_delivery("app_deauthorized")
    assert delivery["outcome"] == "dropped"
    assert len(delivery["attempts"]) == 3
    assert all(a["error"].startswith("connection error") for a in delivery["attempts"])


def test_no_endpoint_means_events_are_recorded_as_skipped(zoom_sandbox):
    connect(zoom_sandbox)
    zoom_sandbox.remove_app(HOST)
    assert zoom_sandbox.deliveries("app_deauthorized")[0]["outcome"] == "skipped"


def _validation_answer(secret: str):
    def answer(got):
        plain = json.loads(got.body)["payload"]["plainToken"]
        encrypted = hmac.new(secret.encode(), plain.encode(), hashlib.sha256).hexdigest()
        return 200, json.dumps({"plainToken": plain, "encryptedToken": encrypted}).encode()

    return answer


def test_url_validation_passes_with_the_right_answer(zoom_sandbox):
    hook = Receiver(_validation_answer(SECRET))
    zoom_sandbox.configure(webhook_url=hook.url, webhook_secret=SECRET)
    try:
        result = zoom_sandbox.validate_webhook_url()
    finally:
        hook.close()
    assert result["ok"] is True, result
    body = json.loads(hook.received[0].body)
    assert_matches("webhook_endpoint_url_validation.json", body)
    got = hook.received[0]
    timestamp = got.headers["x-zm-request-timestamp"]
    assert got.headers["x-zm-signature"] == _expected_signature(SECRET, timestamp, got.body)


@pytest.mark.parametrize(
    "answer",
    [lambda _r: (404, b""), _validation_answer("another-secret"), lambda _r: (200, b"ok")],
)
def test_url_validation_fails_with_a_wrong_answer(zoom_sandbox, answer):
    hook = Receiver(answer)
    zoom_sandbox.configure(webhook_url=hook.url, webhook_secret=SECRET)
    try:
        result = zoom_sandbox.validate_webhook_url()
    finally:
        hook.close()
    assert result["ok"] is False
    assert zoom_sandbox.deliveries("endpoint.url_validation")[0]["outcome"] == "failed"
