"""Real Chromium through the sandbox's pages (the root conftest's `page` fixture)."""

from urllib.parse import parse_qs, urlencode, urlsplit

from zoom_sandbox.tests.helpers import ADMIN, CLIENT_ID, MEMBER, PASSWORD, Receiver

CALLBACK_PATH = "/integrations/zoom/callback/"


def _authorize_url(zoom_sandbox, redirect_uri: str, state: str) -> str:
    query = urlencode(
        {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": redirect_uri,
         "state": state}
    )  # fmt: skip
    return f"{zoom_sandbox.oauth_base_url}/oauth/authorize?{query}"


def _sign_in(page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_sign_in_and_allow_redirect_back_with_code_and_state(zoom_sandbox, page):
    receiver = Receiver()  # stands in for the app: the browser lands on it
    redirect_uri = receiver.url.replace("/zoom/webhook/", CALLBACK_PATH)
    zoom_sandbox.add_redirect_uri(redirect_uri)
    try:
        page.goto(_authorize_url(zoom_sandbox, redirect_uri, "state-123"))
        _sign_in(page, "host@sandbox.zoom.test")
        page.get_by_text("Slotwise would like to access your Zoom account").wait_for()
        page.get_by_role("button", name="Allow").click()
        page.get_by_text("connected").wait_for()
    finally:
        receiver.close()
    assert urlsplit(page.url).path == CALLBACK_PATH
    query = parse_qs(urlsplit(receiver.visits[0]).query)
    assert query["state"] == ["state-123"]
    assert len(query["code"][0]) > 20


def test_request_access_then_admin_approves_then_member_installs(zoom_sandbox, page):
    redirect_uri = "http://127.0.0.1:9/integrations/zoom/callback/"
    zoom_sandbox.add_redirect_uri(redirect_uri)
    landed: list[str] = []

    def capture(route):
        landed.append(route.request.url)
        route.fulfill(status=200, body="connected")

    page.route(redirect_uri + "**", capture)
    authorize = _authorize_url(zoom_sandbox, redirect_uri, "member-1")

    page.goto(authorize)
    _sign_in(page, MEMBER)
    page.get_by_role("button", name="Request Access").click()
    page.get_by_text("Your admin was notified").wait_for()
    assert landed == []

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{zoom_sandbox.base_url}/?next=/admin/app-requests")
    _sign_in(page, ADMIN)
    page.get_by_role("heading", name="App requests").wait_for()
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved").wait_for()
    page.get_by_role("button", name="Sign out").click()

    page.goto(authorize)
    _sign_in(page, MEMBER)
    page.get_by_role("button", name="Allow").click()
    page.get_by_text("connected").wait_for()
    assert parse_qs(urlsplit(landed[0]).query)["state"] == ["member-1"]
    assert [i["user_id"] for i in zoom_sandbox.installations()] == [zoom_sandbox.user(MEMBER)["id"]]
