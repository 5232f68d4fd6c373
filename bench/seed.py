"""Seed the bench businesses inside a Django process (`manage.py shell -c`, see bench.stack).

Each business is open around the clock in UTC with one online 15-minute service, so a load
of thousands of bookings finds free slots; each is connected to its own sandbox Zoom user
through the same calls the OAuth callback makes (authorize, code exchange with PKCE, /me).
"""

import base64
import datetime as dt
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from accounts.services import business_create, business_update
from bench.common import SLOT_MINUTES
from bookings.services.opening_hours import opening_hours_set
from catalog.services import service_create
from zoom import client as zoom_client
from zoom.services import zoom_connection_connect
from zoom_sandbox.control import SandboxClient


def _connect(business: Any, email: str, sandbox: SandboxClient) -> None:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    location = sandbox.authorize(
        email,
        redirect_uri=settings.ZOOM_REDIRECT_URI,
        state="bench",
        code_challenge=challenge.rstrip(b"=").decode(),
        code_challenge_method="S256",
    )
    code = parse_qs(urlsplit(location).query)["code"][0]
    tokens = zoom_client.exchange_code(code=code, code_verifier=verifier)
    owner = business.memberships.get().user
    zoom_connection_connect(
        business=business,
        user=owner,
        tokens=tokens,
        zoom_user=zoom_client.get_me(access_token=tokens.access_token),
    )


def seed(count: int, sandbox_url: str) -> list[dict[str, Any]]:
    sandbox = SandboxClient(sandbox_url, timeout=30)
    rows = []
    for i in range(count):
        business = business_create(
            name=f"Bench Studio {i}",
            timezone="UTC",
            owner_email=f"owner-{i}@bench.test",
            owner_password=secrets.token_urlsafe(16),
            owner_name=f"Owner {i}",
        )
        business_update(business=business, booking_notice_hours=0, booking_window_days=366)
        opening_hours_set(
            business=business, week={d: [(dt.time(0), dt.time(23, 45))] for d in range(7)}
        )
        service = service_create(
            business=business,
            name="Online session",
            duration_minutes=SLOT_MINUTES,
            slot_interval_minutes=SLOT_MINUTES,
            online=True,
            meeting_tool="zoom",
        )
        _connect(business, f"bench-{i}@sandbox.zoom.test", sandbox)
        rows.append(
            {
                "id": business.pk,
                "slug": business.slug,
                "service": str(service.public_id),
                "book_path": f"/b/{business.slug}/s/{service.public_id}/book/",
            }
        )
    sandbox.close()
    return rows
