import pytest
from playwright.sync_api import expect


@pytest.fixture
def signed_in(page, live_server, tenant):
    """A Chromium tab signed in as the tenant's owner, on the agenda."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(tenant.owner.email)
    page.get_by_label("Password").fill(tenant.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Agenda", level=1)).to_be_visible()
    return page


CALLBACK = "/integrations/zoom/callback/"
WEBHOOK = "/integrations/zoom/webhook/"


@pytest.fixture
def zoom_live(zoom, live_server, settings):
    """The sandbox talking to the live server: browser redirects and webhooks land on it."""
    settings.ZOOM_REDIRECT_URI = live_server.url + CALLBACK
    zoom.add_redirect_uri(settings.ZOOM_REDIRECT_URI)
    zoom.configure(webhook_url=live_server.url + WEBHOOK)
    return zoom


def zoom_sign_in(page, email="host@sandbox.zoom.test", password="sandbox"):
    """Zoom's (the sandbox's) sign-in form."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
