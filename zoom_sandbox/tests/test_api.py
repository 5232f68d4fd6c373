"""The REST API: shapes (checked against the contract), errors, time rules and overrides."""

from urllib.parse import parse_qs, urlsplit

import pytest

from zoom_sandbox.tests.helpers import (
    HOST,
    HOST2,
    MEMBER,
    api,
    assert_matches,
    connect,
    meeting_body,
)


@pytest.fixture
def zoom(zoom_sandbox):
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as client:
        yield client


def _create(zoom, **overrides):
    response = zoom.post("/users/me/meetings", json=meeting_body(**overrides))
    assert response.status_code == 201, response.text
    assert_matches("meeting_create.response.json", response.json())
    return response.json()


def test_users_me_describes_the_connected_user(zoom_sandbox, zoom):
    response = zoom.get("/users/me")
    assert response.status_code == 200
    me = response.json()
    assert_matches("users_me.response.json", me)
    seeded = zoom_sandbox.user(HOST)
    assert (me["id"], me["account_id"], me["email"]) == (seeded["id"], seeded["account_id"], HOST)
    assert len(me["id"]) == 22
    assert response.headers["x-ratelimit-category"] == "Light"


def test_create_returns_201_with_zoom_fields(zoom_sandbox, zoom):
    created = _create(zoom)
    assert 10 <= len(str(created["id"])) <= 11
    assert created["host_email"] == HOST
    assert created["start_time"] == "2030-03-01T09:00:00Z"
    assert created["timezone"] == "Europe/London"
    pwd = parse_qs(urlsplit(created["join_url"]).query)["pwd"][0]
    assert pwd == created["encrypted_password"] != created["password"]
    assert "zak=" in created["start_url"]
    # Not in the current create schema (REFERENCE 4.3): the app must GET for them.
    assert not {"uuid", "host_id", "status"} & set(created)


def test_get_returns_what_was_stored_with_a_fresh_start_url(zoom):
    created = _create(zoom, settings={"waiting_room": True, "join_before_host": True})
    first = zoom.get(f"/meetings/{created['id']}").json()
    second = zoom.get(f"/meetings/{created['id']}").json()
    assert_matches("meeting_get.response.json", first)
    assert first["status"] == "waiting"
    assert first["agenda"] == "slotwise:appointment:42"
    assert first["settings"]["waiting_room"] is True
    assert first["settings"]["join_before_host"] is False  # a waiting room disables JBH
    assert first["start_url"] != second["start_url"] != created["start_url"]


@pytest.mark.parametrize(
    ("sent", "timezone", "expected_utc", "expected_zone"),
    [
        ("2030-07-01T09:00:00Z", "Europe/London", "2030-07-01T09:00:00Z", "Europe/London"),
        ("2030-07-01T09:00:00", "Europe/London", "2030-07-01T08:00:00Z", "Europe/London"),
        ("2030-07-01T09:00:00", None, "2030-07-01T13:00:00Z", "America/New_York"),
        ("2030-07-01T09:00:00Z", None, "2030-07-01T09:00:00Z", "America/New_York"),
    ],
)
def test_start_time_rules(zoom, sent, timezone, expected_utc, expected_zone):
    body = meeting_body(start_time=sent)
    if timezone is None:
        body.pop("timezone")
    response = zoom.post("/users/me/meetings", json=body)
    assert (response.json()["start_time"], response.json()["timezone"]) == (
        expected_utc,
        expected_zone,
    )


def test_patch_is_204_without_body_and_get_shows_the_change(zoom):
    created = _create(zoom)
    response = zoom.patch(
        f"/meetings/{created['id']}",
        json={"topic": "Moved", "start_time": "2030-03-02T10:30:00", "duration": 60},
    )
    assert response.status_code == 204
    assert response.content == b""
    after = zoom.get(f"/meetings/{created['id']}").json()
    assert (after["topic"], after["start_time"], after["duration"]) == (
        "Moved",
        "2030-03-02T10:30:00Z",  # London is on GMT in March
        60,
    )


def test_delete_is_204_and_then_the_meeting_is_gone(zoom):
    created = _create(zoom)
    assert zoom.delete(f"/meetings/{created['id']}").status_code == 204
    for response in (
        zoom.get(f"/meetings/{created['id']}"),
        zoom.patch(f"/meetings/{created['id']}", json={"topic": "x"}),
        zoom.delete(f"/meetings/{created['id']}"),
    ):
        assert response.status_code == 404
        assert response.json() == {
            "code": 3001,
            "message": f"Meeting {created['id']} is not found or has expired.",
        }


def test_live_and_ended_meetings_cannot_be_deleted(zoom_sandbox, zoom):
    created = _create(zoom)
    zoom_sandbox.set_meeting_status(created["id"], "started")
    assert zoom.get(f"/meetings/{created['id']}").json()["status"] == "started"
    live = zoom.delete(f"/meetings/{created['id']}")
    assert (live.status_code, live.json()["code"]) == (400, 3002)
    patched = zoom.patch(f"/meetings/{created['id']}", json={"topic": "x"})
    assert (patched.status_code, patched.json()["code"]) == (400, 3000)
    zoom_sandbox.set_meeting_status(created["id"], "ended")
    ended = zoom.delete(f"/meetings/{created['id']}")
    assert (ended.status_code, ended.json()["code"]) == (400, 3007)
    assert_matches("error.response.json", ended.json())


def test_validation_errors_are_code_300(zoom):
    response = zoom.post(
        "/users/me/meetings",
        json=meeting_body(topic="x" * 201, start_time="tomorrow", password="toolongpass!"),
    )
    assert response.status_code == 400
    body = response.json()
    assert_matches("error.response.json", body)
    assert body["code"] == 300
    assert {e["field"] for e in body["errors"]} == {"topic", "start_time", "password"}
    not_json = zoom.post("/users/me/meetings", content=b"{", headers={"Content-Type": "json"})
    assert not_json.json() == {
        "code": 300,
        "message": "Request Body should be a valid JSON object.",
    }


def test_only_me_is_accepted_as_user_id(zoom_sandbox, zoom):
    own_id = zoom_sandbox.user(HOST)["id"]
    for path in (f"/users/{own_id}/meetings", f"/users/{own_id}", "/users/someone@x.test"):
        response = zoom.get(path)
        assert response.status_code == 401
        assert response.json()["code"] == 124


def test_missing_bearer_token_is_401_code_124(zoom_sandbox):
    with api(zoom_sandbox, "not-a-token") as zoom:
        assert zoom.get("/users/me").json() == {"code": 124, "message": "Invalid access token."}


def test_missing_scope_is_400_code_4711(zoom_sandbox):
    zoom_sandbox.configure(scopes=["user:read:user", "meeting:read:meeting"])
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as zoom:
        response = zoom.post("/users/me/meetings", json=meeting_body())
    assert response.status_code == 400
    assert response.json()["code"] == 4711
    assert response.json()["message"].startswith(
        "Invalid access token, does not contain scopes:[meeting:write:meeting,"
    )


def test_classic_scopes_are_accepted_too(zoom_sandbox):
    zoom_sandbox.configure(scopes=["user:read", "meeting:read", "meeting:write"])
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as zoom:
        created = _create(zoom)
        assert zoom.delete(f"/meetings/{created['id']}").status_code == 204


def test_another_users_meeting_is_not_reachable(zoom_sandbox, zoom):
    created = _create(zoom)
    with api(zoom_sandbox, connect(zoom_sandbox, HOST2)["access_token"]) as other:
        assert other.get(f"/meetings/{created['id']}").json()["code"] == 3001
        assert other.delete(f"/meetings/{created['id']}").status_code == 404


def test_same_account_colleague_is_not_the_host(zoom_sandbox):
    zoom_sandbox.add_user(
        "colleague@sandbox.zoom.test", account_id=zoom_sandbox.user(HOST)["account_id"]
    )
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as zoom:
        created = _create(zoom)
    with api(
        zoom_sandbox, connect(zoom_sandbox, "colleague@sandbox.zoom.test")["access_token"]
    ) as colleague:
        assert colleague.get(f"/meetings/{created['id']}").json()["code"] == 3000
        assert colleague.delete(f"/meetings/{created['id']}").json()["code"] == 3003


def test_account_security_overrides_a_meeting_without_protection(zoom_sandbox, zoom):
    unprotected = _create(zoom, password="", settings={"waiting_room": False})
    assert unprotected["password"]  # "one security option" is locked on: a passcode appears
    protected = _create(zoom, settings={"waiting_room": True})
    assert "password" not in protected
    assert "pwd=" not in protected["join_url"]


def test_business_account_requiring_passcodes_always_gets_one(zoom_sandbox):
    account = zoom_sandbox.user(MEMBER)["account_id"]
    zoom_sandbox.update_account(account, requires_app_approval=False)
    with api(zoom_sandbox, connect(zoom_sandbox, MEMBER)["access_token"]) as zoom:
        created = _create(zoom, settings={"waiting_room": True})
    assert created["password"]


def test_list_pages_with_next_page_token_and_includes_agenda(zoom_sandbox, zoom):
    ids = [_create(zoom, start_time=f"2030-03-0{i}T09:00:00Z")["id"] for i in range(1, 6)]
    zoom.post("/users/me/meetings", json=meeting_body(type=1))  # instant: never listed
    seen, token = [], ""
    while True:
        response = zoom.get("/users/me/meetings", params={"page_size": 2, "next_page_token": token})
        assert response.status_code == 200
        page = response.json()
        assert_matches("meetings_list.response.json", page)
        assert page["total_records"] == 5
        seen += [m["id"] for m in page["meetings"]]
        assert all(m["agenda"] == "slotwise:appointment:42" for m in page["meetings"])
        token = page["next_page_token"]
        if not token:
            break
    assert seen == ids
    assert zoom.get("/users/me/meetings", params={"page_size": 301}).json()["code"] == 300


def test_list_types_split_live_upcoming_and_previous(zoom_sandbox, zoom):
    past = _create(zoom, start_time="2020-01-01T09:00:00Z")
    future = _create(zoom, start_time="2030-01-01T09:00:00Z")
    live = _create(zoom, start_time="2030-02-01T09:00:00Z")
    zoom_sandbox.set_meeting_status(live["id"], "started")

    def listed(kind):
        return {
            m["id"]
            for m in zoom.get("/users/me/meetings", params={"type": kind}).json()["meetings"]
        }

    assert listed("live") == {live["id"]}
    assert listed("upcoming") == {future["id"], live["id"]}
    assert past["id"] not in listed("scheduled")  # expired more than 30 days ago
    assert listed("previous_meetings") == set()


def test_meeting_ids_expire_thirty_days_after_their_time(zoom_sandbox, zoom):
    created = _create(zoom, start_time=zoom_sandbox.now()[:19] + "Z", duration=30)
    zoom_sandbox.advance_clock(29 * 86400)
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as later:
        assert later.get(f"/meetings/{created['id']}").status_code == 200
    zoom_sandbox.advance_clock(2 * 86400)
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as later:
        assert later.get(f"/meetings/{created['id']}").json()["code"] == 3001
    assert zoom_sandbox.meetings()[0]["expired"] is True


def test_control_api_lists_every_meeting_with_its_deleted_flag(zoom_sandbox, zoom):
    kept = _create(zoom)
    gone = _create(zoom, topic="Gone")
    zoom.delete(f"/meetings/{gone['id']}")
    listed = {m["id"]: m for m in zoom_sandbox.meetings()}
    assert listed[kept["id"]]["deleted"] is False
    assert listed[gone["id"]]["deleted"] is True
    assert listed[gone["id"]]["host_email"] == HOST
    assert listed[kept["id"]]["agenda"] == "slotwise:appointment:42"


def test_request_bodies_the_tests_send_follow_the_contract():
    assert_matches("meeting_create.request.json", meeting_body(settings={"waiting_room": True}))
    assert_matches("meeting_update.request.json", {"topic": "Moved", "duration": 60})
