"""The Zoom app the sandbox plays host to, and its runtime knobs.

Defaults equal what `scripts/devstack.py` passes to the demo, so the app and the sandbox
trust each other out of the box. The same environment variable names as the app's are read
(ZOOM_CLIENT_ID, ...), so one `.env` configures both sides.
"""

import copy
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields

DEFAULT_CLIENT_ID = "slotwise-demo-client"
DEFAULT_CLIENT_SECRET = "slotwise-demo-secret"
DEFAULT_REDIRECT_URI = "http://127.0.0.1:8000/integrations/zoom/callback/"
DEFAULT_WEBHOOK_SECRET = "slotwise-demo-webhook-secret"
DEFAULT_WEBHOOK_URL = "http://127.0.0.1:8000/integrations/zoom/webhook/"

# Granular user-level scopes a General app for Slotwise would request (REFERENCE 3).
DEFAULT_SCOPES = [
    "user:read:user",
    "meeting:read:meeting",
    "meeting:read:list_meetings",
    "meeting:write:meeting",
    "meeting:update:meeting",
    "meeting:delete:meeting",
]

# Zoom's retry schedule for failed deliveries: +5, +20, +60 minutes, then drop (REFERENCE 6.1).
ZOOM_RETRY_DELAYS = [300.0, 1200.0, 3600.0]

DEFAULT_WEBHOOK_EVENTS = [
    "meeting.created",
    "meeting.updated",
    "meeting.deleted",
    "meeting.started",
    "meeting.ended",
]


@dataclass
class AppConfig:
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    app_name: str = "Slotwise"
    redirect_uris: list[str] = field(default_factory=lambda: [DEFAULT_REDIRECT_URI])
    scopes: list[str] = field(default_factory=lambda: list(DEFAULT_SCOPES))
    # Empty URL = no endpoint configured: events are recorded as skipped, never sent.
    webhook_url: str = DEFAULT_WEBHOOK_URL
    webhook_secret: str = DEFAULT_WEBHOOK_SECRET
    webhook_events: list[str] = field(default_factory=lambda: list(DEFAULT_WEBHOOK_EVENTS))
    webhook_retry_delays: list[float] = field(default_factory=lambda: list(ZOOM_RETRY_DELAYS))
    access_token_ttl: int = 3600
    # CONFLICT in REFERENCE 1.4 (15 years vs ~90 days): the sandbox takes the shorter.
    refresh_token_ttl: int = 90 * 86400
    code_ttl: int = 300

    def copy(self) -> "AppConfig":
        return copy.deepcopy(self)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def update(self, changes: Mapping[str, object]) -> None:
        """Apply a partial change from the control API, checking names and types."""
        known = {f.name: f for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown config field: {name}")
            current = getattr(self, name)
            setattr(self, name, _coerce(name, value, current))


def _coerce(name: str, value: object, current: object) -> object:
    if isinstance(current, bool) or current is None:
        raise ValueError(f"{name} cannot be changed")
    if isinstance(current, int):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer")
        return value
    if isinstance(current, str):
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a string")
        return value
    if isinstance(current, list):
        if isinstance(value, str):
            value = [part for part in value.replace(",", " ").split() if part]
        if not isinstance(value, list):
            raise ValueError(f"{name} must be a list")
        if name == "webhook_retry_delays":
            if not all(isinstance(v, int | float) and v >= 0 for v in value):
                raise ValueError("webhook_retry_delays must be non-negative numbers")
            return [float(v) for v in value]
        if not all(isinstance(v, str) for v in value):
            raise ValueError(f"{name} must be a list of strings")
        return list(value)
    raise ValueError(f"{name} cannot be changed")


def parse_delays(text: str) -> list[float]:
    """`"0.2,0.4,0.8"` → `[0.2, 0.4, 0.8]`; empty means no retries."""
    return [float(part) for part in text.replace(" ", "").split(",") if part]


def config_from_env(environ: Mapping[str, str] | None = None) -> AppConfig:
    env = os.environ if environ is None else environ
    config = AppConfig()
    config.client_id = env.get("ZOOM_CLIENT_ID") or config.client_id
    config.client_secret = env.get("ZOOM_CLIENT_SECRET") or config.client_secret
    if env.get("ZOOM_REDIRECT_URI"):
        config.redirect_uris = [env["ZOOM_REDIRECT_URI"]]
    config.webhook_secret = env.get("ZOOM_WEBHOOK_SECRET_TOKEN") or config.webhook_secret
    if "ZOOM_SANDBOX_WEBHOOK_URL" in env:
        config.webhook_url = env["ZOOM_SANDBOX_WEBHOOK_URL"]
    if env.get("ZOOM_SANDBOX_ACCESS_TOKEN_TTL"):
        config.access_token_ttl = int(env["ZOOM_SANDBOX_ACCESS_TOKEN_TTL"])
    if env.get("ZOOM_SANDBOX_WEBHOOK_RETRY_DELAYS"):
        config.webhook_retry_delays = parse_delays(env["ZOOM_SANDBOX_WEBHOOK_RETRY_DELAYS"])
    if env.get("ZOOM_SANDBOX_SCOPES"):
        config.scopes = env["ZOOM_SANDBOX_SCOPES"].replace(",", " ").split()
    if env.get("ZOOM_SANDBOX_APP_NAME"):
        config.app_name = env["ZOOM_SANDBOX_APP_NAME"]
    return config
