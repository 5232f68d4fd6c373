"""`python -m zoom_sandbox`: run the Zoom sandbox until SIGINT/SIGTERM."""

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from zoom_sandbox.config import config_from_env, parse_delays
from zoom_sandbox.ratelimit import RateLimitSettings
from zoom_sandbox.sandbox import Sandbox
from zoom_sandbox.server import SandboxServer

ENV_HELP = """
environment (flags win over these):
  ZOOM_CLIENT_ID                     app client id (default slotwise-demo-client)
  ZOOM_CLIENT_SECRET                 app client secret (default slotwise-demo-secret)
  ZOOM_REDIRECT_URI                  the app's redirect URL
                                     (default http://127.0.0.1:8000/integrations/zoom/callback/)
  ZOOM_WEBHOOK_SECRET_TOKEN          webhook Secret Token (default slotwise-demo-webhook-secret)
  ZOOM_SANDBOX_WEBHOOK_URL           event endpoint; empty = none
                                     (default http://127.0.0.1:8000/integrations/zoom/webhook/)
  ZOOM_SANDBOX_ACCESS_TOKEN_TTL      access-token life in seconds (default 3600)
  ZOOM_SANDBOX_WEBHOOK_RETRY_DELAYS  seconds between delivery retries, e.g. 0.2,0.4,0.8
                                     (default 300,1200,3600: Zoom's +5/+20/+60 minutes)
  ZOOM_SANDBOX_SCOPES                granted scopes, space or comma separated
  ZOOM_SANDBOX_APP_NAME              app name on the consent page (default Slotwise)

Seeded Zoom users (password "sandbox"): host@sandbox.zoom.test, host2@sandbox.zoom.test,
admin@restricted.zoom.test, member@restricted.zoom.test. Add more with
POST /_sandbox/users (see zoom_sandbox/README.md).
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m zoom_sandbox",
        description="A stateful local emulator of Zoom's OAuth, REST API and webhooks.",
        epilog=ENV_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8001, help="port; 0 picks a free one")
    parser.add_argument("--state-file", type=Path, help="keep state in this JSON file")
    parser.add_argument("--ready-file", type=Path, help="write the base URL here once listening")
    parser.add_argument("--client-id", help="app client id")
    parser.add_argument("--client-secret", help="app client secret")
    parser.add_argument(
        "--redirect-uri", action="append", help="allowed redirect URL (repeat for several)"
    )
    parser.add_argument("--scopes", help="granted scopes, space or comma separated")
    parser.add_argument("--webhook-url", help="event endpoint URL; empty string = none")
    parser.add_argument("--webhook-secret", help="webhook Secret Token")
    parser.add_argument("--webhook-retry-delays", help="seconds between retries, e.g. 0.2,0.4,0.8")
    parser.add_argument("--access-token-ttl", type=int, help="access-token life in seconds")
    parser.add_argument("--no-qps-limits", action="store_true", help="turn per-second limits off")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    return parser.parse_args(argv)


def build_sandbox(args: argparse.Namespace) -> Sandbox:
    config = config_from_env(os.environ)
    overrides = {
        "client_id": args.client_id,
        "client_secret": args.client_secret,
        "redirect_uris": args.redirect_uri,
        "scopes": args.scopes,
        "webhook_url": args.webhook_url,
        "webhook_secret": args.webhook_secret,
        "access_token_ttl": args.access_token_ttl,
        "webhook_retry_delays": (
            parse_delays(args.webhook_retry_delays)
            if args.webhook_retry_delays is not None
            else None
        ),
    }
    config.update({k: v for k, v in overrides.items() if v is not None})
    rate_limits = RateLimitSettings(qps_enabled=not args.no_qps_limits)
    return Sandbox(config, state_file=args.state_file, rate_limits=rate_limits)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        sb = build_sandbox(args)
        server = SandboxServer(sb, host=args.host, port=args.port, log_requests=not args.quiet)
    except (ValueError, OSError) as exc:
        print(f"zoom_sandbox: {exc}", file=sys.stderr)
        return 2

    def stop(_signum: int, _frame: object) -> None:
        # shutdown() waits for serve_forever to return, so it must run on another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    sb.start()
    if args.ready_file:
        args.ready_file.write_text(server.base_url, encoding="utf-8")
    print(f"Zoom sandbox listening on {server.base_url}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.close()
        sb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
