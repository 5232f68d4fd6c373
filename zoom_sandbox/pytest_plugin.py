"""Pytest fixtures that run the Zoom sandbox as a real subprocess.

Register with `pytest_plugins = ["zoom_sandbox.pytest_plugin"]`. Each pytest-xdist worker
starts its own sandbox on a free port. Webhooks are off until a test configures an endpoint,
and their retry schedule is compressed to 0.2/0.4/0.8 s.

    def test_connect(zoom_sandbox, live_server, settings):
        settings.ZOOM_OAUTH_BASE_URL = zoom_sandbox.oauth_base_url
        settings.ZOOM_API_BASE_URL = zoom_sandbox.api_base_url
        zoom_sandbox.add_redirect_uri(live_server.url + "/integrations/zoom/callback/")
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from zoom_sandbox.control import SandboxClient

START_TIMEOUT = 15.0
TEST_RETRY_DELAYS = "0.2,0.4,0.8"


def start_sandbox(workdir: Path, *extra_args: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start `python -m zoom_sandbox` on a free port; returns (process, base URL)."""
    ready = workdir / "ready"
    ready.unlink(missing_ok=True)
    log = (workdir / "sandbox.log").open("ab")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own module
        [
            sys.executable,
            "-m",
            "zoom_sandbox",
            "--port",
            "0",
            "--quiet",
            "--ready-file",
            str(ready),
            "--webhook-url",
            "",
            "--webhook-retry-delays",
            TEST_RETRY_DELAYS,
            *extra_args,
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    deadline = time.monotonic() + START_TIMEOUT
    while not (ready.exists() and ready.read_text()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            output = (workdir / "sandbox.log").read_text(errors="replace")
            raise RuntimeError(f"zoom_sandbox did not start:\n{output}")
        time.sleep(0.02)
    return process, ready.read_text().strip()


def stop_sandbox(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def zoom_sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxClient]:
    """One sandbox process per test session (per xdist worker)."""
    process, base_url = start_sandbox(tmp_path_factory.mktemp("zoom_sandbox"))
    client = SandboxClient(base_url)
    try:
        yield client
    finally:
        client.close()
        stop_sandbox(process)


@pytest.fixture
def zoom_sandbox(zoom_sandbox_server: SandboxClient) -> SandboxClient:
    """The sandbox, back in its seed state, as a control client."""
    zoom_sandbox_server.reset()
    return zoom_sandbox_server
