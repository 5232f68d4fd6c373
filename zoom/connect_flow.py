"""The browser's trip to Zoom and back: OAuth authorization code with PKCE (S256) and state.

`state` and the PKCE verifier live in the signed-in user's server-side session, bound to
the business and user that started, usable once, for ten minutes. The callback refuses
anything else before any call to Zoom.
"""

import hmac
import secrets
import time
from dataclasses import dataclass

from authlib.common.security import generate_token
from django.http import HttpRequest

from accounts.models import Business, User
from zoom import client, services

SESSION_KEY = "zoom_oauth"
STATE_TTL = 600  # seconds
MAX_PENDING = 5


@dataclass(frozen=True)
class PendingConnect:
    state: str
    code_verifier: str
    business_id: int
    user_id: int
    return_to: str
    draft_id: str


def _live(pending: dict[str, dict]) -> dict[str, dict]:
    now = time.time()
    return {state: entry for state, entry in pending.items() if now - entry["created"] < STATE_TTL}


def connect_begin(
    request: HttpRequest, *, business: Business, user: User, return_to: str, draft_id: str = ""
) -> str:
    """Start connecting: remember state + verifier, and return Zoom's authorize URL."""
    state = secrets.token_urlsafe(32)
    verifier = generate_token(64)  # RFC 7636: 43–128 characters
    pending = _live(request.session.get(SESSION_KEY, {}))
    while len(pending) >= MAX_PENDING:
        pending.pop(min(pending, key=lambda s: pending[s]["created"]))
    pending[state] = {
        "created": time.time(),
        "verifier": verifier,
        "business": business.pk,
        "user": user.pk,
        "return_to": return_to,
        "draft": draft_id,
    }
    request.session[SESSION_KEY] = pending
    services.zoom_connect_attempt_start(business=business, user=user)
    return client.authorization_url(state=state, code_verifier=verifier)


def connect_take(request: HttpRequest, state: str) -> PendingConnect | None:
    """The pending attempt this `state` belongs to, removed so it cannot be used twice.

    None when the state is missing, unknown, expired, or was started by someone else.
    """
    stored = request.session.get(SESSION_KEY, {})
    match = next((s for s in stored if state and hmac.compare_digest(s, state)), None)
    if match is None:
        return None
    entry = stored.pop(match)
    request.session[SESSION_KEY] = stored
    if time.time() - entry["created"] >= STATE_TTL:
        return None
    business = getattr(request, "business", None)
    if business is None or entry["business"] != business.pk or entry["user"] != request.user.pk:
        return None
    return PendingConnect(
        state=match,
        code_verifier=entry["verifier"],
        business_id=entry["business"],
        user_id=entry["user"],
        return_to=entry["return_to"],
        draft_id=entry["draft"],
    )
