"""Provider-neutral failures, so the reconciler can decide without knowing which tool it is.

Each provider's own errors subclass these (zoom.errors does).
"""

import datetime as dt


class ProviderError(Exception):
    """Any failure from a meeting provider.

    `answered` tells whether the provider answered at all: a refusal or a 5xx is an answer
    (nothing was done), while a timeout or dropped connection leaves the outcome unknown.
    """

    answered: bool = False


class ProviderNotConnected(ProviderError):
    """No usable connection (never connected, disconnected, or the grant is gone)."""


class ProviderRateLimited(ProviderError):
    """Too many calls; `retry_at` says when to come back, `daily` for per-day limits."""

    retry_at: dt.datetime
    daily: bool


class ProviderTemporaryError(ProviderError):
    """5xx, timeout, dropped connection: try again later."""


class ProviderNotFound(ProviderError):
    """The meeting is not (or no longer) in the provider."""


class ProviderRefused(ProviderError):
    """The provider refused the call as made; `code` is its reason code, if any."""

    code: int | str | None
