"""The sandbox's own pages over plain HTTP: sign-in, consent, Request Access and approval,
sign-out, CSRF, and the user's meeting and app pages (which fire webhooks)."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from zoom_sandbox.tests.helpers import (
    ADMIN,
    CLIENT_ID,
    HOST,
    MEMBER,
    REDIRECT_URI,
    Browserless,
    api,
    connect,
    meeting_body,
)


def _authorize_url(state: str = "st-1") -> str:
    return "/oauth/authorize?" + urlencode(
        {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI,
         "state": state}
    )  # fmt: skip


@pytest.fixture
def browser(zoom_sandbox):
    session = Browserless(zoom_sandbox.base_url)
    yield session
    session.http.close()


def test_sign_in_then_allow_redirects_with_code_and_state(browser):
    page = browser.get(_authorize_url())
    assert "Email" in page.text and "Password" in page.text and "Sign In" in page.text
    consent = browser.sign_in(page, HOST)
    assert "Allow" in consent.text and "Decline" in consent.text
    assert "meeting:write:meeting" in consent.text
    allowed = browser.submit(consent, "Allow")
    query = parse_qs(urlsplit(allowed.headers["location"]).query)
    assert allowed.headers["location"].startswith(REDIRECT_URI)
    assert query["state"] == ["st-1"] and query["code"][0]


def test_signed_in_users_go_straight_to_consent(browser):
    browser.sign_in(browser.get(_authorize_url()), HOST)
    assert "would like to access your Zoom account" in browser.get(_authorize_url()).text


def test_wrong_password_shows_the_form_again(browser):
    page = browser.sign_in(browser.get(_authorize_url()), HOST, password="nope")
    assert "Incorrect email or password." in page.text
    assert "Sign In" in page.text


def test_decline_redirects_with_access_denied(zoom_sandbox, browser):
    consent = browser.sign_in(browser.get(_authorize_url("st-2")), HOST)
    declined = browser.submit(consent, "Decline")
    assert parse_qs(urlsplit(declined.headers["location"]).query) == {
        "error": ["access_denied"],
        "state": ["st-2"],
    }
    assert zoom_sandbox.installations() == []


def test_forms_without_the_csrf_token_are_refused(zoom_sandbox, browser):
    consent = browser.sign_in(browser.get(_authorize_url()), HOST)
    forged = browser.http.post(
        "/oauth/authorize/decision",
        data={"client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "decision": "allow"},
    )
    assert forged.status_code == 400
    assert "location" not in forged.headers
    assert consent.status_code == 200


def test_sign_out_lets_another_user_sign_in(zoom_sandbox, browser):
    consent = browser.sign_in(browser.get(_authorize_url()), HOST)
    signed_out = browser.follow(browser.submit(consent, "Sign out"))
    assert "Sign In" in signed_out.text
    consent = browser.sign_in(signed_out, "host2@sandbox.zoom.test")
    assert "host2@sandbox.zoom.test" in consent.text


def test_request_access_then_admin_approval_then_install(zoom_sandbox, browser):
    page = browser.sign_in(browser.get(_authorize_url()), MEMBER)
    assert "Request Access" in page.text and "Allow" not in page.text
    sent = browser.submit(page, "Request Access")
    assert sent.status_code == 200
    assert "Your admin was notified" in sent.text
    assert "location" not in sent.headers
    assert [r["status"] for r in zoom_sandbox.app_requests()] == ["pending"]
    assert "already requested" in browser.get(_authorize_url()).text

    admin = Browserless(zoom_sandbox.base_url)
    requests_page = admin.sign_in(admin.get("/?next=/admin/app-requests"), ADMIN)
    assert MEMBER in requests_page.text
    admin.follow(admin.submit(requests_page, "Approve"))
    assert [r["status"] for r in zoom_sandbox.app_requests()] == ["approved"]

    consent = browser.get(_authorize_url())
    assert "Allow" in consent.text
    assert "code=" in browser.submit(consent, "Allow").headers["location"]


def test_members_cannot_open_the_admin_page(browser):
    browser.sign_in(browser.get("/"), MEMBER)
    assert browser.get("/admin/app-requests").status_code == 400


def test_home_lists_meetings_and_installed_apps(zoom_sandbox, browser):
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as zoom:
        created = zoom.post("/users/me/meetings", json=meeting_body()).json()
    home = browser.sign_in(browser.get("/"), HOST)
    assert "Yoga with Sam" in home.text
    assert created["password"] in home.text
    assert created["join_url"].replace("&", "&amp;") in home.text
    assert "Slotwise" in home.text and "Remove" in home.text


def test_editing_a_meeting_on_the_page_fires_meeting_updated(zoom_sandbox, browser):
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as zoom:
        created = zoom.post("/users/me/meetings", json=meeting_body()).json()
        browser.sign_in(browser.get("/"), HOST)
        edit = browser.get(f"/meetings/{created['id']}/edit")
        saved = browser.submit(edit, "Save", topic="Moved by host", start_time="2030-03-01T11:15")
        assert saved.status_code == 303
        after = zoom.get(f"/meetings/{created['id']}").json()
    assert after["topic"] == "Moved by host"
    assert after["start_time"] == "2030-03-01T11:15:00Z"  # London, GMT
    event = zoom_sandbox.deliveries("meeting.updated")[0]["data"]["payload"]
    assert event["object"]["topic"] == "Moved by host"
    assert event["old_object"]["start_time"] == "2030-03-01T09:00:00Z"


def test_deleting_on_the_page_fires_meeting_deleted(zoom_sandbox, browser):
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as zoom:
        created = zoom.post("/users/me/meetings", json=meeting_body()).json()
    home = browser.sign_in(browser.get("/"), HOST)
    browser.follow(browser.submit(home, "Delete"))
    assert zoom_sandbox.meetings()[0]["deleted"] is True
    assert (
        zoom_sandbox.deliveries("meeting.deleted")[0]["data"]["payload"]["object"]["id"]
        == (created["id"])
    )


def test_start_and_end_on_the_page_make_3002_and_3007(zoom_sandbox, browser):
    tokens = connect(zoom_sandbox)
    with api(zoom_sandbox, tokens["access_token"]) as zoom:
        created = zoom.post("/users/me/meetings", json=meeting_body()).json()
        home = browser.sign_in(browser.get("/"), HOST)
        home = browser.follow(browser.submit(home, "Start"))
        assert zoom.delete(f"/meetings/{created['id']}").json()["code"] == 3002
        browser.follow(browser.submit(home, "End"))
        assert zoom.delete(f"/meetings/{created['id']}").json()["code"] == 3007
    assert [d["event"] for d in zoom_sandbox.deliveries()][-2:] == [
        "meeting.started",
        "meeting.ended",
    ]


def test_removing_the_app_on_the_page_deauthorizes(zoom_sandbox, browser):
    tokens = connect(zoom_sandbox)
    apps = browser.sign_in(browser.get("/?next=/apps/installed"), HOST)
    assert "Installed apps" in apps.text
    browser.follow(browser.submit(apps, "Remove"))
    assert zoom_sandbox.installations() == []
    assert len(zoom_sandbox.deliveries("app_deauthorized")) == 1
    with api(zoom_sandbox, tokens["access_token"]) as zoom:
        assert zoom.get("/users/me").status_code == 401


def test_join_and_start_links_lead_to_pages(zoom_sandbox, browser):
    with api(zoom_sandbox, connect(zoom_sandbox)["access_token"]) as zoom:
        created = zoom.post("/users/me/meetings", json=meeting_body()).json()
    join = browser.get(created["join_url"])
    assert join.status_code == 200 and "Yoga with Sam" in join.text
    start = browser.get(created["start_url"])
    assert start.status_code == 200
    browser.submit(start, "Start meeting")
    assert zoom_sandbox.meetings()[0]["status"] == "started"
    zoom_sandbox.advance_clock(2 * 3600 + 1)
    assert browser.get(created["start_url"]).status_code == 403
