"""The HTTP server: standard-library sockets, one thread per connection, and the pipeline
every call to the emulated Zoom endpoints goes through (faults, latency, request log).

Owning the socket is the point of using `http.server`: a "dropped connection" closes it
without writing a byte, and "succeed but lose the response" runs the operation first.
"""

import contextlib
import ipaddress
import re
import socket
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from zoom_sandbox import api, authorize_pages, oauth, pages, sandbox_api
from zoom_sandbox.sandbox import Sandbox
from zoom_sandbox.web import DropConnection, Request, Response, Router, json_response

# The calls the app makes to Zoom: logged, and subject to faults and latency.
TRACKED = re.compile(r"^(/v2/.*|/oauth/token|/oauth/revoke)$")


def build_router() -> Router:
    router = Router()
    router.add("POST", "/oauth/token", oauth.token_endpoint)
    router.add("POST", "/oauth/revoke", oauth.revoke_endpoint)
    api.register(router)
    authorize_pages.register(router)
    pages.register(router)
    sandbox_api.register(router)
    return router


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _route(sb: Sandbox, router: Router, req: Request) -> Response:
    handler, params, path_exists = router.match(req.method, req.path)
    if handler is None:
        status = 405 if path_exists else 404
        if req.path.startswith(("/v2/", "/_sandbox/", "/oauth/token", "/oauth/revoke")):
            return json_response(status, {"code": status, "message": "Not found."})
        return Response(status, b"Not found" if status == 404 else b"Method not allowed")
    req.params = params
    try:
        return handler(sb, req)
    except DropConnection:
        raise
    except Exception:  # one broken request must not take the server down
        traceback.print_exc(file=sys.stderr)
        return json_response(500, {"code": 500, "message": "Internal Server Error"})


def dispatch(sb: Sandbox, router: Router, req: Request) -> Response:
    if req.path.startswith("/_sandbox/") and not _is_loopback(req.client_host):
        return json_response(403, {"error": "the control API answers only on loopback"})
    if not TRACKED.match(req.path):
        return _route(sb, router, req)

    started = time.monotonic()
    fault = sb.faults.take(req.method, req.path)
    delay = sb.faults.base_latency() + (fault.latency_ms / 1000 if fault else 0)
    if delay:
        time.sleep(delay)  # emulated network + Zoom latency, set through the control API
    entry: dict[str, Any] = {
        "method": req.method,
        "path": req.path,
        "query": dict(req.query),
        "status": None,
        "zoom_user_id": None,
        "grant_type": None,
        "meeting_id": None,
        "rate_limited": False,
        "fault": fault.kind if fault else None,
    }
    try:
        if fault and fault.kind == "error":
            if req.path == "/oauth/token":
                req.log["grant_type"] = {**req.query, **req.form()}.get("grant_type")
            response = fault.error_response()
        elif fault and fault.kind == "drop":
            raise DropConnection
        else:
            response = _route(sb, router, req)
            if fault and fault.kind == "lose_response":
                entry["status"] = response.status
                raise DropConnection
        entry["status"] = response.status
        return response
    finally:
        entry.update({k: v for k, v in req.log.items() if k in entry})
        entry["duration_ms"] = int((time.monotonic() - started) * 1000)
        sb.record_request(entry)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx clients expect
    server_version = "ZoomSandbox/1.0"
    timeout = 60  # idle keep-alive connections give their thread back after a minute
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; without NODELAY, Nagle plus delayed ACKs
        # add ~40 ms to every keep-alive response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = Request(
            method=self.command,
            path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client_host=self.client_address[0],
        )
        try:
            response = dispatch(self.server.sandbox, self.server.router, req)
        except DropConnection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = do_HEAD = _handle

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log_requests:
            sys.stderr.write(f"zoom-sandbox {self.address_string()} {format % args}\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 makes bursts of new connections wait for SYN
    # retransmits (a full second); benchmarks open many at once.
    request_queue_size = 256
    sandbox: Sandbox
    router: Router
    log_requests: bool


class SandboxServer:
    """The sandbox bound to a socket; `port=0` picks a free port."""

    def __init__(
        self, sb: Sandbox, *, host: str = "127.0.0.1", port: int = 8001, log_requests: bool = False
    ) -> None:
        self.sandbox = sb
        self._httpd = _Server((host, port), _Handler)
        self._httpd.sandbox = sb
        self._httpd.router = build_router()
        self._httpd.log_requests = log_requests
        bound_port = self._httpd.server_address[1]
        public_host = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104
        self.base_url = f"http://{public_host}:{bound_port}"
        sb.base_url = self.base_url

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop serving (call from another thread than serve_forever)."""
        self._httpd.shutdown()

    def close(self) -> None:
        self._httpd.server_close()
