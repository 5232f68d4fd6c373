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
