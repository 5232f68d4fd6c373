"""Meeting tools (Zoom, …) as the rest of Slotwise sees them: a small provider interface.

Bookings and the catalog know a meeting *tool* by its name ("zoom"); the app that
implements the tool registers a provider here when Django starts.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from accounts.models import Business


@dataclass(frozen=True)
class ToolState:
    tool: str
    label: str
    status: str  # "connected", "not_connected" or "needs_reconnect"
    account: str  # who meetings are created for, e.g. "Dana (dana@example.com)"
    connect_url: str  # POST here (with an optional `return_to`) to connect
    connect_from_form_url: str  # an editor's form POSTs here: its input is kept as a draft
    settings_url: str  # the Integrations page for this tool

    @property
    def connected(self) -> bool:
        return self.status == "connected"


@dataclass(frozen=True)
class ProviderMeeting:
    """A meeting as the provider has it (after create, or found again by its marker)."""

    external_id: int
    join_url: str
    passcode: str
    host_ref: str
    start: dt.datetime | None
    duration: int
    topic: str
    agenda: str = field(default="", repr=False)


@dataclass(frozen=True)
class MeetingRequest:
    """What to create or change, in provider-neutral terms."""

    topic: str
    start: dt.datetime
    duration: int
    timezone: str
    agenda: str
    passcode: str
    waiting_room: bool
    join_before_host: bool
    group: bool


class MeetingProvider(Protocol):
    """One meeting tool. Every call raises meetings.errors on failure; none retries."""

    tool: str
    label: str

    def state(self, business: Business) -> ToolState: ...

    def is_connected(self, business_id: int) -> bool: ...

    def create(self, business_id: int, request: MeetingRequest) -> ProviderMeeting: ...

    def update(self, business_id: int, external_id: int, request: MeetingRequest) -> None: ...

    def delete(self, business_id: int, external_id: int) -> None: ...

    def find_by_marker(self, business_id: int, marker: str) -> ProviderMeeting | None: ...

    def start_url(self, business_id: int, external_id: int) -> str: ...


_providers: dict[str, MeetingProvider] = {}


def register(provider: MeetingProvider) -> None:
    _providers[provider.tool] = provider


def provider_for(tool: str) -> MeetingProvider:
    return _providers[tool]


def tool_states(business: Business) -> dict[str, ToolState]:
    """The connection state of every meeting tool, keyed by tool name."""
    return {tool: provider.state(business) for tool, provider in _providers.items()}
