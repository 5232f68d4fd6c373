"""A typed client for the sandbox's control API (`/_sandbox/...`), for tests and benchmarks.

client = SandboxClient("http://127.0.0.1:8001")
client.reset()
client.add_redirect_uri(live_server.url + "/integrations/zoom/callback/")
client.add_fault("error", status=503, count=1, method="POST", path="/v2/users/me/meetings")
"""

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypedDict

import httpx


class RequestRecord(TypedDict):
    seq: int
    time: str
    method: str
    path: str
    query: dict[str, str]
    status: int | None
    zoom_user_id: str | None
    grant_type: str | None
    meeting_id: int | None
    rate_limited: bool
    fault: str | None
    duration_ms: int


class MeetingRecord(TypedDict):
    id: int
    uuid: str
    host_id: str
    host_email: str | None
    topic: str
    agenda: str
    type: int
    start_time: str | None
    duration: int
    timezone: str
    password: str
    join_url: str
    settings: dict[str, Any]
    status: str
    created_at: str
    deleted: bool
    expired: bool


class Delivery(TypedDict):
    id: str
    event: str
    url: str
    body: str
    data: dict[str, Any]  # the parsed body: {"event", "event_ts", "payload"}
    created_at: str
    outcome: str
    attempts: list[dict[str, Any]]
    next_attempt_in: float | None


class SandboxError(RuntimeError):
    """The control API refused a call; carries its status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


class SandboxClient:
    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout)

    @property
    def oauth_base_url(self) -> str:
        """What the app calls `ZOOM_OAUTH_BASE_URL` (real Zoom: https://zoom.us)."""
        return self.base_url

    @property
    def api_base_url(self) -> str:
        """What the app calls `ZOOM_API_BASE_URL` (real Zoom: https://api.zoom.us/v2)."""
        return self.base_url + "/v2"

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, "/_sandbox" + path, **kwargs)
        if response.status_code >= 400:
            raise SandboxError(response.status_code, response.json().get("error", response.text))
        return response.json()

    # --- lifecycle ---------------------------------------------------------------------

    def health(self) -> bool:
        try:
            return bool(self._call("GET", "/health")["ok"])
        except httpx.TransportError:
            return False

    def reset(self, *, keep_config: bool = False) -> None:
        """Seed data again; config, rate limits and faults back to start-up values."""
        self._call("POST", "/reset", json={"keep_config": keep_config})

    # --- app configuration -------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        return self._call("GET", "/config")

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change app settings: client_id, client_secret, app_name, redirect_uris, scopes,
        webhook_url, webhook_secret, webhook_events, webhook_retry_delays,
        access_token_ttl, refresh_token_ttl, code_ttl."""
        return self._call("PATCH", "/config", json=changes)

    def add_redirect_uri(self, uri: str) -> None:
        self._call("POST", "/config/redirect-uris", json={"uri": uri})

    def rate_limits(self) -> dict[str, Any]:
        return self._call("GET", "/rate-limits")

    def configure_rate_limits(self, **changes: Any) -> dict[str, Any]:
        """qps_enabled, qps_limits, account_daily_enabled, meeting_daily_enabled,
        meeting_daily_limit, meeting_daily_counts_deletes, meeting_daily_headers."""
        return self._call("PATCH", "/rate-limits", json=changes)

    # --- time, latency and faults ------------------------------------------------------

    def advance_clock(self, seconds: float) -> str:
        return self._call("POST", "/clock", json={"advance_seconds": seconds})["now"]

    def set_clock(self, now: datetime) -> str:
        return self._call("POST", "/clock", json={"now": now.isoformat()})["now"]

    def reset_clock(self) -> str:
        return self._call("POST", "/clock", json={"reset": True})["now"]

    def now(self) -> str:
        return self._call("GET", "/clock")["now"]

    def set_latency(self, latency_ms: int, jitter_ms: int = 0) -> None:
        self._call("POST", "/latency", json={"latency_ms": latency_ms, "jitter_ms": jitter_ms})

    def add_fault(
        self,
        kind: str,
        *,
        status: int | None = None,
        retry_after: int | str | None = None,
        latency_ms: int = 0,
        count: int | None = None,
        fraction: float | None = None,
        method: str | None = None,
        path: str | None = None,
        body: str | None = None,
    ) -> dict[str, Any]:
        """kind: latency | error | drop | lose_response; path is a glob (`/v2/meetings/*`)."""
        rule = {
            "kind": kind,
            "status": status,
            "retry_after": retry_after,
            "latency_ms": latency_ms,
            "count": count,
            "fraction": fraction,
            "method": method,
            "path": path,
            "body": body,
        }
        return self._call("POST", "/faults", json={k: v for k, v in rule.items() if v is not None})

    def faults(self) -> list[dict[str, Any]]:
        return self._call("GET", "/faults")["faults"]

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    # --- what happened -----------------------------------------------------------------

    def requests(self, since: int = 0) -> list[RequestRecord]:
        return self._call("GET", "/requests", params={"since": since})["requests"]

    def last_seq(self) -> int:
        return self._call("GET", "/requests", params={"since": 10**12})["last_seq"]

    def meetings(
        self, *, host_id: str | None = None, host_email: str | None = None
    ) -> list[MeetingRecord]:
        params = {k: v for k, v in {"host_id": host_id, "host_email": host_email}.items() if v}
        return self._call("GET", "/meetings", params=params)["meetings"]

    def set_meeting_status(self, meeting_id: int, status: str) -> MeetingRecord:
        """`started` or `ended`, as if the host did it in the Zoom client."""
        return self._call("POST", f"/meetings/{meeting_id}/status", json={"status": status})

    # --- users, accounts, installs -----------------------------------------------------

    def users(self) -> list[dict[str, Any]]:
        return self._call("GET", "/users")["users"]

    def user(self, email: str) -> dict[str, Any]:
        return next(u for u in self.users() if u["email"] == email)

    def add_user(self, email: str, **fields: Any) -> dict[str, Any]:
        """password, first_name, last_name, type, timezone, role, and either account_id or
        account={name, plan, timezone, requires_app_approval}."""
        return self._call("POST", "/users", json={"email": email, **fields})

    def accounts(self) -> list[dict[str, Any]]:
        return self._call("GET", "/accounts")["accounts"]

    def update_account(self, account_id: str, **changes: Any) -> dict[str, Any]:
        return self._call("PATCH", f"/accounts/{account_id}", json=changes)

    def installations(self) -> list[dict[str, Any]]:
        return self._call("GET", "/installations")["installations"]

    def remove_app(self, email: str) -> bool:
        """What the user's *Remove* on Installed apps does: uninstall + app_deauthorized."""
        return self._call("POST", "/installations/remove", json={"email": email})["removed"]

    def app_requests(self) -> list[dict[str, Any]]:
        return self._call("GET", "/app-requests")["app_requests"]

    def approve_app_request(self, request_id: str) -> dict[str, Any]:
        return self._call("POST", f"/app-requests/{request_id}/approve")

    def authorize(
        self,
        email: str,
        *,
        redirect_uri: str | None = None,
        state: str | None = None,
        code_challenge: str | None = None,
        code_challenge_method: str | None = None,
    ) -> str:
        """The redirect Allow would produce for this user (no browser); returns its URL."""
        body = {
            "email": email,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": code_challenge_method,
        }
        payload = {k: v for k, v in body.items() if v is not None}
        return self._call("POST", "/authorize", json=payload)["location"]

    # --- webhooks ----------------------------------------------------------------------

    def deliveries(self, event: str | None = None) -> list[Delivery]:
        params = {"event": event} if event else {}
        return self._call("GET", "/webhooks/deliveries", params=params)["deliveries"]

    def validate_webhook_url(self) -> dict[str, Any]:
        """Run Zoom's endpoint.url_validation now; returns {ok, reason, status, ...}."""
        return self._call("POST", "/webhooks/validate")

    def wait_for_delivery(
        self,
        event: str,
        *,
        predicate: Callable[[Delivery], bool] | None = None,
        timeout: float = 5.0,
    ) -> Delivery:
        """The first delivery of `event` (matching `predicate`) that has finished."""
        deadline = time.monotonic() + timeout
        while True:
            for delivery in self.deliveries(event):
                if delivery["outcome"] != "pending" and (predicate is None or predicate(delivery)):
                    return delivery
            if time.monotonic() > deadline:
                raise TimeoutError(f"no finished {event} delivery within {timeout} s")
            time.sleep(0.02)


def wait_until(condition: Callable[[], bool], *, timeout: float = 5.0) -> None:
    """Poll `condition` until it holds (for tests that must not sleep blindly)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.02)
