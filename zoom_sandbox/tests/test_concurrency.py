"""Many threads at once: unique meeting ids and counts that add up."""

from concurrent.futures import ThreadPoolExecutor

from zoom_sandbox.tests.helpers import HOST, HOST2, api, connect, meeting_body, refresh

PER_USER = 40


def test_parallel_creates_get_unique_ids_and_consistent_counts(zoom_sandbox):
    zoom_sandbox.configure_rate_limits(qps_enabled=False, meeting_daily_limit=1000)
    tokens = {email: connect(zoom_sandbox, email)["access_token"] for email in (HOST, HOST2)}

    def create(job: int) -> int:
        email = HOST if job % 2 else HOST2
        with api(zoom_sandbox, tokens[email]) as zoom:
            response = zoom.post("/users/me/meetings", json=meeting_body(agenda=f"job-{job}"))
        assert response.status_code == 201, response.text
        return response.json()["id"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(create, range(2 * PER_USER)))

    assert len(set(ids)) == len(ids) == 2 * PER_USER
    stored = zoom_sandbox.meetings()
    assert sorted(m["id"] for m in stored) == sorted(ids)
    assert sum(m["host_email"] == HOST for m in stored) == PER_USER
    created_calls = [
        r for r in zoom_sandbox.requests() if r["method"] == "POST" and r["status"] == 201
    ]
    assert len(created_calls) == 2 * PER_USER
    with api(zoom_sandbox, tokens[HOST]) as zoom:
        response = zoom.get("/users/me/meetings", params={"page_size": 300})
        assert response.json()["total_records"] == PER_USER
        # The daily budget counted every one of them, exactly once.
        assert zoom.post("/users/me/meetings", json=meeting_body()).headers[
            "x-ratelimit-remaining"
        ] == str(1000 - PER_USER - 1)


def test_parallel_refreshes_of_one_token_let_exactly_one_win(zoom_sandbox):
    tokens = connect(zoom_sandbox)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: refresh(zoom_sandbox, tokens["refresh_token"]), range(8)))
    assert sorted(r.status_code for r in results) == [200] + [400] * 7
