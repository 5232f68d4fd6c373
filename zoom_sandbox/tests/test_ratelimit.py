"""Rate limits (REFERENCE 5): per-second by plan, and 100 meeting writes per host per UTC day."""

from datetime import UTC, datetime

import pytest

from zoom_sandbox.tests.helpers import api, connect, meeting_body


@pytest.fixture
def zoom(zoom_sandbox):
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as client:
        yield client


def test_qps_limit_answers_429_with_zoom_headers(zoom_sandbox, zoom):
    zoom_sandbox.configure_rate_limits(qps_limits={"Pro": {"Light": 3}})
    statuses = [zoom.get("/users/me") for _ in range(5)]
    refused = [r for r in statuses if r.status_code == 429]
    assert len(refused) >= 2
    first = refused[0]
    assert first.headers["X-RateLimit-Category"] == "Light"
    assert first.headers["X-RateLimit-Type"] == "QPS"
    assert first.json() == {
        "code": 429,
        "message": "You have reached the maximum per-second rate limit for this API. "
        "Try again later.",
    }
    assert any(r["rate_limited"] for r in zoom_sandbox.requests())


def test_qps_limits_can_be_switched_off(zoom_sandbox, zoom):
    zoom_sandbox.configure_rate_limits(qps_enabled=False, qps_limits={"Pro": {"Light": 1}})
    assert all(zoom.get("/users/me").status_code == 200 for _ in range(5))


def test_ordinary_responses_carry_lower_case_rate_limit_headers(zoom):
    response = zoom.post("/users/me/meetings", json=meeting_body())
    assert response.headers["x-ratelimit-category"] == "Medium"
    assert response.headers["x-ratelimit-limit"] == "100"
    assert response.headers["x-ratelimit-remaining"] == "99"


def _use_up_daily_limit(zoom_sandbox, zoom, limit=3):
    zoom_sandbox.configure_rate_limits(meeting_daily_limit=limit)
    for _ in range(limit):
        assert zoom.post("/users/me/meetings", json=meeting_body()).status_code == 201


def test_daily_meeting_limit_answers_429_with_iso_retry_after(zoom_sandbox, zoom):
    zoom_sandbox.set_clock(datetime(2026, 11, 23, 22, 0, tzinfo=UTC))
    zoom = api(zoom_sandbox, connect(zoom_sandbox)["access_token"])
    _use_up_daily_limit(zoom_sandbox, zoom)
    refused = zoom.post("/users/me/meetings", json=meeting_body())
    assert refused.status_code == 429
    headers = refused.headers
    assert headers["X-RateLimit-Type"] == "Daily-limit"
    assert headers["X-RateLimit-Category"] == "Medium"
    assert headers["X-RateLimit-Limit"] == "3"
    assert headers["X-RateLimit-Remaining"] == "0"
    assert headers["Retry-After"] == "2026-11-24T00:00:00Z"
    assert refused.json()["code"] == 429
    # Updates count against the same per-host budget; reads do not.
    existing = zoom_sandbox.meetings()[0]["id"]
    assert zoom.patch(f"/meetings/{existing}", json={"topic": "x"}).status_code == 429
    assert zoom.get(f"/meetings/{existing}").status_code == 200


def test_daily_limit_resets_at_midnight_utc(zoom_sandbox):
    zoom_sandbox.set_clock(datetime(2026, 11, 23, 23, 59, tzinfo=UTC))
    tokens = connect(zoom_sandbox)
    with api(zoom_sandbox, tokens["access_token"]) as zoom:
        _use_up_daily_limit(zoom_sandbox, zoom)
        assert zoom.post("/users/me/meetings", json=meeting_body()).status_code == 429
        zoom_sandbox.advance_clock(60)  # 00:00:xx UTC, token still valid
        assert zoom.post("/users/me/meetings", json=meeting_body()).status_code == 201


def test_daily_limit_is_per_host_user(zoom_sandbox, zoom):
    _use_up_daily_limit(zoom_sandbox, zoom)
    with api(
        zoom_sandbox, connect(zoom_sandbox, "host2@sandbox.zoom.test")["access_token"]
    ) as other:
        assert other.post("/users/me/meetings", json=meeting_body()).status_code == 201


def test_deletes_count_against_the_daily_limit_unless_switched_off(zoom_sandbox, zoom):
    _use_up_daily_limit(zoom_sandbox, zoom, limit=2)
    meeting_id = zoom_sandbox.meetings()[0]["id"]
    assert zoom.delete(f"/meetings/{meeting_id}").status_code == 429
    zoom_sandbox.configure_rate_limits(meeting_daily_counts_deletes=False)
    assert zoom.delete(f"/meetings/{meeting_id}").status_code == 204


def test_daily_headers_can_be_left_out_like_some_real_answers(zoom_sandbox, zoom):
    zoom_sandbox.configure_rate_limits(meeting_daily_headers=False)
    _use_up_daily_limit(zoom_sandbox, zoom, limit=1)
    refused = zoom.post("/users/me/meetings", json=meeting_body())
    assert refused.status_code == 429
    assert "Retry-After" not in refused.headers
    assert "X-RateLimit-Type" not in refused.headers


def test_daily_limit_can_be_switched_off(zoom_sandbox, zoom):
    zoom_sandbox.configure_rate_limits(meeting_daily_enabled=False, meeting_daily_limit=1)
    assert all(
        zoom.post("/users/me/meetings", json=meeting_body()).status_code == 201 for _ in range(3)
    )


def test_free_plan_has_a_daily_account_cap_per_category(zoom_sandbox, zoom):
    account = zoom_sandbox.user("host@sandbox.zoom.test")["account_id"]
    zoom_sandbox.update_account(account, plan="Free")
    zoom_sandbox.configure_rate_limits(qps_enabled=False)
    response = zoom.get("/users/me")
    assert response.headers["x-ratelimit-limit"] == "6000"
    assert response.headers["x-ratelimit-remaining"] == "5999"
