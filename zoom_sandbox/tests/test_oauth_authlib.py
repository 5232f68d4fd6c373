"""The whole OAuth life cycle driven by Authlib's client, as an independent OAuth library."""

import pytest
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import OAuth2Client

from zoom_sandbox.tests.helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    HOST,
    REDIRECT_URI,
    Browserless,
    assert_matches,
)


def _authorize_in_sandbox(zoom_sandbox, url: str) -> str:
    """Sign in and press Allow over HTTP; returns where the sandbox sends the browser."""
    browser = Browserless(zoom_sandbox.base_url)
    sign_in = browser.get(url)
    assert sign_in.status_code == 200
    consent = browser.sign_in(sign_in, HOST)
    assert "Slotwise would like to access your Zoom account" in consent.text
    allowed = browser.submit(consent, "Allow")
    assert allowed.status_code == 302
    return allowed.headers["location"]


def test_authlib_client_connects_refreshes_and_revokes_with_pkce(zoom_sandbox):
    token_url = zoom_sandbox.oauth_base_url + "/oauth/token"
    client = OAuth2Client(
        CLIENT_ID,
        CLIENT_SECRET,
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
    )
    verifier = generate_token(48)
    url, _state = client.create_authorization_url(
        zoom_sandbox.oauth_base_url + "/oauth/authorize", code_verifier=verifier
    )
    location = _authorize_in_sandbox(zoom_sandbox, url)
    assert location.startswith(REDIRECT_URI)

    token = client.fetch_token(token_url, authorization_response=location, code_verifier=verifier)
    # Authlib adds its own computed `expires_at`; the rest is what the sandbox sent.
    assert_matches(
        "oauth_token.response.json", {k: v for k, v in token.items() if k != "expires_at"}
    )
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == 3599
    me = client.get(zoom_sandbox.api_base_url + "/users/me")
    assert me.status_code == 200
    assert me.json()["email"] == HOST

    first_refresh = token["refresh_token"]
    renewed = client.refresh_token(token_url, refresh_token=first_refresh)
    assert renewed["refresh_token"] != first_refresh
    assert renewed["access_token"] != token["access_token"]

    with pytest.raises(OAuthError) as refused:
        client.refresh_token(token_url, refresh_token=first_refresh)
    assert refused.value.error == "invalid_grant"

    revoked = client.revoke_token(
        zoom_sandbox.oauth_base_url + "/oauth/revoke", token=renewed["access_token"]
    )
    assert revoked.status_code == 200
    assert revoked.json() == {"status": "success"}
    assert client.get(zoom_sandbox.api_base_url + "/users/me").status_code == 401
    deauthorized = zoom_sandbox.deliveries("app_deauthorized")
    assert [d["data"]["payload"]["client_id"] for d in deauthorized] == [CLIENT_ID]
    assert zoom_sandbox.installations() == []


def test_authorization_state_comes_back_unchanged(zoom_sandbox):
    client = OAuth2Client(CLIENT_ID, CLIENT_SECRET, redirect_uri=REDIRECT_URI)
    url, state = client.create_authorization_url(
        zoom_sandbox.oauth_base_url + "/oauth/authorize", state="a b&c=d/é"
    )
    location = _authorize_in_sandbox(zoom_sandbox, url)
    token = client.fetch_token(
        zoom_sandbox.oauth_base_url + "/oauth/token", authorization_response=location, state=state
    )
    assert token["scope"].split() == zoom_sandbox.config()["scopes"]
