"""Fixtures shared by every test: two businesses with their people, and real Chromium.

Browser tests drive Debian's Chromium through Playwright (never a downloaded browser). Any
test that uses the `page` or `browser` fixture is marked `browser` automatically, so
`pytest -m browser` runs exactly those and `-m "not browser"` everything else. Tests marked
`postgres_only` are skipped when the suite runs on SQLite.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from accounts.models import Business, Membership, User

pytest_plugins = ["zoom_sandbox.pytest_plugin"]

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).parent / "test-artifacts"
BROWSER_FIXTURES = {"page", "browser", "browser_context"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    from django.db import connection  # reads the configured engine; opens no connection

    not_postgres = pytest.mark.skip(reason="PostgreSQL only")
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if connection.vendor != "postgresql" and item.get_closest_marker("postgres_only"):
            item.add_marker(not_postgres)


_failed_key = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_failed_key] = True  # the `page` fixture saves a screenshot
    return report


@dataclass
class Tenant:
    business: Business
    owner: User
    staff: User
    password: str = "correct horse battery staple"


def _make_tenant(name: str, slug: str, timezone: str) -> Tenant:
    business = Business.objects.create(name=name, slug=slug, timezone=timezone)
    owner = User.objects.create_user(
        f"owner@{slug}.test", Tenant.password, first_name="Olive", last_name="Owner"
    )
    staff = User.objects.create_user(
        f"staff@{slug}.test", Tenant.password, first_name="Sam", last_name="Staff"
    )
    Membership.objects.create(business=business, user=owner, role=Membership.Role.OWNER)
    Membership.objects.create(business=business, user=staff, role=Membership.Role.STAFF)
    return Tenant(business=business, owner=owner, staff=staff)


@pytest.fixture
def tenant(db: None) -> Tenant:
    """The business under test (Europe/London), with an owner and a staff member."""
    return _make_tenant("Sunrise Yoga", "sunrise-yoga", "Europe/London")


@pytest.fixture
def outsider(db: None) -> Tenant:
    """Another business (America/New_York) whose people must never see the first one's data."""
    return _make_tenant("Harbor Tutoring", "harbor-tutoring", "America/New_York")


@pytest.fixture
def owner_client(client: "object", tenant: Tenant) -> "object":
    client.force_login(tenant.owner)  # type: ignore[attr-defined]
    return client


@pytest.fixture
def staff_client(client: "object", tenant: Tenant) -> "object":
    client.force_login(tenant.staff)  # type: ignore[attr-defined]
    return client


@pytest.fixture
def outsider_client(client: "object", outsider: Tenant) -> "object":
    client.force_login(outsider.owner)  # type: ignore[attr-defined]
    return client


# --- real Chromium --------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # "inside" one unless told the test process knows what it is doing.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}; `make test` installs Debian's chromium."
        )
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: object) -> Iterator[object]:
    instance = playwright_driver.chromium.launch(  # type: ignore[attr-defined]
        executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
    )
    yield instance
    instance.close()


@pytest.fixture
def browser_context(browser: object) -> Iterator[object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="en-GB", timezone_id="Europe/London", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: object, request: pytest.FixtureRequest) -> Iterator[object]:
    tab = browser_context.new_page()  # type: ignore[attr-defined]
    yield tab
    if request.node.stash.get(_failed_key, False):
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


# --- Zoom: the sandbox as a real HTTP server, wired into Django's settings --------------


@pytest.fixture
def zoom(zoom_sandbox: object, settings: object) -> object:
    """The Zoom sandbox in its seed state, with Slotwise's Zoom settings pointing at it."""
    config = zoom_sandbox.config()  # type: ignore[attr-defined]
    settings.ZOOM_OAUTH_BASE_URL = zoom_sandbox.oauth_base_url  # type: ignore[attr-defined]
    settings.ZOOM_API_BASE_URL = zoom_sandbox.api_base_url  # type: ignore[attr-defined]
    settings.ZOOM_CLIENT_ID = config["client_id"]  # type: ignore[attr-defined]
    settings.ZOOM_CLIENT_SECRET = config["client_secret"]  # type: ignore[attr-defined]
    settings.ZOOM_WEBHOOK_SECRET_TOKEN = config["webhook_secret"]  # type: ignore[attr-defined]
    zoom_sandbox.add_redirect_uri(settings.ZOOM_REDIRECT_URI)  # type: ignore[attr-defined]
    return zoom_sandbox


@pytest.fixture
def fast_retries(settings: object) -> None:
    """Backoff in milliseconds rather than seconds, for tests that inject failures."""
    settings.MEETINGS_RETRY_BASE_SECONDS = 0.01  # type: ignore[attr-defined]
    settings.MEETINGS_RETRY_MAX_SECONDS = 0.05  # type: ignore[attr-defined]


@pytest.fixture
def zoom_connected(client: object, tenant: Tenant, zoom: object) -> object:
    """The tenant's owner signed in, with Zoom connected to host@sandbox.zoom.test."""
    from tests import zoom_flow

    client.force_login(tenant.owner)  # type: ignore[attr-defined]
    zoom_flow.connect(client, zoom)
    return zoom
