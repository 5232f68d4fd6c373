"""The one module that talks to Zoom over HTTP: OAuth (through Authlib) and the REST API.

Plain functions, each naming its endpoint; responses are parsed strictly into small typed
objects; every failure becomes one of the errors in zoom.errors. Nothing here retries:
retries belong to the task layer. Tokens and request bodies are never logged.
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx2
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from django.conf import settings
from django.utils import timezone

from zoom.errors import (
    ZoomAuthError,
    ZoomConfigurationError,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomRequestError,
    ZoomTemporaryError,
)

logger = logging.getLogger(__name__)

# Least privilege: read the connecting user, and create/read/update/delete/list their
# meetings. Zoom takes scopes from the app's configuration, not from the authorize URL;
# these are what we check the granted `scope` string against (either scope style).
REQUIRED_SCOPES: dict[str, tuple[str, ...]] = {
    "read your Zoom profile": ("user:read:user", "user:read", "user_info:read"),
    "create meetings": ("meeting:write:meeting", "meeting:write"),
    "update meetings": ("meeting:update:meeting", "meeting:write"),
    "delete meetings": ("meeting:delete:meeting", "meeting:write"),
    "read meetings": ("meeting:read:meeting", "meeting:read"),
    "list meetings": ("meeting:read:list_meetings", "meeting:read"),
}


@dataclass(frozen=True)
class TokenSet:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: dt.datetime
    scope: str
    api_url: str

    def missing_scopes(self) -> list[str]:
        granted = set(self.scope.split())
        return [
            need for need, options in REQUIRED_SCOPES.items() if not granted.intersection(options)
        ]


@dataclass(frozen=True)
class ZoomUser:
    id: str
    account_id: str
    email: str
    display_name: str
    timezone: str


@dataclass(frozen=True)
class ZoomMeeting:
    id: int
    topic: str
    start_time: dt.datetime | None
    duration: int
    timezone: str
    agenda: str
    join_url: str
    password: str
    host_id: str
    settings: dict[str, Any]
    # A host secret: handed straight to the host's browser, never stored or logged.
    start_url: str = field(default="", repr=False)


# --- transport ---------------------------------------------------------------------------

_http: httpx2.Client | None = None


def _client() -> httpx2.Client:
    """A pooled client, so a worker reuses its connections to Zoom (keep-alive)."""
    global _http
    if _http is None:
        _http = httpx2.Client(
            timeout=settings.ZOOM_HTTP_TIMEOUT, headers={"User-Agent": "Slotwise"}
        )
    return _http


def _oauth_client() -> OAuth2Client:
    client = OAuth2Client(
        client_id=settings.ZOOM_CLIENT_ID,
        client_secret=settings.ZOOM_CLIENT_SECRET,
        redirect_uri=settings.ZOOM_REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
        timeout=settings.ZOOM_HTTP_TIMEOUT,
    )
    client.register_compliance_hook("access_token_response", _check_token_response)
    client.register_compliance_hook("refresh_token_response", _check_token_response)
    return client


def _check_token_response(response: httpx2.Response) -> httpx2.Response:
    # Authlib raises OAuthError for {"error": ...} bodies; everything else that is not a
    # success we sort out here, before it tries to read a token from it.
    if response.status_code == 429:
        raise _rate_limited(response)
    if response.status_code >= 500:
        raise ZoomTemporaryError(
            f"Zoom's OAuth server answered {response.status_code}.", status=response.status_code
        )
    return response


def _oauth_url(path: str) -> str:
    return f"{settings.ZOOM_OAUTH_BASE_URL}{path}"


def _oauth_failure(exc: OAuthError) -> ZoomError:
    error = exc.error or "unknown"
    if error == "invalid_client":
        return ZoomConfigurationError(
            "Zoom did not accept Slotwise's client id or secret.", status=400, code=error
        )
    if error in ("invalid_grant", "invalid_token"):
        return ZoomAuthError("Zoom no longer accepts this authorization.", status=400, code=error)
    return ZoomRequestError(f"Zoom refused the request ({error}).", status=400, code=error)


def _token_set(data: dict[str, Any]) -> TokenSet:
    try:
        expires_in = int(data["expires_in"])
        return TokenSet(
            access_token=str(data["access_token"]),
            refresh_token=str(data["refresh_token"]),
            expires_at=timezone.now() + dt.timedelta(seconds=expires_in),
            scope=str(data["scope"]),
            api_url=str(data.get("api_url") or ""),
        )
    except (KeyError, TypeError, ValueError) as exc:
        # Zoom's own SDK rejects a token response lacking any of these fields too.
        raise ZoomTemporaryError("Zoom's token response was incomplete.") from exc


def _oauth_call(action: str, call: Any) -> Any:
    started = time.monotonic()
    try:
        result = call()
    except OAuthError as exc:
        logger.info("zoom oauth %s failed: %s", action, exc.error)
        raise _oauth_failure(exc) from None
    except httpx2.TransportError as exc:
        logger.info("zoom oauth %s: %s", action, type(exc).__name__)
        raise ZoomTemporaryError(f"Zoom could not be reached ({type(exc).__name__}).") from None
    except ValueError as exc:  # a body that is not JSON
        raise ZoomTemporaryError("Zoom's OAuth server sent an unreadable answer.") from exc
    logger.info("zoom oauth %s ok in %.0f ms", action, (time.monotonic() - started) * 1000)
    return result


# --- OAuth -------------------------------------------------------------------------------


def authorization_url(*, state: str, code_verifier: str) -> str:
    """GET /oauth/authorize: where to send the browser, with state and an S256 PKCE challenge."""
    client = _oauth_client()
    try:
        url, _state = client.create_authorization_url(
            _oauth_url("/oauth/authorize"), state=state, code_verifier=code_verifier
        )
    finally:
        client.close()
    return url


def exchange_code(*, code: str, code_verifier: str) -> TokenSet:
    """POST /oauth/token (authorization_code): trade the callback's code for tokens."""
    client = _oauth_client()
    try:
        data = _oauth_call(
            "exchange",
            lambda: client.fetch_token(
                _oauth_url("/oauth/token"),
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
            ),
        )
    finally:
        client.close()
    return _token_set(dict(data))


def refresh(*, refresh_token: str) -> TokenSet:
    """POST /oauth/token (refresh_token): a new pair; the old refresh token dies (rotation)."""
    client = _oauth_client()
    try:
        data = _oauth_call(
            "refresh",
            lambda: client.refresh_token(_oauth_url("/oauth/token"), refresh_token=refresh_token),
        )
    finally:
        client.close()
    return _token_set(dict(data))


def revoke(*, access_token: str) -> None:
    """POST /oauth/revoke: withdraw the grant; Zoom also uninstalls the app for the user."""
    client = _oauth_client()
    try:
        response = _oauth_call(
            "revoke", lambda: client.revoke_token(_oauth_url("/oauth/revoke"), token=access_token)
        )
    finally:
        client.close()
    _check_token_response(response)
    if response.status_code >= 400:
        try:
            error = str(response.json().get("error", "unknown"))
        except ValueError:
            error = "unknown"
        raise _oauth_failure(OAuthError(error=error))


# --- REST --------------------------------------------------------------------------------


def _retry_at(response: httpx2.Response, *, daily: bool) -> dt.datetime:
    raw = response.headers.get("Retry-After", "").strip()
    now = timezone.now()
    if raw.isdigit():
        return now + dt.timedelta(seconds=int(raw))
    if raw:
        try:
            when = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            try:
                when = parsedate_to_datetime(raw)
            except (TypeError, ValueError):
                when = None
        if when is not None:
            return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    if daily:
        # Zoom's daily limits reset at 00:00 UTC; some 429s carry no Retry-After at all.
        tomorrow = (now.astimezone(dt.UTC) + dt.timedelta(days=1)).date()
        return dt.datetime.combine(tomorrow, dt.time.min, tzinfo=dt.UTC)
    return now + dt.timedelta(seconds=1)


def _rate_limited(response: httpx2.Response) -> ZoomRateLimited:
    kind = response.headers.get("X-RateLimit-Type", "")
    message = _error_body(response)[1]
    daily = kind.lower().startswith("daily") or "daily" in message.lower()
    return ZoomRateLimited(
        f"Zoom rate limit ({kind or 'unspecified'}): {message}",
        retry_at=_retry_at(response, daily=daily),
        daily=daily,
    )


def _error_body(response: httpx2.Response) -> tuple[int | None, str]:
    try:
        body = response.json()
    except ValueError:
        return None, response.reason_phrase or ""
    if not isinstance(body, dict):
        return None, ""
    code = body.get("code")
    return (code if isinstance(code, int) else None), str(body.get("message", ""))


def _raise_for(response: httpx2.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    if status == 429:
        raise _rate_limited(response)
    if status >= 500:
        raise ZoomTemporaryError(f"Zoom answered {status}.", status=status)
    code, message = _error_body(response)
    if status == 401:
        raise ZoomAuthError(
            message or "Zoom did not accept the access token.", status=status, code=code
        )
    if code == 4711:
        raise ZoomAuthError(
            "The Zoom authorization lacks a permission Slotwise needs; connect again.",
            status=status,
            code=code,
        )
    if status == 404:
        raise ZoomNotFound(message or "Not found in Zoom.", status=status, code=code)
    raise ZoomRequestError(
        message or f"Zoom refused the request ({status}).", status=status, code=code
    )


def _request(
    method: str,
    path: str,
    *,
    access_token: str,
    json: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
) -> httpx2.Response:
    url = f"{settings.ZOOM_API_BASE_URL}{path}"
    started = time.monotonic()
    try:
        response = _client().request(
            method,
            url,
            json=json,
            params=params,
            headers={"Authorization": f"Bearer {access_token}"},
        )
    except httpx2.TransportError as exc:
        logger.info("zoom %s %s: %s", method, path, type(exc).__name__)
        raise ZoomTemporaryError(f"Zoom could not be reached ({type(exc).__name__}).") from None
    logger.info(
        "zoom %s %s -> %s in %.0f ms",
        method,
        path,
        response.status_code,
        (time.monotonic() - started) * 1000,
    )
    _raise_for(response)
    return response


def _json(response: httpx2.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise ZoomTemporaryError("Zoom sent an unreadable answer.") from exc
    if not isinstance(body, dict):
        raise ZoomTemporaryError("Zoom sent an unexpected answer.")
    return body


def _parse_time(value: object) -> dt.datetime | None:
    if not value:
        return None
    text = str(value).replace("Z", "+00:00")
    parsed = dt.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _meeting(data: dict[str, Any]) -> ZoomMeeting:
    try:
        return ZoomMeeting(
            id=int(data["id"]),
            topic=str(data.get("topic", "")),
            start_time=_parse_time(data.get("start_time")),
            duration=int(data.get("duration") or 0),
            timezone=str(data.get("timezone") or ""),
            agenda=str(data.get("agenda") or ""),
            join_url=str(data["join_url"]),
            password=str(data.get("password") or ""),
            host_id=str(data.get("host_id") or ""),
            settings=dict(data.get("settings") or {}),
            start_url=str(data.get("start_url") or ""),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ZoomTemporaryError("Zoom's meeting answer was incomplete.") from exc


def get_me(*, access_token: str) -> ZoomUser:
    """GET /users/me: the Zoom user who authorized Slotwise."""
    data = _json(_request("GET", "/users/me", access_token=access_token))
    try:
        name = data.get("display_name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        return ZoomUser(
            id=str(data["id"]),
            account_id=str(data["account_id"]),
            email=str(data.get("email") or ""),
            display_name=str(name or data.get("email") or ""),
            timezone=str(data.get("timezone") or ""),
        )
    except KeyError as exc:
        raise ZoomTemporaryError("Zoom's user answer was incomplete.") from exc


def create_meeting(*, access_token: str, body: dict[str, Any]) -> ZoomMeeting:
    """POST /users/me/meetings: a scheduled meeting hosted by the connected user."""
    return _meeting(
        _json(_request("POST", "/users/me/meetings", access_token=access_token, json=body))
    )


def get_meeting(*, access_token: str, meeting_id: int) -> ZoomMeeting:
    """GET /meetings/{meetingId}: current state, including a fresh start_url."""
    return _meeting(_json(_request("GET", f"/meetings/{meeting_id}", access_token=access_token)))


def update_meeting(*, access_token: str, meeting_id: int, body: dict[str, Any]) -> None:
    """PATCH /meetings/{meetingId}: Zoom answers 204 with no body."""
    _request("PATCH", f"/meetings/{meeting_id}", access_token=access_token, json=body)


def delete_meeting(*, access_token: str, meeting_id: int) -> None:
    """DELETE /meetings/{meetingId}: 204; a meeting already gone or ended counts as deleted."""
    try:
        _request("DELETE", f"/meetings/{meeting_id}", access_token=access_token)
    except ZoomNotFound:
        return
    except ZoomRequestError as exc:
        if exc.code == 3007:  # "cannot delete a meeting that has ended": nothing left to do
            return
        raise


def list_meetings(*, access_token: str, page_token: str = "") -> tuple[list[ZoomMeeting], str]:
    """GET /users/me/meetings (scheduled, 300 a page): for adopting meetings we lost track of."""
    params: dict[str, Any] = {"type": "scheduled", "page_size": 300}
    if page_token:
        params["next_page_token"] = page_token
    data = _json(_request("GET", "/users/me/meetings", access_token=access_token, params=params))
    items = data.get("meetings") or []
    meetings = []
    for item in items:
        # List items carry no passcode or settings; what we need from them is id and agenda.
        meetings.append(_meeting({**item, "join_url": item.get("join_url", "")}))
    return meetings, str(data.get("next_page_token") or "")
