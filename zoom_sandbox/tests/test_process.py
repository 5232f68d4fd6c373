"""The sandbox as a process: --help, clean shutdown, and state kept across restarts."""

import json
import signal
import subprocess
import sys

import pytest

from zoom_sandbox.control import SandboxClient, wait_until
from zoom_sandbox.pytest_plugin import start_sandbox, stop_sandbox
from zoom_sandbox.tests.helpers import HOST, api, connect, meeting_body


def test_help_documents_flags_and_environment():
    result = subprocess.run(
        [sys.executable, "-m", "zoom_sandbox", "--help"], capture_output=True, text=True, check=True
    )
    for text in ("--port", "--state-file", "--access-token-ttl", "ZOOM_CLIENT_ID",
                 "ZOOM_SANDBOX_WEBHOOK_URL", "host@sandbox.zoom.test"):  # fmt: skip
        assert text in result.stdout


@pytest.fixture
def state_file(tmp_path):
    return tmp_path / "state" / "zoom_sandbox.json"


def test_state_survives_a_restart(tmp_path, state_file):
    process, url = start_sandbox(tmp_path, "--state-file", str(state_file))
    client = SandboxClient(url)
    try:
        tokens = connect(client)
        with api(client, tokens["access_token"]) as zoom:
            created = zoom.post("/users/me/meetings", json=meeting_body()).json()
        client.add_user("new@sandbox.zoom.test")
    finally:
        client.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0  # clean shutdown, final write done

    data = json.loads(state_file.read_text())
    assert [m["id"] for m in data["meetings"]] == [created["id"]]
    assert not list(state_file.parent.glob("*.tmp"))

    process, url = start_sandbox(tmp_path, "--state-file", str(state_file))
    client = SandboxClient(url)
    try:
        with api(client, tokens["access_token"]) as zoom:
            again = zoom.get(f"/meetings/{created['id']}")
        assert again.status_code == 200
        assert again.json()["topic"] == created["topic"]
        assert "new@sandbox.zoom.test" in {u["email"] for u in client.users()}
        assert client.installations()[0]["user_id"] == client.user(HOST)["id"]
    finally:
        client.close()
        stop_sandbox(process)


def test_changes_are_written_soon_without_a_shutdown(tmp_path, state_file):
    process, url = start_sandbox(tmp_path, "--state-file", str(state_file))
    client = SandboxClient(url)
    try:
        client.add_user("early@sandbox.zoom.test")
        wait_until(lambda: state_file.exists() and "early@" in state_file.read_text())
    finally:
        client.close()
        process.send_signal(signal.SIGKILL)
        process.wait()


def test_an_unreadable_state_file_stops_start_up_with_a_message(tmp_path, state_file):
    state_file.parent.mkdir(parents=True)
    state_file.write_text("{not json")
    result = subprocess.run(
        [sys.executable, "-m", "zoom_sandbox", "--port", "0", "--state-file", str(state_file)],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert "cannot read sandbox state" in result.stderr


def test_sigint_stops_cleanly(tmp_path):
    process, _url = start_sandbox(tmp_path)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
