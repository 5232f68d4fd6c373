"""What can go wrong talking to Zoom, sorted by what the caller should do about it."""

import datetime as dt

from meetings.errors import (
    ProviderError,
    ProviderNotConnected,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTemporaryError,
)


class ZoomError(ProviderError):
    """Any failure talking to Zoom. `code` is Zoom's numeric code or OAuth error, if any."""

    def __init__(
        self, message: str, *, status: int | None = None, code: int | str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.answered = status is not None


class ZoomNotConnected(ZoomError, ProviderNotConnected):
    """The business has no usable Zoom connection: make no call."""


class ZoomAuthError(ZoomError, ProviderNotConnected):
    """The grant is gone (revoked, expired, re-authorized elsewhere): needs reconnect."""


class ZoomRateLimited(ZoomError, ProviderRateLimited):
    """429. `retry_at` is when Zoom says to try again; `daily` for the per-day limits."""

    def __init__(
        self, message: str, *, retry_at: dt.datetime, daily: bool, status: int = 429
    ) -> None:
        super().__init__(message, status=status, code=429)
        self.retry_at = retry_at
        self.daily = daily


class ZoomTemporaryError(ZoomError, ProviderTemporaryError):
    """5xx, timeout or dropped connection: retry later with backoff."""


class ZoomNotFound(ZoomError, ProviderNotFound):
    """404 / code 3001: the meeting does not exist (or expired) in Zoom."""


class ZoomRequestError(ZoomError, ProviderRefused):
    """Zoom refused the request as made (other 4xx); retrying the same call will not help."""


class ZoomConfigurationError(ZoomError, ProviderRefused):
    """invalid_client or missing scopes: an operator must fix the app's configuration."""
