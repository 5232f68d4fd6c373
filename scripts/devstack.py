#!/usr/bin/env python
"""`make run`: migrate, seed the demo, then run web, worker and Zoom sandbox together.

All children share this terminal's process group, so Ctrl-C reaches every one of them; this
script also forwards SIGTERM and stops the rest when any child exits.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
WEB_PORT = int(os.environ.get("PORT", "8000"))
SANDBOX_PORT = int(os.environ.get("ZOOM_SANDBOX_PORT", "8001"))

# Development defaults shared by the app and the sandbox, so each trusts the other.
DEMO_ENV = {
    "DEBUG": "1",
    "SITE_URL": f"http://127.0.0.1:{WEB_PORT}",
    "ZOOM_SANDBOX_URL": f"http://127.0.0.1:{SANDBOX_PORT}",
    "ZOOM_CLIENT_ID": "slotwise-demo-client",
    "ZOOM_CLIENT_SECRET": "slotwise-demo-secret",
    "ZOOM_WEBHOOK_SECRET_TOKEN": "slotwise-demo-webhook-secret",
    "ZOOM_REDIRECT_URI": f"http://127.0.0.1:{WEB_PORT}/integrations/zoom/callback/",
    "ZOOM_SANDBOX_WEBHOOK_URL": f"http://127.0.0.1:{WEB_PORT}/integrations/zoom/webhook/",
}


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    env = {**os.environ}
    for key, value in DEMO_ENV.items():
        env.setdefault(key, value)
    busy = [p for p in (WEB_PORT, SANDBOX_PORT) if not port_is_free(p)]
    if busy:
        print(f"Port(s) {', '.join(map(str, busy))} already in use; stop whatever holds them.")
        return 1

    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("seed_demo", "--quiet", env=env)

    from_root = {"cwd": ROOT, "env": env}
    children = {
        "web": subprocess.Popen(
            [PY, "manage.py", "runserver", f"127.0.0.1:{WEB_PORT}", "--noreload"], **from_root
        ),
        "worker": subprocess.Popen(
            [
                PY,
                "manage.py",
                "run_worker",
                "--interval",
                "0.2",
                "--no-reload",
                "--no-startup-delay",
            ],
            **from_root,
        ),
        "scheduler": subprocess.Popen([PY, "manage.py", "run_scheduler"], **from_root),
    }
    if (ROOT / "zoom_sandbox").is_dir():
        children["zoom-sandbox"] = subprocess.Popen(
            [
                PY,
                "-m",
                "zoom_sandbox",
                "--port",
                str(SANDBOX_PORT),
                "--state-file",
                str(Path(env.get("SLOTWISE_VAR_DIR") or ROOT / "var") / "zoom_sandbox.json"),
            ],
            **from_root,
        )

    print(
        "\n"
        f"  Slotwise is running at http://127.0.0.1:{WEB_PORT}/\n"
        "  Sign in as demo@slotwise.test with password slotwise-demo\n"
        + (
            f"  Zoom sandbox at http://127.0.0.1:{SANDBOX_PORT}/ "
            "(Zoom sign-in host@sandbox.zoom.test / sandbox)\n"
            if "zoom-sandbox" in children
            else ""
        )
        + "  Press Ctrl-C to stop everything.\n",
        flush=True,
    )

    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for proc in children.values():
            if proc.poll() is None and signum != signal.SIGINT:
                # Ctrl-C already reached the whole process group; SIGTERM must be forwarded.
                proc.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    exit_code = 0
    while not stopping:
        for name, proc in children.items():
            if proc.poll() is not None:
                print(f"{name} exited with code {proc.returncode}; stopping the rest.")
                exit_code = proc.returncode or 1
                stopping = True
                break
        time.sleep(0.3)

    deadline = time.monotonic() + 10
    for proc in children.values():
        if proc.poll() is None:
            proc.terminate()
    for proc in children.values():
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    print("Stopped.")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
