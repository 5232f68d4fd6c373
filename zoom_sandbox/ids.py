"""Identifiers and secrets shaped like Zoom's.

Zoom user and account ids are 22-character URL-safe strings; meeting ids are 10-11 digit
integers; meeting UUIDs are base64 of 16 bytes (and may contain `/`, which is why Zoom asks
for double URL-encoding); access tokens are long JWTs. Shapes matter because the app stores
them: a column too short for a real token is a bug the sandbox should expose.
"""

import base64
import hashlib
import hmac
import json
import secrets
import string
import time

_ALNUM = string.ascii_letters + string.digits
# Characters Zoom allows in a passcode by default (REFERENCE 4.3).
PASSCODE_CHARS = frozenset(_ALNUM + "@-_*")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def zoom_id(seed: str | None = None) -> str:
    """A 22-character id like `KDcuGIm1QgePTO8WbOqwIQ`; stable when seeded (for seed data)."""
    raw = hashlib.sha256(seed.encode()).digest() if seed else secrets.token_bytes(16)
    return _b64url(raw)[:22]


def meeting_id() -> int:
    """A meeting number of 10 or 11 digits (current Zoom ids are mostly 11)."""
    return secrets.randbelow(99_999_999_999 - 1_000_000_000) + 1_000_000_000


def personal_meeting_id(seed: str) -> int:
    """A stable 10-digit PMI for a seeded user."""
    digest = int.from_bytes(hashlib.sha256(("pmi:" + seed).encode()).digest()[:8], "big")
    return 1_000_000_000 + digest % 9_000_000_000


def account_number(seed: str | None = None) -> int:
    """An 8-digit account number; stable when seeded."""
    if seed is None:
        return 10_000_000 + secrets.randbelow(90_000_000)
    digest = int.from_bytes(hashlib.sha256(("acct:" + seed).encode()).digest()[:8], "big")
    return 10_000_000 + digest % 90_000_000


def meeting_uuid() -> str:
    return base64.b64encode(secrets.token_bytes(16)).decode()


def passcode(length: int = 6) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def numeric_passcode(length: int = 6) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(length))


def encrypted_passcode() -> str:
    """The `pwd=` value Zoom puts in join URLs; opaque, never the passcode itself."""
    return _b64url(secrets.token_bytes(24)) + ".1"


def opaque(nbytes: int = 24) -> str:
    return _b64url(secrets.token_bytes(nbytes))


def jwt_like(signing_key: bytes, claims: dict[str, object]) -> str:
    """A signed HS512 JWT with Zoom-like claims.

    The sandbox looks tokens up in its own table, so the signature is not what makes a token
    valid; the point is realistic length (several hundred characters) and shape.
    """
    header = {"alg": "HS512", "v": "2.0", "kid": opaque(18)}
    body = {**claims, "jti": opaque(18), "nbf": int(time.time())}
    head = _b64url(json.dumps(header, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(body, separators=(",", ":")).encode())
    signature = hmac.new(signing_key, f"{head}.{payload}".encode(), hashlib.sha512).digest()
    return f"{head}.{payload}.{_b64url(signature)}"
