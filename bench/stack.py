"""The real stack on this machine: PostgreSQL, the Zoom sandbox, gunicorn, the worker(s) and
the scheduler.

`with Stack("latency", sandbox_latency_ms=400) as stack:` creates a fresh database, starts
every process, seeds the bench businesses (each connected to its own sandbox Zoom user) and
stops everything on exit. Peak RSS of each process is sampled while it runs (VmHWM), since
a process that has exited can no longer tell.
"""

import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.common import PYTHON, RESULTS_DIR, ROOT, app_env, free_port, fresh_database
from zoom_sandbox.control import SandboxClient

LOG_DIR = RESULTS_DIR / "logs"


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {timeout} s") from None
            time.sleep(0.1)


def peak_rss_kib(pid: int) -> int:
    """The process's high-water resident set (VmHWM), in KiB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pid: int, *, reaped_children: bool = False) -> float:
    """User + system CPU the process has used so far (0 once it is gone); with
    `reaped_children`, also that of its children that have exited and been waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    used = int(fields[11]) + int(fields[12])
    if reaped_children:
        used += int(fields[13]) + int(fields[14])
    return used / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def start_sandbox(port: int, env: dict[str, str], *extra: str, log: Any) -> subprocess.Popen:
    """The Zoom sandbox in its own process, trusting the app that `env` configures (its
    ZOOM_* client and redirect URI); returns once it answers."""
    proc = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "zoom_sandbox",
            "--port",
            str(port),
            "--quiet",
            "--client-id",
            env["ZOOM_CLIENT_ID"],
            "--client-secret",
            env["ZOOM_CLIENT_SECRET"],
            "--redirect-uri",
            env["ZOOM_REDIRECT_URI"],
            "--webhook-url",
            "",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_http(f"http://127.0.0.1:{port}/_sandbox/health")
    return proc


@dataclass
class Seeded:
    """What the seed child made: one row per business."""

    businesses: list[dict[str, Any]] = field(default_factory=list)


class Stack:
    def __init__(
        self,
        name: str,
        *,
        businesses: int = 10,
        web_workers: int = 2,
        web_threads: int = 4,
        workers: int = 1,
        worker_command: tuple[str, ...] = ("run_worker",),
        sandbox_latency_ms: int = 0,
        token_ttl: int = 3600,
        env: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.businesses = businesses
        self.web_workers = web_workers
        self.web_threads = web_threads
        self.worker_count = workers
        self.worker_command = worker_command
        self.sandbox_latency_ms = sandbox_latency_ms
        self.token_ttl = token_ttl
        self.extra_env = env or {}
        self.web_port = free_port()
        self.sandbox_port = free_port()
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        self.sandbox_url = f"http://127.0.0.1:{self.sandbox_port}"
        self.database_url = ""
        self.procs: dict[str, subprocess.Popen] = {}
        self.workers: list[subprocess.Popen] = []
        self.peak_kib: dict[str, int] = {"web": 0, "worker": 0}
        self.workers_killed = 0
        self.seeded = Seeded()
        self.sandbox: SandboxClient | None = None
        self._sampling = threading.Event()
        self._logs: list[Any] = []

    # --- environment -------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        return app_env(
            self.database_url,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.web_url,
            DATABASE_CONN_MAX_AGE="60",
            ZOOM_OAUTH_BASE_URL=self.sandbox_url,
            ZOOM_API_BASE_URL=self.sandbox_url + "/v2",
            ZOOM_CLIENT_ID="slotwise-bench-client",
            ZOOM_CLIENT_SECRET="slotwise-bench-secret",
            ZOOM_REDIRECT_URI=self.web_url + "/integrations/zoom/callback/",
            ZOOM_WEBHOOK_SECRET_TOKEN="slotwise-bench-webhook-secret",
            # Zoom's per-host daily limit is figure 5's subject; here it would stop every
            # figure after 100 bookings per business.
            MEETINGS_DAILY_BUDGET="1000000",
            **self.extra_env,
        )

    def _log(self, name: str) -> Any:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        handle = (LOG_DIR / f"{self.name}-{name}.log").open("ab")
        self._logs.append(handle)
        return handle

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    # --- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> "Stack":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.database_url = fresh_database(f"slotwise_bench_{self.name}")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        self._start_sandbox()
        output = self.manage("shell", "-c", _seed_call(self))
        self.seeded = Seeded(json.loads(output.strip().splitlines()[-1]))
        self._start_web()
        self.procs["scheduler"] = subprocess.Popen(
            [PYTHON, "manage.py", "run_scheduler"],
            cwd=ROOT,
            env=self.env(),
            stdout=self._log("scheduler"),
            stderr=subprocess.STDOUT,
        )
        for _ in range(self.worker_count):
            self.add_worker()
        self._sampling.set()
        threading.Thread(target=self._sample, daemon=True).start()

    def _start_sandbox(self) -> None:
        self.procs["sandbox"] = start_sandbox(
            self.sandbox_port,
            self.env(),
            "--access-token-ttl",
            str(self.token_ttl),
            log=self._log("sandbox"),
        )
        self.sandbox = SandboxClient(self.sandbox_url, timeout=30)
        self.sandbox.configure_rate_limits(meeting_daily_enabled=False)
        if self.sandbox_latency_ms:
            self.sandbox.set_latency(self.sandbox_latency_ms)
        for i in range(self.businesses):
            self.sandbox.add_user(f"bench-{i}@sandbox.zoom.test", password="sandbox")

    def _start_web(self) -> None:
        self.procs["web"] = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "slotwise.wsgi",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                str(self.web_workers),
                "--threads",
                str(self.web_threads),
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=self._log("web"),
            stderr=subprocess.STDOUT,
        )
        wait_http(self.web_url + "/accounts/login/")

    def add_worker(self) -> subprocess.Popen:
        proc = subprocess.Popen(
            [PYTHON, "manage.py", *self.worker_command],
            cwd=ROOT,
            env=self.env(),
            stdout=self._log("worker"),
            stderr=subprocess.STDOUT,
        )
        self.workers.append(proc)
        return proc

    def kill_a_worker(self) -> None:
        """SIGKILL the oldest live worker (no clean shutdown) and start a replacement."""
        live = [p for p in self.workers if p.poll() is None]
        if live:
            self._note_peak("worker", live[0].pid)
            live[0].send_signal(signal.SIGKILL)
            live[0].wait()
            self.workers_killed += 1
        self.add_worker()

    def set_latency(self, latency_ms: int) -> None:
        assert self.sandbox is not None
        self.sandbox.set_latency(latency_ms)
        self.sandbox_latency_ms = latency_ms

    def _note_peak(self, kind: str, pid: int) -> None:
        self.peak_kib[kind] = max(self.peak_kib[kind], peak_rss_kib(pid))

    def _sample(self) -> None:
        while self._sampling.is_set():
            self.sample_peaks()
            time.sleep(0.5)

    def sample_peaks(self) -> None:
        web = self.procs.get("web")
        if web is not None:
            for pid in children_of(web.pid):
                self._note_peak("web", pid)
        for proc in self.workers:
            if proc.poll() is None:
                self._note_peak("worker", proc.pid)

    def cpu_by_role(self) -> dict[str, float]:
        """CPU seconds used so far by each part of the stack (PostgreSQL: the whole server)."""
        web = self.procs.get("web")
        return {
            "web": sum(cpu_seconds(pid) for pid in children_of(web.pid)) if web else 0.0,
            "worker": sum(cpu_seconds(p.pid) for p in self.workers if p.poll() is None),
            # A backend's CPU leaves the live sum when its connection closes; the postmaster
            # reaps it, so counting reaped children keeps it (once showed -15.6 ms/booking).
            "postgres": sum(cpu_seconds(pid, reaped_children=True) for pid in postgres_pids()),
            "sandbox": cpu_seconds(self.procs["sandbox"].pid),
            "scheduler": cpu_seconds(self.procs["scheduler"].pid),
        }

    def stop(self) -> None:
        if self._sampling.is_set():
            self.sample_peaks()
        self._sampling.clear()
        for proc in [*self.workers, *self.procs.values()]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [*self.workers, *self.procs.values()]:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.sandbox is not None:
            self.sandbox.close()
        for handle in self._logs:
            handle.close()


def _seed_call(stack: Stack) -> str:
    return (
        "import json; from bench.seed import seed; "
        f"print(json.dumps(seed({stack.businesses}, {stack.sandbox_url!r})))"
    )
