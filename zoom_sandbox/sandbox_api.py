"""The control API under /_sandbox/ for tests and benchmarks (JSON, no auth, loopback only).

`zoom_sandbox.control.SandboxClient` wraps every endpoint here; the README lists them.
"""

import functools
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from zoom_sandbox import actions, meetings, oauth
from zoom_sandbox.authorize_pages import decide, needs_approval
from zoom_sandbox.clock import iso_utc
from zoom_sandbox.faults import parse_rule
from zoom_sandbox.sandbox import Sandbox
from zoom_sandbox.state import Account, User, new_account, new_user
from zoom_sandbox.web import Request, Response, Router, json_response, with_query


class ControlError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _control(
    fn: Callable[[Sandbox, Request], Any],
) -> Callable[[Sandbox, Request], Response]:
    @functools.wraps(fn)
    def handler(sb: Sandbox, req: Request) -> Response:
        try:
            return json_response(200, fn(sb, req))
        except ControlError as exc:
            return json_response(exc.status, {"error": str(exc)})
        except ValueError as exc:
            return json_response(400, {"error": str(exc)})

    return handler


def _body(req: Request) -> dict[str, Any]:
    if not req.body:
        return {}
    try:
        data = req.json()
    except ValueError:
        raise ControlError("body must be JSON") from None
    if not isinstance(data, dict):
        raise ControlError("body must be a JSON object")
    return data


def user_json(user: User) -> dict[str, Any]:
    data = asdict(user)
    data.pop("password")
    data["display_name"] = user.display_name
    data["created_at"] = iso_utc(user.created_at)
    return data


def meeting_json(sb: Sandbox, meeting: meetings.Meeting) -> dict[str, Any]:
    host = sb.store.users.get(meeting.host_id)
    return {
        "id": meeting.id,
        "uuid": meeting.uuid,
        "host_id": meeting.host_id,
        "host_email": host.email if host else None,
        "topic": meeting.topic,
        "agenda": meeting.agenda,
        "type": meeting.type,
        "start_time": iso_utc(meeting.start_time) if meeting.start_time is not None else None,
        "duration": meeting.duration,
        "timezone": meeting.timezone,
        "password": meeting.password,
        "join_url": meetings.join_url(meeting, sb.base_url),
        "settings": meeting.settings,
        "status": meeting.status,
        "created_at": iso_utc(meeting.created_at),
        "deleted": meeting.deleted,
        "expired": meetings.is_expired(meeting, sb.clock.now()),
    }


@_control
def health(sb: Sandbox, req: Request) -> Any:
    return {"ok": True, "base_url": sb.base_url}


@_control
def reset(sb: Sandbox, req: Request) -> Any:
    sb.reset(keep_config=bool(_body(req).get("keep_config", False)))
    return {"ok": True}


@_control
def requests_log(sb: Sandbox, req: Request) -> Any:
    since = req.query.get("since", "0")
    if not since.isdigit():
        raise ControlError("since must be a sequence number")
    return {"requests": sb.requests_since(int(since)), "last_seq": sb.last_seq}


@_control
def list_meetings(sb: Sandbox, req: Request) -> Any:
    with sb.lock:
        found = [meeting_json(sb, m) for m in sb.store.meetings.values()]
    for key in ("host_id", "host_email"):
        if key in req.query:
            found = [m for m in found if m[key] == req.query[key]]
    return {"meetings": sorted(found, key=lambda m: m["created_at"])}


def _find_meeting(sb: Sandbox, raw_id: str) -> meetings.Meeting:
    meeting = sb.store.meetings.get(int(raw_id)) if raw_id.isdigit() else None
    if meeting is None:
        raise ControlError(f"no meeting {raw_id}", 404)
    return meeting


@_control
def meeting_status(sb: Sandbox, req: Request) -> Any:
    with sb.lock:
        meeting = _find_meeting(sb, req.params["meetingId"])
        actions.set_status(sb, meeting, str(_body(req).get("status")))
        return meeting_json(sb, meeting)


@_control
def faults(sb: Sandbox, req: Request) -> Any:
    if req.method == "POST":
        rule = parse_rule(_body(req))
        sb.faults.add(rule)
        return asdict(rule)
    if req.method == "DELETE":
        sb.faults.clear()
    return {"faults": sb.faults.rules()}


@_control
def latency(sb: Sandbox, req: Request) -> Any:
    if req.method == "POST":
        body = _body(req)
        ms, jitter = body.get("latency_ms", 0), body.get("jitter_ms", 0)
        if not all(isinstance(v, int) and v >= 0 for v in (ms, jitter)):
            raise ControlError("latency_ms and jitter_ms must be non-negative integers")
        sb.faults.set_latency(ms, jitter)
    return sb.faults.latency()


@_control
def clock(sb: Sandbox, req: Request) -> Any:
    if req.method == "POST":
        body = _body(req)
        if body.get("reset"):
            sb.clock.reset()
        if "now" in body:
            sb.clock.set_now(datetime.fromisoformat(str(body["now"]).replace("Z", "+00:00")))
        if "advance_seconds" in body:
            if not isinstance(body["advance_seconds"], int | float):
                raise ControlError("advance_seconds must be a number")
            sb.clock.advance(float(body["advance_seconds"]))
    return {"now": iso_utc(sb.clock.now(), millis=True), "offset_seconds": sb.clock.offset}


@_control
def config(sb: Sandbox, req: Request) -> Any:
    if req.method == "PATCH":
        with sb.lock:
            trial = sb.config.copy()
            trial.update(_body(req))
            sb.config = trial
    return sb.config.as_dict()


@_control
def add_redirect_uri(sb: Sandbox, req: Request) -> Any:
    uri = _body(req).get("uri")
    if not isinstance(uri, str) or not uri.startswith(("http://", "https://")):
        raise ControlError("uri must be an http(s) URL")
    with sb.lock:
        if uri not in sb.config.redirect_uris:
            sb.config.redirect_uris = [*sb.config.redirect_uris, uri]
        return sb.config.as_dict()


@_control
def rate_limits(sb: Sandbox, req: Request) -> Any:
    if req.method == "PATCH":
        return sb.rate_limiter.configure(_body(req))
    return sb.rate_limiter.describe()


@_control
def users(sb: Sandbox, req: Request) -> Any:
    if req.method == "POST":
        return _add_user(sb, _body(req))
    with sb.lock:
        return {"users": [user_json(u) for u in sb.store.users.values()]}


def _add_user(sb: Sandbox, body: dict[str, Any]) -> dict[str, Any]:
    email = body.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise ControlError("email is required")
    with sb.lock:
        if sb.store.user_by_email(email):
            raise ControlError(f"{email} already exists", 409)
        if body.get("account_id"):
            account = sb.store.accounts.get(body["account_id"])
            if account is None:
                raise ControlError("no such account_id", 404)
        else:
            spec = body.get("account") or {}
            account = new_account(
                name=spec.get("name") or f"{email.split('@')[1]} account",
                plan=spec.get("plan", "Pro"),
                timezone=spec.get("timezone", "UTC"),
                requires_app_approval=bool(spec.get("requires_app_approval", False)),
            )
            sb.store.accounts[account.id] = account
        user = new_user(
            account=account,
            email=email,
            password=body.get("password", "sandbox"),
            first_name=body.get("first_name", email.split("@")[0].capitalize()),
            last_name=body.get("last_name", "User"),
            type=body.get("type", 2),
            timezone=body.get("timezone"),
            role=body.get("role", "Owner" if not body.get("account_id") else "Member"),
            created_at=sb.clock.now(),
        )
        sb.store.users[user.id] = user
    sb.changed()
    return {**user_json(user), "account": asdict(account)}


@_control
def accounts(sb: Sandbox, req: Request) -> Any:
    with sb.lock:
        return {"accounts": [asdict(a) for a in sb.store.accounts.values()]}


@_control
def update_account(sb: Sandbox, req: Request) -> Any:
    body = _body(req)
    allowed = {"name", "plan", "timezone", "requires_app_approval", "require_passcode",
               "require_security_option"}  # fmt: skip
    if set(body) - allowed:
        raise ControlError(f"unknown fields: {', '.join(sorted(set(body) - allowed))}")
    with sb.lock:
        account: Account | None = sb.store.accounts.get(req.params["accountId"])
        if account is None:
            raise ControlError("no such account", 404)
        if "plan" in body and body["plan"] not in ("Free", "Pro", "Business"):
            raise ControlError("plan must be Free, Pro or Business")
        for key, value in body.items():
            setattr(account, key, value)
        sb.changed()
        return asdict(account)


def _user_from(sb: Sandbox, body: dict[str, Any]) -> User:
    user = (
        sb.store.users.get(body.get("user_id", ""))
        if body.get("user_id")
        else sb.store.user_by_email(str(body.get("email", "")))
    )
    if user is None:
        raise ControlError("no such user (give user_id or email)", 404)
    return user


@_control
def installations(sb: Sandbox, req: Request) -> Any:
    with sb.lock:
        return {"installations": [asdict(i) for i in sb.store.installations.values()]}


@_control
def remove_installation(sb: Sandbox, req: Request) -> Any:
    body = _body(req)
    with sb.lock:
        user = _user_from(sb, body)
        removed = oauth.uninstall(sb, user.id, body.get("client_id") or sb.config.client_id)
    return {"removed": removed}


@_control
def app_requests(sb: Sandbox, req: Request) -> Any:
    with sb.lock:
        return {"app_requests": [asdict(r) for r in sb.store.app_requests.values()]}


@_control
def approve_app_request(sb: Sandbox, req: Request) -> Any:
    with sb.lock:
        request = sb.store.app_requests.get(req.params["requestId"])
        if request is None:
            raise ControlError("no such request", 404)
        decide(sb, request, approve=True, admin=None)
        return asdict(request)


@_control
def authorize(sb: Sandbox, req: Request) -> Any:
    """What pressing Allow would do, without a browser: returns the redirect location."""
    body = _body(req)
    redirect_uri = body.get("redirect_uri") or sb.config.redirect_uris[0]
    if redirect_uri not in sb.config.redirect_uris:
        raise ControlError("redirect_uri is not configured for the app")
    with sb.lock:
        user = _user_from(sb, body)
        if needs_approval(sb, user, sb.config.client_id):
            raise ControlError("approval_required: the account's admin must approve the app", 403)
        challenge = body.get("code_challenge")
        code = oauth.issue_code(
            sb,
            user=user,
            client_id=sb.config.client_id,
            redirect_uri=redirect_uri,
            code_challenge=challenge,
            code_challenge_method=(body.get("code_challenge_method") or "plain")
            if challenge
            else None,
        )
    params = {"code": code, **({"state": body["state"]} if body.get("state") else {})}
    return {"location": with_query(redirect_uri, params), "code": code}


@_control
def deliveries(sb: Sandbox, req: Request) -> Any:
    return {"deliveries": sb.webhooks.deliveries(req.query.get("event"))}


@_control
def validate_webhook(sb: Sandbox, req: Request) -> Any:
    return sb.webhooks.validate_url()


def register(router: Router) -> None:
    routes: list[tuple[str, str, Callable[[Sandbox, Request], Response]]] = [
        ("GET", "/_sandbox/health", health),
        ("POST", "/_sandbox/reset", reset),
        ("GET", "/_sandbox/requests", requests_log),
        ("GET", "/_sandbox/meetings", list_meetings),
        ("POST", "/_sandbox/meetings/{meetingId}/status", meeting_status),
        ("GET", "/_sandbox/faults", faults),
        ("POST", "/_sandbox/faults", faults),
        ("DELETE", "/_sandbox/faults", faults),
        ("GET", "/_sandbox/latency", latency),
        ("POST", "/_sandbox/latency", latency),
        ("GET", "/_sandbox/clock", clock),
        ("POST", "/_sandbox/clock", clock),
        ("GET", "/_sandbox/config", config),
        ("PATCH", "/_sandbox/config", config),
        ("POST", "/_sandbox/config/redirect-uris", add_redirect_uri),
        ("GET", "/_sandbox/rate-limits", rate_limits),
        ("PATCH", "/_sandbox/rate-limits", rate_limits),
        ("GET", "/_sandbox/users", users),
        ("POST", "/_sandbox/users", users),
        ("GET", "/_sandbox/accounts", accounts),
        ("PATCH", "/_sandbox/accounts/{accountId}", update_account),
        ("GET", "/_sandbox/installations", installations),
        ("POST", "/_sandbox/installations/remove", remove_installation),
        ("GET", "/_sandbox/app-requests", app_requests),
        ("POST", "/_sandbox/app-requests/{requestId}/approve", approve_app_request),
        ("POST", "/_sandbox/authorize", authorize),
        ("GET", "/_sandbox/webhooks/deliveries", deliveries),
        ("POST", "/_sandbox/webhooks/validate", validate_webhook),
    ]
    for method, path, handler in routes:
        router.add(method, path, handler)
