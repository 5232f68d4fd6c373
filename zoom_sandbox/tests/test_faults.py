"""Injected faults: latency, error statuses, dropped connections, lost responses."""

import time

import httpx
import pytest

from zoom_sandbox.tests.helpers import HOST, api, code_from, connect, exchange, meeting_body


@pytest.fixture
def zoom(zoom_sandbox):
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as client:
        yield client


def test_error_fault_answers_the_status_without_running_the_operation(zoom_sandbox, zoom):
    zoom_sandbox.add_fault("error", status=503, count=1, method="POST", path="/v2/users/*")
    failed = zoom.post("/users/me/meetings", json=meeting_body())
    assert failed.status_code == 503
    assert zoom_sandbox.meetings() == []
    assert zoom.post("/users/me/meetings", json=meeting_body()).status_code == 201
    logged = zoom_sandbox.requests()
    assert [r["fault"] for r in logged if r["method"] == "POST" and "meetings" in r["path"]] == [
        "error",
        None,
    ]


def test_429_fault_with_seconds_or_iso_retry_after(zoom_sandbox, zoom):
    zoom_sandbox.add_fault("error", status=429, retry_after=7, count=1)
    qps = zoom.get("/users/me")
    assert (qps.status_code, qps.headers["Retry-After"], qps.headers["X-RateLimit-Type"]) == (
        429,
        "7",
        "QPS",
    )
    zoom_sandbox.add_fault("error", status=429, retry_after="2026-11-24T00:00:00Z", count=1)
    daily = zoom.get("/users/me")
    assert daily.headers["Retry-After"] == "2026-11-24T00:00:00Z"
    assert daily.headers["X-RateLimit-Type"] == "Daily-limit"


def test_dropped_connection_sends_nothing_and_changes_nothing(zoom_sandbox, zoom):
    zoom_sandbox.add_fault("drop", count=1, path="/v2/users/me/meetings")
    with pytest.raises(httpx.RemoteProtocolError):
        zoom.post("/users/me/meetings", json=meeting_body())
    assert zoom_sandbox.meetings() == []
    assert zoom_sandbox.requests()[-1]["fault"] == "drop"
    assert zoom_sandbox.requests()[-1]["status"] is None


def test_lost_response_applies_the_operation(zoom_sandbox, zoom):
    zoom_sandbox.add_fault("lose_response", count=1, method="POST")
    with pytest.raises(httpx.RemoteProtocolError):
        zoom.post("/users/me/meetings", json=meeting_body(agenda="marker-7"))
    assert [m["agenda"] for m in zoom_sandbox.meetings()] == ["marker-7"]
    assert zoom_sandbox.requests()[-1]["status"] == 201
    listed = zoom.get("/users/me/meetings").json()["meetings"]
    assert [m["agenda"] for m in listed] == ["marker-7"]


def test_lost_refresh_response_leaves_the_app_with_a_dead_refresh_token(zoom_sandbox):
    tokens = connect(zoom_sandbox)
    zoom_sandbox.add_fault("lose_response", count=1, path="/oauth/token")
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(
            zoom_sandbox.oauth_base_url + "/oauth/token",
            auth=("slotwise-demo-client", "slotwise-demo-secret"),
            data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        )
    retry = httpx.post(
        zoom_sandbox.oauth_base_url + "/oauth/token",
        auth=("slotwise-demo-client", "slotwise-demo-secret"),
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert retry.json()["error"] == "invalid_grant"
    assert [r["grant_type"] for r in zoom_sandbox.requests()[-2:]] == ["refresh_token"] * 2


def test_latency_fault_and_global_latency_delay_calls(zoom_sandbox, zoom):
    zoom_sandbox.add_fault("latency", latency_ms=200, count=1)
    started = time.monotonic()
    zoom.get("/users/me")
    assert time.monotonic() - started >= 0.2
    zoom_sandbox.set_latency(100, jitter_ms=20)
    started = time.monotonic()
    zoom.get("/users/me")
    assert time.monotonic() - started >= 0.08
    zoom_sandbox.set_latency(0)


def test_fraction_faults_hit_some_calls_and_clear_removes_them(zoom_sandbox, zoom):
    # 40 quick calls can exceed the plan's per-second limit; a 429 is not what this tests.
    zoom_sandbox.configure_rate_limits(qps_enabled=False)
    zoom_sandbox.add_fault("error", status=500, fraction=0.5, path="/v2/users/me")
    statuses = {zoom.get("/users/me").status_code for _ in range(40)}
    assert statuses == {200, 500}
    zoom_sandbox.clear_faults()
    assert all(zoom.get("/users/me").status_code == 200 for _ in range(5))


def test_faults_never_touch_the_pages_or_control_api(zoom_sandbox):
    zoom_sandbox.add_fault("error", status=500, fraction=1.0)
    assert httpx.get(zoom_sandbox.base_url + "/").status_code == 200
    code = code_from(zoom_sandbox.authorize(HOST))
    assert exchange(zoom_sandbox, code).status_code == 500


def test_bad_fault_rules_are_refused(zoom_sandbox):
    from zoom_sandbox.control import SandboxError

    for rule in ({"kind": "error", "status": 404}, {"kind": "explode"}, {"kind": "latency"}):
        with pytest.raises(SandboxError):
            zoom_sandbox.add_fault(**rule)
