"""Shared test helpers: contract validation, connecting a Zoom user, driving the sandbox's
HTML forms over plain HTTP, and a tiny webhook receiver."""

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import jsonschema
from referencing import Registry, Resource

from zoom_sandbox.control import SandboxClient

CLIENT_ID = "slotwise-demo-client"
CLIENT_SECRET = "slotwise-demo-secret"
REDIRECT_URI = "http://127.0.0.1:8000/integrations/zoom/callback/"
HOST = "host@sandbox.zoom.test"
HOST2 = "host2@sandbox.zoom.test"
MEMBER = "member@restricted.zoom.test"
ADMIN = "admin@restricted.zoom.test"
PASSWORD = "sandbox"
CONTRACT = Path(__file__).resolve().parent.parent / "contract"
# The sandbox speaks plain HTTP; skipping the CA bundle makes each client ~30x cheaper to build.
HTTP = httpx.Client(verify=False, timeout=10)


def _registry() -> Registry:
    resources = []
    for path in CONTRACT.glob("*.json"):
        schema = json.loads(path.read_text())
        if "$id" in schema:
            resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def schema(name: str) -> dict[str, Any]:
    return json.loads((CONTRACT / name).read_text())


def assert_matches(name: str, instance: Any) -> None:
    """Fail unless `instance` satisfies the contract schema `name`."""
    validator = jsonschema.Draft202012Validator(
        schema(name), registry=REGISTRY, format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors
    )


def code_from(location: str) -> str:
    return parse_qs(urlsplit(location).query)["code"][0]


def exchange(sb: SandboxClient, code: str, **extra: str) -> httpx.Response:
    return HTTP.post(
        sb.oauth_base_url + "/oauth/token",
        auth=(CLIENT_ID, CLIENT_SECRET),
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
              **extra},
    )  # fmt: skip


def refresh(sb: SandboxClient, refresh_token: str) -> httpx.Response:
    return HTTP.post(
        sb.oauth_base_url + "/oauth/token",
        auth=(CLIENT_ID, CLIENT_SECRET),
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
    )


def connect(sb: SandboxClient, email: str = HOST) -> dict[str, Any]:
    """Authorize `email` and exchange the code: the token response."""
    response = exchange(sb, code_from(sb.authorize(email)))
    assert response.status_code == 200, response.text
    return response.json()


def api(sb: SandboxClient, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=sb.api_base_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
        verify=False,
    )


def meeting_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "topic": "Yoga with Sam",
        "type": 2,
        "start_time": "2030-03-01T09:00:00Z",
        "duration": 45,
        "timezone": "Europe/London",
        "agenda": "slotwise:appointment:42",
    }
    return {**body, **overrides}


# --- HTML forms over HTTP ------------------------------------------------------------------

_FORM = re.compile(r'<form method="post" action="([^"]*)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_BUTTON = re.compile(r'<button type="submit"[^>]*?(?: name="([^"]*)" value="([^"]*)")?>([^<]*)<')


@dataclass
class Browserless:
    """A cookie-keeping HTTP client that submits the sandbox's forms by button label."""

    base_url: str
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            base_url=self.base_url, follow_redirects=False, timeout=10, verify=False
        )

    def get(self, url: str) -> httpx.Response:
        return self.http.get(url)

    def submit(self, page: httpx.Response, button: str, **fields: str) -> httpx.Response:
        for action, inner in _FORM.findall(page.text):
            for name, value, label in _BUTTON.findall(inner):
                if unescape(label) == button:
                    data = {unescape(k): unescape(v) for k, v in _HIDDEN.findall(inner)}
                    if name:
                        data[name] = value
                    data.update(fields)
                    return self.http.post(urljoin(str(page.url), unescape(action)), data=data)
        raise AssertionError(f"no form with a {button!r} button on {page.url}")

    def follow(self, response: httpx.Response) -> httpx.Response:
        while response.status_code in (302, 303):
            location = response.headers["location"]
            if not location.startswith(("/", self.base_url)):
                return response  # leaving the sandbox: the caller inspects it
            response = self.http.get(location)
        return response

    def sign_in(self, page: httpx.Response, email: str, password: str = PASSWORD) -> httpx.Response:
        return self.follow(self.submit(page, "Sign In", email=email, password=password))


# --- webhook receiver ---------------------------------------------------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A tiny HTTP server standing in for the app's webhook endpoint."""

    def __init__(self, answer: Callable[[Received], tuple[int, bytes]] | None = None) -> None:
        self.received: list[Received] = []
        self.visits: list[str] = []  # GETs: a browser landing on the "app"
        self.answer = answer or (lambda _r: (200, b""))
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                got = Received({k.lower(): v for k, v in self.headers.items()}, body)
                receiver.received.append(got)
                status, payload = receiver.answer(got)
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                receiver.visits.append(self.path)
                body = b"<!doctype html><title>App</title><p>connected</p>"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/zoom/webhook/"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
