"""A small HTTP vocabulary for the sandbox: request, response, router.

The standard library's `http.server` gives the socket; this module keeps the handlers free
of it, so each handler is a plain function `(sandbox, request) -> Response`.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlencode


class DropConnection(Exception):
    """Close the socket without writing a response (a "dropped connection")."""


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    client_host: str
    params: dict[str, str] = field(default_factory=dict)
    # Filled by handlers for the request log.
    log: dict[str, Any] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def form(self) -> dict[str, str]:
        content_type = self.header("content-type") or ""
        if self.body and "json" in content_type:
            return {}
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}

    def json(self) -> Any:
        """Parsed JSON body; raises ValueError for anything that is not JSON."""
        return json.loads(self.body.decode("utf-8"))

    def cookie(self, name: str) -> str | None:
        raw = self.header("cookie")
        if not raw:
            return None
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw)
        except Exception:  # a foreign cookie we cannot parse must not break our pages
            return None
        morsel = jar.get(name)
        return morsel.value if morsel else None


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str, value: str) -> "Response":
        self.headers.append((name, value))
        return self


def json_response(status: int, data: Any, headers: list[tuple[str, str]] | None = None) -> Response:
    body = json.dumps(data, separators=(",", ":")).encode()
    return Response(
        status, body, [("Content-Type", "application/json;charset=UTF-8"), *(headers or [])]
    )


def empty_response(status: int = 204) -> Response:
    return Response(status)


def html_response(status: int, page: str) -> Response:
    return Response(
        status,
        page.encode(),
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-store"),
            # The sandbox's pages must not be framed (clickjacking the Allow button).
            ("X-Frame-Options", "DENY"),
            (
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; "
                "form-action *; frame-ancestors 'none'",
            ),
        ],
    )


def redirect(location: str, status: int = 302) -> Response:
    return Response(status, b"", [("Location", location), ("Cache-Control", "no-store")])


def with_query(url: str, params: dict[str, str]) -> str:
    """Append query parameters to a URL that may already carry some."""
    if not params:
        return url
    separator = "&" if "?" in url else "?"
    return url + separator + urlencode(params)


Handler = Callable[[Any, Request], Response]


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self._routes.append((method, re.compile(f"^{regex}$"), handler))

    def match(self, method: str, path: str) -> tuple[Handler | None, dict[str, str], bool]:
        """(handler, params, path_exists): path_exists tells 405 from 404."""
        path_exists = False
        for route_method, regex, handler in self._routes:
            found = regex.match(path)
            if not found:
                continue
            path_exists = True
            if route_method == method or (route_method == "GET" and method == "HEAD"):
                return handler, found.groupdict(), True
        return None, {}, path_exists
