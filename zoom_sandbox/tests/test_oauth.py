"""OAuth details the app must cope with: code life, PKCE, rotation, re-authorization, errors."""

import base64
import hashlib
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from zoom_sandbox.tests.helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    HOST,
    HTTP,
    REDIRECT_URI,
    api,
    assert_matches,
    code_from,
    connect,
    exchange,
    refresh,
)

VERIFIER = "v" * 20 + "-._~" + "x" * 30


def _s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def _error(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    assert_matches("oauth_error.response.json", response.json())
    return response.json()["error"]


def test_code_works_once(zoom_sandbox):
    code = code_from(zoom_sandbox.authorize(HOST))
    assert exchange(zoom_sandbox, code).status_code == 200
    assert _error(exchange(zoom_sandbox, code)) == "invalid_request"


def test_code_expires_after_five_minutes(zoom_sandbox):
    code = code_from(zoom_sandbox.authorize(HOST))
    zoom_sandbox.advance_clock(301)
    response = exchange(zoom_sandbox, code)
    assert _error(response) == "invalid_request"
    assert response.json()["reason"] == "Code is expired"


def test_redirect_uri_must_match_exactly(zoom_sandbox):
    code = code_from(zoom_sandbox.authorize(HOST))
    response = exchange(zoom_sandbox, code, redirect_uri=REDIRECT_URI.rstrip("/"))
    assert _error(response) == "invalid_request"
    assert response.json()["reason"] == "Redirect URI mismatch."


@pytest.mark.parametrize(
    ("method", "challenge"),
    [("S256", _s256(VERIFIER)), ("plain", VERIFIER), (None, VERIFIER)],
)
def test_pkce_verifier_is_checked(zoom_sandbox, method, challenge):
    location = zoom_sandbox.authorize(HOST, code_challenge=challenge, code_challenge_method=method)
    assert _error(exchange(zoom_sandbox, code_from(location), code_verifier="wrong" * 10)) == (
        "invalid_grant"
    )
    location = zoom_sandbox.authorize(HOST, code_challenge=challenge, code_challenge_method=method)
    assert exchange(zoom_sandbox, code_from(location), code_verifier=VERIFIER).status_code == 200


def test_missing_verifier_is_refused_when_a_challenge_was_sent(zoom_sandbox):
    location = zoom_sandbox.authorize(
        HOST, code_challenge=_s256(VERIFIER), code_challenge_method="S256"
    )
    assert _error(exchange(zoom_sandbox, code_from(location))) == "invalid_grant"


def test_token_parameters_may_come_in_the_query_string(zoom_sandbox):
    code = code_from(zoom_sandbox.authorize(HOST))
    query = urlencode(
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    )
    response = HTTP.post(
        f"{zoom_sandbox.oauth_base_url}/oauth/token?{query}", auth=(CLIENT_ID, CLIENT_SECRET)
    )
    assert response.status_code == 200
    assert_matches("oauth_token.response.json", response.json())


@pytest.mark.parametrize(
    ("auth", "data", "error"),
    [
        (None, {"grant_type": "refresh_token", "refresh_token": "x"}, "invalid_client"),
        ((CLIENT_ID, "wrong"), {"grant_type": "refresh_token", "refresh_token": "x"},
         "invalid_client"),
        ((CLIENT_ID, CLIENT_SECRET), {"grant_type": "client_credentials"},
         "unsupported_grant_type"),
        ((CLIENT_ID, CLIENT_SECRET), {}, "invalid_request"),
        ((CLIENT_ID, CLIENT_SECRET), {"grant_type": "refresh_token", "refresh_token": "nope"},
         "invalid_grant"),
    ],
)  # fmt: skip
def test_token_errors_are_zooms_400_reason_and_error(zoom_sandbox, auth, data, error):
    response = HTTP.post(zoom_sandbox.oauth_base_url + "/oauth/token", auth=auth, data=data)
    assert _error(response) == error


def test_refresh_rotates_and_the_old_refresh_token_dies(zoom_sandbox):
    tokens = connect(zoom_sandbox)
    renewed = refresh(zoom_sandbox, tokens["refresh_token"])
    assert renewed.status_code == 200
    assert_matches("oauth_token.response.json", renewed.json())
    again = refresh(zoom_sandbox, tokens["refresh_token"])
    assert _error(again) == "invalid_grant"
    assert again.json()["reason"] == "Invalid Token!"
    assert refresh(zoom_sandbox, renewed.json()["refresh_token"]).status_code == 200


def test_access_token_expires_after_its_ttl(zoom_sandbox):
    tokens = connect(zoom_sandbox)
    with api(zoom_sandbox, tokens["access_token"]) as zoom:
        assert zoom.get("/users/me").status_code == 200
        zoom_sandbox.advance_clock(3600)
        expired = zoom.get("/users/me")
    assert expired.status_code == 401
    assert expired.json() == {"code": 124, "message": "Access token is expired."}


def test_access_token_ttl_is_configurable(zoom_sandbox):
    zoom_sandbox.configure(access_token_ttl=60)
    tokens = connect(zoom_sandbox)
    assert tokens["expires_in"] == 59
    zoom_sandbox.advance_clock(61)
    with api(zoom_sandbox, tokens["access_token"]) as zoom:
        assert zoom.get("/users/me").json()["code"] == 124
    assert refresh(zoom_sandbox, tokens["refresh_token"]).status_code == 200


def test_refresh_token_expires_after_ninety_days(zoom_sandbox):
    tokens = connect(zoom_sandbox)
    zoom_sandbox.advance_clock(90 * 86400)
    assert _error(refresh(zoom_sandbox, tokens["refresh_token"])) == "invalid_grant"


def test_reauthorizing_the_same_user_invalidates_earlier_tokens(zoom_sandbox):
    first = connect(zoom_sandbox)
    second = connect(zoom_sandbox)
    with api(zoom_sandbox, first["access_token"]) as zoom:
        old = zoom.get("/users/me")
    assert old.status_code == 401
    assert old.json() == {"code": 124, "message": "Invalid access token."}
    assert _error(refresh(zoom_sandbox, first["refresh_token"])) == "invalid_grant"
    with api(zoom_sandbox, second["access_token"]) as zoom:
        assert zoom.get("/users/me").status_code == 200


def test_other_users_grants_are_untouched_by_a_new_authorization(zoom_sandbox):
    first = connect(zoom_sandbox, HOST)
    connect(zoom_sandbox, "host2@sandbox.zoom.test")
    with api(zoom_sandbox, first["access_token"]) as zoom:
        assert zoom.get("/users/me").status_code == 200


def test_revoke_needs_client_auth_and_a_live_access_token(zoom_sandbox):
    tokens = connect(zoom_sandbox)
    url = zoom_sandbox.oauth_base_url + "/oauth/revoke"
    assert _error(HTTP.post(url, data={"token": tokens["access_token"]})) == "invalid_client"
    refused = HTTP.post(url, auth=(CLIENT_ID, CLIENT_SECRET), data={"token": "bogus"})
    assert _error(refused) == "invalid_request"
    ok = HTTP.post(url, auth=(CLIENT_ID, CLIENT_SECRET), data={"token": tokens["access_token"]})
    assert ok.json() == {"status": "success"}
    assert_matches("oauth_revoke.response.json", ok.json())
    assert _error(refresh(zoom_sandbox, tokens["refresh_token"])) == "invalid_grant"
    again = HTTP.post(url, auth=(CLIENT_ID, CLIENT_SECRET), data={"token": tokens["access_token"]})
    assert again.status_code == 400


def test_token_calls_are_logged_with_grant_type_and_user(zoom_sandbox):
    since = zoom_sandbox.last_seq()
    tokens = connect(zoom_sandbox)
    refresh(zoom_sandbox, tokens["refresh_token"])
    logged = zoom_sandbox.requests(since=since)
    assert [(r["path"], r["grant_type"], r["status"]) for r in logged] == [
        ("/oauth/token", "authorization_code", 200),
        ("/oauth/token", "refresh_token", 200),
    ]
    me = zoom_sandbox.user(HOST)
    assert {r["zoom_user_id"] for r in logged} == {me["id"]}


def _authorize_url(zoom_sandbox, **params: str) -> str:
    base = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI}
    return zoom_sandbox.oauth_base_url + "/oauth/authorize?" + urlencode({**base, **params})


@pytest.mark.parametrize(
    ("params", "heading"),
    [({"client_id": "someone-else"}, "Invalid client_id"),
     ({"redirect_uri": "http://evil.test/cb"}, "Invalid redirect"),
     ({"redirect_uri": REDIRECT_URI + "extra"}, "Invalid redirect")],
)  # fmt: skip
def test_bad_client_or_redirect_shows_an_error_page_and_never_redirects(
    zoom_sandbox, params, heading
):
    response = HTTP.get(_authorize_url(zoom_sandbox, **params))
    assert response.status_code == 400
    assert heading in response.text
    assert "location" not in response.headers


def test_protocol_errors_after_a_valid_redirect_go_back_to_the_app(zoom_sandbox):
    response = HTTP.get(_authorize_url(zoom_sandbox, response_type="token", state="s1"))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query == {"error": ["unsupported_response_type"], "state": ["s1"]}
    bad_method = HTTP.get(
        _authorize_url(zoom_sandbox, code_challenge=VERIFIER, code_challenge_method="S512")
    )
    assert "error=invalid_request" in bad_method.headers["location"]


def test_a_padded_s256_challenge_is_refused(zoom_sandbox):
    response = HTTP.get(
        _authorize_url(
            zoom_sandbox, code_challenge=_s256(VERIFIER) + "=", code_challenge_method="S256"
        )
    )
    assert "error=invalid_request" in response.headers["location"]
