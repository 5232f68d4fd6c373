"""Driving the OAuth round trip through the Django test client and the real sandbox."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse


def start(client, url: str | None = None, data: dict | None = None) -> dict[str, str]:
    """Press Connect; return the authorize request's query parameters (one value each)."""
    response = client.post(url or reverse("zoom:connect"), data or {})
    assert response.status_code == 302, response
    return {
        key: values[0] for key, values in parse_qs(urlsplit(response["Location"]).query).items()
    }


def approve(zoom_sandbox, query: dict[str, str], email: str = "host@sandbox.zoom.test") -> str:
    """What Zoom's Allow does: the callback path+query our app receives."""
    location = zoom_sandbox.authorize(
        email,
        redirect_uri=query["redirect_uri"],
        state=query["state"],
        code_challenge=query["code_challenge"],
        code_challenge_method=query["code_challenge_method"],
    )
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def connect(client, zoom_sandbox, email: str = "host@sandbox.zoom.test", **start_kwargs):
    """The whole round trip; returns the callback's response."""
    return client.get(approve(zoom_sandbox, start(client, **start_kwargs), email))
