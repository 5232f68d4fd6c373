"""Zoom's OAuth 2.0 server side for a user-managed General app (REFERENCE 1).

Authorization codes live 5 minutes and work once; refresh tokens rotate (only the latest
works); a new authorization of the same user kills that user's earlier tokens; revoke
uninstalls the app and sends `app_deauthorized`. Error bodies are Zoom's 400
`{"reason", "error"}`.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zoom_sandbox import ids
from zoom_sandbox.clock import iso_utc
from zoom_sandbox.meetings import ApiError
from zoom_sandbox.state import (
    AccessToken,
    AuthCode,
    Grant,
    Installation,
    User,
    install_key,
)
from zoom_sandbox.web import Request, Response, json_response

if TYPE_CHECKING:
    from zoom_sandbox.sandbox import Sandbox


class OAuthError(Exception):
    def __init__(self, error: str, reason: str) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason

    def response(self) -> Response:
        return json_response(400, {"reason": self.reason, "error": self.error})


def _params(req: Request) -> dict[str, str]:
    # Zoom accepts token-endpoint parameters in the query string or a form body (REFERENCE 1.3).
    return {**req.query, **req.form()}


def authenticate_client(sb: "Sandbox", req: Request) -> str:
    """The client id from HTTP Basic auth; only the header is accepted (stricter side)."""
    header = req.header("authorization") or ""
    if not header.lower().startswith("basic "):
        raise OAuthError("invalid_client", "Client ID or client secret is missing.")
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        client_id, _, secret = decoded.partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "Invalid client_id or client_secret") from None
    config = sb.config
    if not (
        hmac.compare_digest(client_id, config.client_id)
        and hmac.compare_digest(secret, config.client_secret)
    ):
        raise OAuthError("invalid_client", "Invalid client_id or client_secret")
    return client_id


def token_endpoint(sb: "Sandbox", req: Request) -> Response:
    """POST /oauth/token."""
    params = _params(req)
    grant_type = params.get("grant_type")
    req.log["grant_type"] = grant_type
    try:
        client_id = authenticate_client(sb, req)
        if not grant_type:
            raise OAuthError("invalid_request", "Missing grant type")
        if grant_type == "authorization_code":
            body = _exchange_code(sb, client_id, params)
        elif grant_type == "refresh_token":
            body = _refresh(sb, client_id, params)
        else:
            raise OAuthError("unsupported_grant_type", "Unsupported grant type")
    except OAuthError as exc:
        return exc.response()
    req.log["zoom_user_id"] = body.pop("_user_id")
    return json_response(200, body, [("Cache-Control", "no-store")])


def _pkce_matches(code: AuthCode, verifier: str | None) -> bool:
    if code.code_challenge is None:
        return True
    if not verifier:
        return False
    if code.code_challenge_method == "S256":
        digest = hashlib.sha256(verifier.encode()).digest()
        # RFC 7636 form only: unpadded base64url (REFERENCE 1.2 CONFLICT, stricter side).
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    else:
        expected = verifier
    return hmac.compare_digest(expected, code.code_challenge)


def _exchange_code(sb: "Sandbox", client_id: str, params: dict[str, str]) -> dict[str, object]:
    value = params.get("code")
    if not value:
        raise OAuthError("invalid_request", "Invalid authorization code")
    with sb.lock:
        now = sb.clock.now()
        code = sb.store.codes.get(value)
        if code is None or code.used or code.client_id != client_id:
            raise OAuthError("invalid_request", f"Invalid authorization code {value}")
        if now >= code.expires_at:
            raise OAuthError("invalid_request", "Code is expired")
        if params.get("redirect_uri") != code.redirect_uri:
            raise OAuthError("invalid_request", "Redirect URI mismatch.")
        if not _pkce_matches(code, params.get("code_verifier")):
            raise OAuthError("invalid_grant", "Invalid code_verifier")
        code.used = True
        user = sb.store.users.get(code.user_id)
        if user is None or sb.store.installation(user.id, client_id) is None:
            # The user removed the app between Allow and the exchange.
            raise OAuthError("invalid_grant", "Invalid Token!")
        # The newest authorization wins: earlier tokens of this user die (REFERENCE 1.4).
        _revoke_grants(sb, user.id, client_id)
        grant = Grant(
            id=ids.opaque(12),
            user_id=user.id,
            client_id=client_id,
            scopes=list(code.scopes),
            created_at=now,
            refresh_token="",
            refresh_expires_at=0,
        )
        sb.store.grants[grant.id] = grant
        body = _issue_tokens(sb, grant, user)
        sb.store.codes = {k: c for k, c in sb.store.codes.items() if c.expires_at > now}
    sb.changed()
    return body


def _refresh(sb: "Sandbox", client_id: str, params: dict[str, str]) -> dict[str, object]:
    value = params.get("refresh_token")
    if not value:
        raise OAuthError("invalid_request", "Missing refresh token")
    with sb.lock:
        now = sb.clock.now()
        grant = next(
            (g for g in sb.store.grants.values() if g.refresh_token == value and not g.revoked),
            None,
        )
        # A rotated-away, revoked or expired refresh token all read the same to the app.
        if grant is None or grant.client_id != client_id or now >= grant.refresh_expires_at:
            raise OAuthError("invalid_grant", "Invalid Token!")
        user = sb.store.users.get(grant.user_id)
        if user is None:
            raise OAuthError("invalid_grant", "Invalid Token!")
        body = _issue_tokens(sb, grant, user)
    sb.changed()
    return body


def _issue_tokens(sb: "Sandbox", grant: Grant, user: User) -> dict[str, object]:
    """New access token and a new refresh token for a grant (the old refresh token dies)."""
    config = sb.config
    now = sb.clock.now()
    ttl = config.access_token_ttl
    claims: dict[str, object] = {
        "ver": 9,
        "auid": ids.opaque(16),
        "uid": user.id,
        "aid": user.account_id,
        "iss": "zm:cid:" + grant.client_id,
        "gno": 0,
        "type": 0,
        "tid": 0,
        "aud": "https://oauth.zoom.us",
        "iat": int(now),
        "exp": int(now + ttl),
    }
    access = ids.jwt_like(sb.signing_key, claims)
    refresh = ids.jwt_like(
        sb.signing_key, {**claims, "type": 1, "exp": int(now + config.refresh_token_ttl)}
    )
    grant.refresh_token = refresh
    grant.refresh_expires_at = now + config.refresh_token_ttl
    sb.store.access_tokens[access] = AccessToken(
        token=access,
        grant_id=grant.id,
        user_id=user.id,
        client_id=grant.client_id,
        scopes=list(grant.scopes),
        expires_at=now + ttl,
    )
    if len(sb.store.access_tokens) > 5000:
        # Long-running demos: forget tokens that expired more than a day ago.
        sb.store.access_tokens = {
            k: t for k, t in sb.store.access_tokens.items() if t.expires_at > now - 86400
        }
    return {
        "access_token": access,
        "token_type": "bearer",
        "refresh_token": refresh,
        # Zoom's example shows 3599 for a one-hour token: report a second less than its life.
        "expires_in": ttl - 1 if ttl >= 2 else ttl,
        "scope": " ".join(grant.scopes),
        "api_url": sb.base_url,
        "_user_id": user.id,
    }


def _revoke_grants(sb: "Sandbox", user_id: str, client_id: str) -> None:
    for grant in sb.store.grants.values():
        if grant.user_id == user_id and grant.client_id == client_id and not grant.revoked:
            grant.revoked = True
    for token in sb.store.access_tokens.values():
        if token.user_id == user_id and token.client_id == client_id:
            token.revoked = True


def revoke_endpoint(sb: "Sandbox", req: Request) -> Response:
    """POST /oauth/revoke: revokes the token, uninstalls the app, sends app_deauthorized."""
    try:
        client_id = authenticate_client(sb, req)
    except OAuthError as exc:
        return exc.response()
    value = _params(req).get("token", "")
    with sb.lock:
        token = sb.store.access_tokens.get(value)
        # Only a live access token is accepted (the docs name only that; stricter side).
        if (
            token is None
            or token.revoked
            or token.client_id != client_id
            or sb.clock.now() >= token.expires_at
        ):
            return OAuthError("invalid_request", "Invalid Token!").response()
        req.log["zoom_user_id"] = token.user_id
        uninstall(sb, token.user_id, client_id)
    return json_response(200, {"status": "success"})


def install(sb: "Sandbox", user: User, client_id: str) -> None:
    """Record that the user allowed the app (caller holds the lock)."""
    sb.store.installations[install_key(user.id, client_id)] = Installation(
        user_id=user.id,
        client_id=client_id,
        scopes=list(sb.config.scopes),
        installed_at=sb.clock.now(),
    )
    sb.changed()


def uninstall(sb: "Sandbox", user_id: str, client_id: str) -> bool:
    """Remove the app for a user: tokens die, `app_deauthorized` goes out (caller holds lock)."""
    installation = sb.store.installations.pop(install_key(user_id, client_id), None)
    _revoke_grants(sb, user_id, client_id)
    sb.changed()
    if installation is None:
        return False
    user = sb.store.users[user_id]
    now = sb.clock.now()
    sb.webhooks.emit(
        "app_deauthorized",
        {
            "account_id": user.account_id,
            "user_id": user.id,
            # An id of this deauthorization, not an HMAC of anything (REFERENCE 6.4).
            "signature": secrets.token_hex(32),
            "deauthorization_time": iso_utc(now, millis=True),
            "client_id": client_id,
        },
    )
    return True


def issue_code(
    sb: "Sandbox",
    *,
    user: User,
    client_id: str,
    redirect_uri: str,
    code_challenge: str | None,
    code_challenge_method: str | None,
) -> str:
    """An authorization code after the user pressed Allow (caller holds the lock)."""
    install(sb, user, client_id)
    code = AuthCode(
        code=ids.opaque(24),
        user_id=user.id,
        client_id=client_id,
        redirect_uri=redirect_uri,
        scopes=list(sb.config.scopes),
        expires_at=sb.clock.now() + sb.config.code_ttl,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method if code_challenge else None,
    )
    sb.store.codes[code.code] = code
    return code.code


@dataclass
class Caller:
    user: User
    token: AccessToken


def bearer(sb: "Sandbox", req: Request) -> Caller:
    """The user behind `Authorization: Bearer ...`, or Zoom's 401 code 124."""
    header = req.header("authorization") or ""
    value = header[7:].strip() if header.lower().startswith("bearer ") else ""
    with sb.lock:
        token = sb.store.access_tokens.get(value) if value else None
        if token is None or token.revoked:
            raise ApiError(401, 124, "Invalid access token.")
        grant = sb.store.grants.get(token.grant_id)
        if grant is None or grant.revoked:
            raise ApiError(401, 124, "Invalid access token.")
        if sb.clock.now() >= token.expires_at:
            raise ApiError(401, 124, "Access token is expired.")
        user = sb.store.users.get(token.user_id)
        if user is None:
            raise ApiError(401, 124, "Invalid access token.")
        req.log["zoom_user_id"] = user.id
        return Caller(user=user, token=token)


def require_scope(caller: Caller, accepted: tuple[str, ...]) -> None:
    """Zoom's 400 code 4711 when the token holds none of the accepted scopes."""
    if not set(accepted) & set(caller.token.scopes):
        listed = ",".join(accepted)
        raise ApiError(400, 4711, f"Invalid access token, does not contain scopes:[{listed}].")
