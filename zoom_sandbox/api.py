"""The REST API under /v2 (REFERENCE 4): users/me and the meeting endpoints Slotwise uses.

Every handler goes through `_endpoint`: Bearer token (401 code 124), scopes (400 code 4711),
rate limits (429), then the operation. Errors are Zoom's `{"code", "message"}`.
"""

import functools
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from zoom_sandbox import actions, ids, meetings, oauth
from zoom_sandbox.clock import iso_utc
from zoom_sandbox.meetings import ApiError
from zoom_sandbox.oauth import Caller
from zoom_sandbox.sandbox import PAGE_TOKEN_TTL, PageToken
from zoom_sandbox.web import Request, Response, Router, empty_response, json_response

if TYPE_CHECKING:
    from zoom_sandbox.sandbox import Sandbox

# Classic and granular scopes, user-level and admin, that Zoom accepts (REFERENCE 3).
SCOPES = {
    "user": ("user:read:user", "user:read:user:admin", "user:read", "user_info:read",
             "user_profile", "user:read:admin"),
    "create": ("meeting:write:meeting", "meeting:write:meeting:admin", "meeting:write",
               "meeting:write:admin"),
    "update": ("meeting:update:meeting", "meeting:update:meeting:admin", "meeting:write",
               "meeting:write:admin"),
    "delete": ("meeting:delete:meeting", "meeting:delete:meeting:admin", "meeting:write",
               "meeting:write:admin"),
    "get": ("meeting:read:meeting", "meeting:read:meeting:admin", "meeting:read",
            "meeting:read:admin"),
    "list": ("meeting:read:list_meetings", "meeting:read:list_meetings:admin", "meeting:read",
             "meeting:read:admin"),
}  # fmt: skip
LIST_TYPES = ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings")
ROLE_IDS = {"Owner": "0", "Admin": "1", "Member": "2"}

Operation = Callable[["Sandbox", Request, Caller], Response]


def _endpoint(
    category: str, scope: str, *, meeting_write: str | None = None
) -> Callable[[Operation], Callable[["Sandbox", Request], Response]]:
    """Auth, scope and rate-limit checks around one operation.

    meeting_write: "always" counts the call against the host's 100/day; "delete" counts it
    only while the sandbox is set to count deletes (REFERENCE 5 CONFLICT).
    """

    def wrap(operation: Operation) -> Callable[["Sandbox", Request], Response]:
        @functools.wraps(operation)
        def handler(sb: "Sandbox", req: Request) -> Response:
            try:
                caller = oauth.bearer(sb, req)
                oauth.require_scope(caller, SCOPES[scope])
                with sb.lock:
                    plan = sb.store.accounts[caller.user.account_id].plan
                counts = meeting_write == "always" or (
                    meeting_write == "delete"
                    and sb.rate_limiter.settings.meeting_daily_counts_deletes
                )
                decision = sb.rate_limiter.check(
                    account_id=caller.user.account_id,
                    plan=plan,
                    user_id=caller.user.id,
                    category=category,
                    meeting_write=counts,
                    now=sb.clock.now(),
                )
                if decision.rejection is not None:
                    req.log["rate_limited"] = True
                    return decision.rejection
                try:
                    response = operation(sb, req, caller)
                except ApiError as exc:
                    response = json_response(exc.status, exc.body())
                response.headers.extend(decision.headers)
                return response
            except ApiError as exc:
                return json_response(exc.status, exc.body())

        return handler

    return wrap


def _only_me(req: Request) -> None:
    # User-level apps must say `me`; any user id (even one's own) is refused (REFERENCE 3).
    if req.params["userId"] != "me":
        raise ApiError(401, 124, "Invalid access token.")


def _json_body(req: Request) -> Any:
    try:
        return req.json()
    except ValueError:
        raise ApiError(400, 300, "Request Body should be a valid JSON object.") from None


@_endpoint("Light", "user")
def get_user(sb: "Sandbox", req: Request, caller: Caller) -> Response:
    """GET /users/me (fields per REFERENCE 4.2)."""
    _only_me(req)
    user = caller.user
    with sb.lock:
        account = sb.store.accounts[user.account_id]
    body = {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "email": user.email,
        "type": user.type,
        "role_name": user.role,
        "pmi": user.pmi,
        "use_pmi": False,
        "personal_meeting_url": f"{sb.base_url}/j/{user.pmi}",
        "timezone": user.timezone,
        "verified": 1,
        "dept": "",
        "created_at": iso_utc(user.created_at),
        "user_created_at": iso_utc(user.created_at),
        "last_login_time": iso_utc(sb.clock.now()),
        "pic_url": "",
        "language": user.language,
        "phone_number": "",
        "status": user.status,
        "role_id": ROLE_IDS[user.role],
        "account_id": user.account_id,
        "account_number": account.account_number,
        "cluster": "us05",
        "jid": f"{user.id.lower()}@xmpp.zoom.us",
        "group_ids": [],
        "im_group_ids": [],
        "login_types": [100],
    }
    return json_response(200, body)


@_endpoint("Medium", "create", meeting_write="always")
def create_meeting(sb: "Sandbox", req: Request, caller: Caller) -> Response:
    """POST /users/me/meetings → 201 with the meeting."""
    _only_me(req)
    fields = meetings.validate(_json_body(req), user=caller.user)
    with sb.lock:
        account = sb.store.accounts[caller.user.account_id]
        meeting = meetings.new_meeting(
            fields, user=caller.user, account=account, now=sb.clock.now(), taken=sb.store.meetings
        )
        sb.store.meetings[meeting.id] = meeting
        actions.created(sb, meeting, caller.user)
    sb.changed()
    req.log["meeting_id"] = meeting.id
    zak = sb.issue_zak(caller.user.id, meeting.id)
    return json_response(201, meetings.created(meeting, caller.user, base_url=sb.base_url, zak=zak))


def _own_meeting(sb: "Sandbox", req: Request, caller: Caller, *, not_host: ApiError) -> Any:
    meeting = actions.find_meeting(sb, req.params["meetingId"])
    req.log["meeting_id"] = meeting.id
    if meeting.host_id != caller.user.id:
        host = sb.store.users[meeting.host_id]
        if host.account_id != caller.user.account_id:
            raise meetings.not_found(req.params["meetingId"])  # other accounts are invisible
        raise not_host
    return meeting


@_endpoint("Light", "get")
def get_meeting(sb: "Sandbox", req: Request, caller: Caller) -> Response:
    """GET /meetings/{meetingId}; each answer carries a fresh start_url."""
    with sb.lock:
        meeting = _own_meeting(
            sb, req, caller, not_host=ApiError(400, 3000, "Cannot access meeting information.")
        )
    zak = sb.issue_zak(caller.user.id, meeting.id)
    return json_response(
        200, meetings.resource(meeting, caller.user, base_url=sb.base_url, zak=zak)
    )


@_endpoint("Light", "update", meeting_write="always")
def update_meeting(sb: "Sandbox", req: Request, caller: Caller) -> Response:
    """PATCH /meetings/{meetingId} → 204, no body."""
    with sb.lock:
        meeting = _own_meeting(
            sb, req, caller, not_host=ApiError(400, 3003, "You are not the meeting host.")
        )
        fields = meetings.validate(_json_body(req), user=caller.user)
        actions.update(sb, meeting, fields, caller.user)
    return empty_response(204)


@_endpoint("Light", "delete", meeting_write="delete")
def delete_meeting(sb: "Sandbox", req: Request, caller: Caller) -> Response:
    """DELETE /meetings/{meetingId} → 204."""
    with sb.lock:
        meeting = _own_meeting(
            sb, req, caller, not_host=ApiError(400, 3003, "You are not the meeting host.")
        )
        if req.query.get("occurrence_id"):
            raise ApiError(400, 3000, "Invalid occurrence_id.")
        actions.delete(sb, meeting, caller.user)
    return empty_response(204)


def _list_params(req: Request) -> tuple[str, int, date | None, date | None]:
    bad = []
    list_type = req.query.get("type", "scheduled")
    if list_type not in LIST_TYPES:
        bad.append("type")
    raw_size = req.query.get("page_size", "30")
    page_size = int(raw_size) if raw_size.isdigit() else 0
    if not 1 <= page_size <= 300:
        bad.append("page_size")
    bounds: list[date | None] = []
    for name in ("from", "to"):
        try:
            bounds.append(date.fromisoformat(req.query[name]) if name in req.query else None)
        except ValueError:
            bad.append(name)
    if bad:
        raise ApiError(
            400,
            300,
            "Validation Failed.",
            [{"field": name, "message": "Invalid field."} for name in bad],
        )
    return list_type, page_size, bounds[0], bounds[1]


def _listed(meeting: meetings.Meeting, list_type: str, now: float) -> bool:
    start = meeting.start_time or meeting.created_at
    over = meeting.status == "ended" or start + meeting.duration * 60 <= now
    if list_type == "live":
        return meeting.status == "started"
    if list_type in ("upcoming", "upcoming_meetings"):
        return not over
    if list_type == "previous_meetings":
        return over
    return True


@_endpoint("Medium", "list")
def list_meetings(sb: "Sandbox", req: Request, caller: Caller) -> Response:
    """GET /users/me/meetings: scheduled (not instant), unexpired meetings, paged by token."""
    _only_me(req)
    list_type, page_size, day_from, day_to = _list_params(req)
    now = sb.clock.now()
    with sb.lock:
        offset = 0
        token_text = req.query.get("next_page_token")
        if token_text:
            token = sb.page_tokens.get(token_text)
            if token is None or token.expires_at <= now or token.user_id != caller.user.id:
                raise ApiError(
                    400, 300, "Validation Failed.",
                    [{"field": "next_page_token", "message": "Invalid field."}],
                )  # fmt: skip
            offset, list_type = token.offset, token.list_type
        found = [
            m
            for m in sb.store.meetings.values()
            if m.host_id == caller.user.id
            and m.type != 1
            and not m.deleted
            and not meetings.is_expired(m, now)
            and _listed(m, list_type, now)
            and _within(m, day_from, day_to)
        ]
        found.sort(key=lambda m: (m.start_time or m.created_at, m.id))
        page = found[offset : offset + page_size]
        next_token = ""
        if offset + page_size < len(found):
            next_token = ids.opaque(24)
            sb.page_tokens[next_token] = PageToken(
                caller.user.id, list_type, offset + page_size, now + PAGE_TOKEN_TTL
            )
        sb.page_tokens = {k: t for k, t in sb.page_tokens.items() if t.expires_at > now}
        items = [meetings.list_item(m, base_url=sb.base_url) for m in page]
    body = {
        "page_size": page_size,
        "total_records": len(found),
        "next_page_token": next_token,
        "meetings": items,
    }
    return json_response(200, body)


def _within(meeting: meetings.Meeting, day_from: date | None, day_to: date | None) -> bool:
    if meeting.start_time is None or (day_from is None and day_to is None):
        return True
    day = date.fromisoformat(iso_utc(meeting.start_time)[:10])
    return (day_from is None or day >= day_from) and (day_to is None or day <= day_to)


def register(router: Router) -> None:
    router.add("GET", "/v2/users/{userId}", get_user)
    router.add("GET", "/v2/users/{userId}/meetings", list_meetings)
    router.add("POST", "/v2/users/{userId}/meetings", create_meeting)
    router.add("GET", "/v2/meetings/{meetingId}", get_meeting)
    router.add("PATCH", "/v2/meetings/{meetingId}", update_meeting)
    router.add("DELETE", "/v2/meetings/{meetingId}", delete_meeting)
