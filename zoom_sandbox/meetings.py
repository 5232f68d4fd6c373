"""Meetings as Zoom models them: validation (code 300), account overrides, response shapes.

Shapes follow REFERENCE 4.3-4.7 and `contract/*.json`; the contract tests hold the two
together and check both against Zoom's published spec.
"""

import copy
from dataclasses import dataclass, field
from typing import Any

from zoom_sandbox import ids, times
from zoom_sandbox.clock import iso_utc
from zoom_sandbox.state import Account, Meeting, User

MEETING_TYPES = (1, 2, 3, 8)
# Zoom lets a meeting id expire 30 days after it was last used or scheduled (REFERENCE 9.3).
EXPIRY_SECONDS = 30 * 86400

SETTINGS_DEFAULTS: dict[str, Any] = {
    "host_video": False,
    "participant_video": False,
    "cn_meeting": False,
    "in_meeting": False,
    "join_before_host": False,
    "jbh_time": 0,
    "mute_upon_entry": False,
    "watermark": False,
    "use_pmi": False,
    "approval_type": 2,
    "audio": "both",
    "auto_recording": "none",
    "enforce_login": False,
    "enforce_login_domains": "",
    "alternative_hosts": "",
    "alternative_hosts_email_notification": True,
    "close_registration": False,
    "show_share_button": False,
    "allow_multiple_devices": False,
    "registrants_confirmation_email": True,
    "waiting_room": False,
    "registrants_email_notification": True,
    "meeting_authentication": False,
    "encryption_type": "enhanced_encryption",
    "approved_or_denied_countries_or_regions": {"enable": False},
    "breakout_room": {"enable": False},
    "email_notification": True,
    "host_save_video_order": False,
    "alternative_host_update_polls": False,
    "private_meeting": False,
    "focus_mode": False,
}
_ENUM_SETTINGS: dict[str, tuple[Any, ...]] = {
    "audio": ("both", "telephony", "voip", "thirdParty"),
    "auto_recording": ("local", "cloud", "none"),
    "approval_type": (0, 1, 2),
    "jbh_time": (0, 5, 10),
    "encryption_type": ("enhanced_encryption", "e2ee"),
    "registration_type": (1, 2, 3),
    "calendar_type": (1, 2),
}
_STRING_SETTINGS = (
    "alternative_hosts",
    "enforce_login_domains",
    "authentication_option",
    "authentication_domains",
    "contact_name",
    "contact_email",
)
_OBJECT_SETTINGS = ("approved_or_denied_countries_or_regions", "breakout_room")
# Shown in responses but not accepted in requests by Zoom's spec; ignored when sent.
_READ_ONLY_SETTINGS = ("enforce_login", "enforce_login_domains")
_MEETING_FIELDS = (
    "topic",
    "type",
    "start_time",
    "duration",
    "timezone",
    "agenda",
    "password",
    "settings",
    "recurrence",
    "pre_schedule",
    "tracking_fields",
)


@dataclass
class ApiError(Exception):
    """A Zoom error answer: HTTP status, Zoom code, message (and field errors for 300)."""

    status: int
    code: int
    message: str
    errors: list[dict[str, str]] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            data["errors"] = self.errors
        return data


def not_found(meeting_id: object) -> ApiError:
    return ApiError(404, 3001, f"Meeting {meeting_id} is not found or has expired.")


def _invalid(*names: str) -> ApiError:
    return ApiError(
        400, 300, "Validation Failed.", [{"field": n, "message": "Invalid field."} for n in names]
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate(body: object, *, user: User) -> dict[str, Any]:
    """Check a create/update body the way Zoom does; returns the recognised fields."""
    if not isinstance(body, dict):
        raise ApiError(400, 300, "Request Body should be a valid JSON object.")
    bad: list[str] = []
    checks = {
        "topic": lambda v: isinstance(v, str) and len(v) <= 200,
        "type": lambda v: _is_int(v) and v in MEETING_TYPES,
        "start_time": lambda v: isinstance(v, str) and times.well_formed(v),
        "duration": lambda v: _is_int(v) and v >= 0,
        "timezone": lambda v: isinstance(v, str) and (v == "" or times.zone(v) is not None),
        "agenda": lambda v: isinstance(v, str) and len(v) <= 2000,
        "password": lambda v: isinstance(v, str) and len(v) <= 10 and set(v) <= ids.PASSCODE_CHARS,
        "default_password": lambda v: isinstance(v, bool),
        "pre_schedule": lambda v: isinstance(v, bool),
        "schedule_for": lambda v: isinstance(v, str),
        "template_id": lambda v: isinstance(v, str),
        "recurrence": lambda v: isinstance(v, dict),
        "tracking_fields": lambda v: (
            isinstance(v, list)
            and all(isinstance(t, dict) and isinstance(t.get("field"), str) for t in v)
        ),
        "settings": lambda v: isinstance(v, dict),
    }
    for name, check in checks.items():
        if name in body and body[name] is not None and not check(body[name]):
            bad.append(name)
    if isinstance(body.get("settings"), dict):
        bad += [f"settings.{name}" for name in _bad_settings(body["settings"])]
    if bad:
        raise _invalid(*bad)
    schedule_for = body.get("schedule_for")
    if schedule_for and schedule_for not in (user.id, user.email):
        if body.get("type") == 1:
            raise ApiError(
                400,
                3000,
                "Instant meetings do not support the schedule_for parameter; you cannot "
                "schedule an instant meeting for another user.",
            )
        raise ApiError(400, 3000, f"You cannot schedule a meeting for {schedule_for}.")
    if body.get("pre_schedule") and body.get("type", 2) not in (2, 3):
        raise ApiError(
            400,
            3000,
            "Prescheduling is only available for scheduled meetings (type 2) and recurring "
            "meetings with no fixed time (type 3).",
        )
    return {k: v for k, v in body.items() if v is not None}


def _bad_settings(settings: dict[str, Any]) -> list[str]:
    bad = []
    for name, value in settings.items():
        if name in _READ_ONLY_SETTINGS:
            continue
        if name in _ENUM_SETTINGS:
            ok = value in _ENUM_SETTINGS[name] and not isinstance(value, bool)
        elif name in _STRING_SETTINGS:
            ok = isinstance(value, str)
        elif name in _OBJECT_SETTINGS:
            ok = isinstance(value, dict)
        elif name in SETTINGS_DEFAULTS and isinstance(SETTINGS_DEFAULTS[name], bool):
            ok = isinstance(value, bool)
        else:
            continue  # settings the sandbox does not model are ignored, as Zoom ignores unknowns
        if not ok:
            bad.append(name)
    return bad


def _known_settings(settings: dict[str, Any]) -> dict[str, Any]:
    known = set(SETTINGS_DEFAULTS) | set(_ENUM_SETTINGS) | set(_STRING_SETTINGS)
    known -= set(_READ_ONLY_SETTINGS)
    return {k: copy.deepcopy(v) for k, v in settings.items() if k in known}


def _start_time(fields: dict[str, Any], zone_name: str) -> float:
    try:
        return times.parse_start_time(fields["start_time"], zone_name)
    except ValueError:
        raise _invalid("start_time") from None


def new_meeting(
    fields: dict[str, Any], *, user: User, account: Account, now: float, taken: set[int]
) -> Meeting:
    """A meeting from a validated create body, with account overrides applied."""
    meeting_type = fields.get("type", 2)
    zone_name = fields.get("timezone") or account.timezone
    start: float | None = None
    if meeting_type in (2, 8):
        start = _start_time(fields, zone_name) if "start_time" in fields else now
    elif meeting_type == 1:
        start = now
    if meeting_type == 8 and not fields.get("recurrence"):
        raise _invalid("recurrence")
    meeting_id = ids.meeting_id()
    while meeting_id in taken:
        meeting_id = ids.meeting_id()
    settings = {**copy.deepcopy(SETTINGS_DEFAULTS), **_known_settings(fields.get("settings", {}))}
    meeting = Meeting(
        id=meeting_id,
        uuid=ids.meeting_uuid(),
        host_id=user.id,
        topic=fields.get("topic") or "Zoom Meeting",
        type=meeting_type,
        start_time=int(start) if start is not None else None,
        duration=fields.get("duration", 60),
        timezone=zone_name,
        agenda=fields.get("agenda", ""),
        password="",
        h323_password="",
        pstn_password="",
        encrypted_password="",
        settings=settings,
        created_at=int(now),
        pre_schedule=fields.get("pre_schedule", False),
        recurrence=fields.get("recurrence") if meeting_type in (3, 8) else None,
        tracking_fields=fields.get("tracking_fields", []),
    )
    requested = fields.get("password", "")
    if not requested and fields.get("default_password"):
        requested = ids.passcode()
    _set_password(meeting, requested)
    _apply_overrides(meeting, account)
    return meeting


def apply_update(meeting: Meeting, fields: dict[str, Any], *, account: Account) -> dict[str, Any]:
    """Apply a validated partial update; returns the previous values of what changed."""
    before = snapshot(meeting)
    if "type" in fields:
        meeting.type = fields["type"]
    if fields.get("timezone"):
        meeting.timezone = fields["timezone"]
    if "start_time" in fields:
        # Without Z the time is local to the meeting's (possibly just changed) zone.
        meeting.start_time = int(_start_time(fields, meeting.timezone))
    for name in ("topic", "agenda", "duration", "pre_schedule", "tracking_fields"):
        if name in fields:
            setattr(meeting, name, fields[name])
    if "recurrence" in fields and meeting.type in (3, 8):
        meeting.recurrence = fields["recurrence"]
    if "settings" in fields:
        meeting.settings.update(_known_settings(fields["settings"]))
    if "password" in fields:
        _set_password(meeting, fields["password"])
    _apply_overrides(meeting, account)
    after = snapshot(meeting)
    return {k: v for k, v in before.items() if after.get(k) != v}


def snapshot(meeting: Meeting) -> dict[str, Any]:
    """The fields a meeting.updated event compares (REFERENCE 6.5)."""
    data: dict[str, Any] = {
        "topic": meeting.topic,
        "type": meeting.type,
        "duration": meeting.duration,
        "timezone": meeting.timezone,
        "agenda": meeting.agenda,
        "password": meeting.password,
        "settings": copy.deepcopy(meeting.settings),
    }
    if meeting.start_time is not None:
        data["start_time"] = iso_utc(meeting.start_time)
    if meeting.recurrence is not None:
        data["recurrence"] = copy.deepcopy(meeting.recurrence)
    return data


def _set_password(meeting: Meeting, password: str) -> None:
    meeting.password = password
    if not password:
        meeting.h323_password = meeting.pstn_password = meeting.encrypted_password = ""
        return
    numeric = password if password.isdigit() else ids.numeric_passcode(len(password) + 2)
    meeting.h323_password = meeting.pstn_password = numeric
    meeting.encrypted_password = ids.encrypted_passcode()


def _apply_overrides(meeting: Meeting, account: Account) -> None:
    """Locked account settings win over the request (REFERENCE 4.3, "silently overrides")."""
    settings = meeting.settings
    unsecured = not (settings.get("waiting_room") or settings.get("meeting_authentication"))
    if not meeting.password and (
        account.require_passcode or (account.require_security_option and unsecured)
    ):
        _set_password(meeting, ids.passcode())
    if settings.get("waiting_room"):
        settings["join_before_host"] = False  # a waiting room disables join-before-host


def is_expired(meeting: Meeting, now: float) -> bool:
    if meeting.type not in (1, 2) or meeting.status == "started":
        return False
    last_use = (
        meeting.ended_at or (meeting.start_time or meeting.created_at) + meeting.duration * 60
    )
    return last_use < now - EXPIRY_SECONDS


def api_status(meeting: Meeting) -> str:
    # Zoom's spec knows only waiting/started; an ended scheduled meeting can start again.
    return "started" if meeting.status == "started" else "waiting"


def join_url(meeting: Meeting, base_url: str) -> str:
    url = f"{base_url}/j/{meeting.id}"
    return f"{url}?pwd={meeting.encrypted_password}" if meeting.password else url


def _common(meeting: Meeting, base_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": meeting.id,
        "topic": meeting.topic,
        "type": meeting.type,
        "duration": meeting.duration,
        "timezone": meeting.timezone,
        "agenda": meeting.agenda,
        "created_at": iso_utc(meeting.created_at),
        "join_url": join_url(meeting, base_url),
    }
    if meeting.start_time is not None and meeting.type != 3:
        data["start_time"] = iso_utc(meeting.start_time)
    return data


def resource(meeting: Meeting, host: User, *, base_url: str, zak: str) -> dict[str, Any]:
    """The GET /meetings/{id} object."""
    data = _common(meeting, base_url)
    data |= {
        "uuid": meeting.uuid,
        "host_id": meeting.host_id,
        "host_email": host.email,
        "status": api_status(meeting),
        "start_url": f"{base_url}/s/{meeting.id}?zak={zak}",
        "pre_schedule": meeting.pre_schedule,
        "settings": copy.deepcopy(meeting.settings),
    }
    if meeting.password:
        data |= {
            "password": meeting.password,
            "h323_password": meeting.h323_password,
            "pstn_password": meeting.pstn_password,
            "encrypted_password": meeting.encrypted_password,
        }
    if meeting.recurrence is not None:
        data["recurrence"] = copy.deepcopy(meeting.recurrence)
    if meeting.tracking_fields:
        data["tracking_fields"] = copy.deepcopy(meeting.tracking_fields)
    return data


def created(meeting: Meeting, host: User, *, base_url: str, zak: str) -> dict[str, Any]:
    """The 201 body of a create: GET's object without uuid/host_id/status.

    REFERENCE 4.3 (CONFLICT): the current spec's create schema lacks them and apps are told
    not to depend on them, so the sandbox leaves them out (stricter side).
    """
    data = resource(meeting, host, base_url=base_url, zak=zak)
    for name in ("uuid", "host_id", "status"):
        data.pop(name)
    return data


def list_item(meeting: Meeting, *, base_url: str) -> dict[str, Any]:
    data = _common(meeting, base_url)
    data |= {"uuid": meeting.uuid, "host_id": meeting.host_id}
    return data


def event_object(meeting: Meeting) -> dict[str, Any]:
    """The `object` of meeting.created/deleted/started/ended events."""
    data: dict[str, Any] = {
        "uuid": meeting.uuid,
        "id": meeting.id,
        "host_id": meeting.host_id,
        "topic": meeting.topic,
        "type": meeting.type,
        "duration": meeting.duration,
        "timezone": meeting.timezone,
    }
    if meeting.start_time is not None:
        data["start_time"] = iso_utc(meeting.start_time)
    return data
