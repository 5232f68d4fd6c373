"""Meeting changes shared by the REST API, the sandbox's pages and the control API.

Each applies the change and queues the event Zoom would send: Zoom notifies the app of
changes made anywhere, including through the app itself (REFERENCE 6.5). Events go only
for hosts who have the app installed. Callers hold `sb.lock`.
"""

from typing import TYPE_CHECKING, Any

from zoom_sandbox import meetings
from zoom_sandbox.clock import iso_utc
from zoom_sandbox.meetings import ApiError
from zoom_sandbox.state import Meeting, User

if TYPE_CHECKING:
    from zoom_sandbox.sandbox import Sandbox


def _notify(sb: "Sandbox", event: str, host_id: str, payload: dict[str, Any]) -> None:
    if sb.store.installation(host_id, sb.config.client_id) is None:
        return
    sb.webhooks.emit(event, payload)


def _operator(operator: User) -> dict[str, Any]:
    return {
        "account_id": operator.account_id,
        "operator": operator.email,
        "operator_id": operator.id,
    }


def find_meeting(sb: "Sandbox", raw_id: str) -> Meeting:
    """A live (not deleted, not expired) meeting, or Zoom's 404 code 3001."""
    meeting = sb.store.meetings.get(int(raw_id)) if raw_id.isdigit() else None
    if meeting is None or meeting.deleted or meetings.is_expired(meeting, sb.clock.now()):
        raise meetings.not_found(raw_id)
    return meeting


def created(sb: "Sandbox", meeting: Meeting, operator: User) -> None:
    _notify(
        sb,
        "meeting.created",
        meeting.host_id,
        {**_operator(operator), "object": meetings.event_object(meeting)},
    )


def update(sb: "Sandbox", meeting: Meeting, fields: dict[str, Any], operator: User) -> None:
    if meeting.status == "started":
        raise ApiError(
            400, 3000, "You cannot update or delete meetings that have started using this method."
        )
    account = sb.store.accounts[sb.store.users[meeting.host_id].account_id]
    old = meetings.apply_update(meeting, fields, account=account)
    sb.changed()
    if not old:
        return
    new = meetings.snapshot(meeting)
    now_ms = int(sb.clock.now() * 1000)
    _notify(
        sb,
        "meeting.updated",
        meeting.host_id,
        {
            **_operator(operator),
            "object": {"id": meeting.id, **{k: new.get(k) for k in old}},
            "old_object": {"id": meeting.id, **old},
            "time_stamp": now_ms,
        },
    )


def delete(sb: "Sandbox", meeting: Meeting, operator: User) -> None:
    if meeting.status == "started":
        raise ApiError(400, 3002, "Sorry, you cannot delete this meeting since it is in progress.")
    if meeting.status == "ended":
        raise ApiError(400, 3007, "Sorry, you cannot delete this meeting since it has ended.")
    meeting.deleted = True
    meeting.deleted_at = sb.clock.now()
    sb.changed()
    _notify(
        sb,
        "meeting.deleted",
        meeting.host_id,
        {**_operator(operator), "object": meetings.event_object(meeting)},
    )


def set_status(sb: "Sandbox", meeting: Meeting, status: str) -> None:
    """Start or end a meeting, as the host would in the Zoom client."""
    if status not in ("started", "ended"):
        raise ValueError("status must be started or ended")
    if status == meeting.status:
        return
    if status == "ended" and meeting.status != "started":
        raise ValueError("only a started meeting can end")
    now = sb.clock.now()
    meeting.status = status
    if status == "started":
        meeting.started_at = now
    else:
        meeting.ended_at = now
    sb.changed()
    host = sb.store.users[meeting.host_id]
    obj = meetings.event_object(meeting)
    if status == "started":
        obj["start_time"] = iso_utc(now)
    else:
        obj["start_time"] = iso_utc(meeting.started_at or now)
        obj["end_time"] = iso_utc(now)
    _notify(
        sb,
        f"meeting.{status}",
        meeting.host_id,
        {"account_id": host.account_id, "object": obj},
    )
