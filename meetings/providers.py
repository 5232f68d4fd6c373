"""Meeting tools (Zoom, …) as the rest of Slotwise sees them: a small provider interface.

Bookings and the catalog know a meeting *tool* by its name ("zoom"); the app that
implements the tool registers a provider here when Django starts.
"""

from dataclasses import dataclass
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


class MeetingProvider(Protocol):
    tool: str
    label: str

    def state(self, business: Business) -> ToolState: ...


_providers: dict[str, MeetingProvider] = {}


def register(provider: MeetingProvider) -> None:
    _providers[provider.tool] = provider


def provider_for(tool: str) -> MeetingProvider:
    return _providers[tool]


def tool_states(business: Business) -> dict[str, ToolState]:
    """The connection state of every meeting tool, keyed by tool name."""
    return {tool: provider.state(business) for tool, provider in _providers.items()}
