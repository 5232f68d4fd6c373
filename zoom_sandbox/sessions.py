"""Sign-in sessions and CSRF protection for the sandbox's own pages.

The session is a random cookie mapped to a user id in memory. CSRF uses a double-submit
token: a random cookie whose value every form must repeat. Cookie names are prefixed
because the sandbox usually shares 127.0.0.1 with the app, and browsers do not separate
cookies by port.
"""

import hmac
import secrets
from typing import TYPE_CHECKING

from zoom_sandbox.state import User
from zoom_sandbox.web import Request

if TYPE_CHECKING:
    from zoom_sandbox.sandbox import Sandbox

SESSION_COOKIE = "zoomsandbox_session"
CSRF_COOKIE = "zoomsandbox_csrf"
CSRF_FIELD = "csrf_token"


def current_user(sb: "Sandbox", req: Request) -> User | None:
    token = req.cookie(SESSION_COOKIE)
    if not token:
        return None
    with sb.lock:
        user_id = sb.sessions.get(token)
        return sb.store.users.get(user_id) if user_id else None


def sign_in(sb: "Sandbox", user: User) -> str:
    """A new session for the user; returns the Set-Cookie value."""
    token = secrets.token_urlsafe(32)
    with sb.lock:
        sb.sessions[token] = user.id
    # Lax, so the session is sent when the app redirects the browser here.
    return f"{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"


def sign_out(sb: "Sandbox", req: Request) -> str:
    token = req.cookie(SESSION_COOKIE)
    if token:
        with sb.lock:
            sb.sessions.pop(token, None)
    return f"{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"


class Csrf:
    """The CSRF token for one page render, and the cookie to set if it is new."""

    def __init__(self, req: Request) -> None:
        existing = req.cookie(CSRF_COOKIE)
        self.token = existing or secrets.token_urlsafe(24)
        self.set_cookie = (
            None if existing else f"{CSRF_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        )


def csrf_ok(req: Request, form: dict[str, str]) -> bool:
    cookie = req.cookie(CSRF_COOKIE) or ""
    submitted = form.get(CSRF_FIELD, "")
    return bool(cookie) and hmac.compare_digest(cookie, submitted)
