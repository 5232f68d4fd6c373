"""The load generator: its own process, so its CPU is not the web server's.

`python -m bench.loadgen PLAN.json` reads a plan and prints one JSON document of results.
Plan: {"base_url", "mode": "open" | "closed", "rate" (open: requests per second),
"concurrency" (threads), "duration" (seconds, a bound), "jobs": [...]} where a job is
{"kind": "book", "path", "start", "email"} | {"kind": "reschedule", "token", "start"} |
{"kind": "cancel", "token"}.

Open loop sends at a fixed rate whatever the answers do, and measures latency from when a
request was due, not from when a thread got to it: a server that falls behind shows up as
latency instead of quietly lowering the rate (coordinated omission).
"""

import json
import queue
import re
import sys
import threading
import time
from typing import Any

import httpx

TOKEN = re.compile(r"/my/a/([^/]+)/")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    """One simulated browser: a cookie jar and the CSRF token its first page gave it."""

    def __init__(self, base_url: str, first_page: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=60, follow_redirects=False)
        page = self.http.get(first_page)
        match = CSRF.search(page.text)
        if match is None:
            raise RuntimeError(f"no CSRF token on {first_page} ({page.status_code})")
        self.csrf = match.group(1)

    def send(self, job: dict[str, Any]) -> tuple[int, str]:
        kind = job["kind"]
        if kind == "book":
            data = {"start": job["start"], "tz": "UTC", "name": "Bench Client"}
            data["email"] = job["email"]
            response = self.http.post(job["path"], data=self._with_csrf(data))
        elif kind == "reschedule":
            response = self.http.post(
                f"/my/a/{job['token']}/reschedule/", data=self._with_csrf({"start": job["start"]})
            )
        elif kind == "cancel":
            response = self.http.post(
                f"/my/a/{job['token']}/cancel/", data=self._with_csrf({"reason": "bench"})
            )
        else:
            raise ValueError(kind)
        match = TOKEN.search(response.headers.get("location", ""))
        return response.status_code, match.group(1) if match else ""

    def _with_csrf(self, data: dict[str, str]) -> dict[str, str]:
        return {**data, "csrfmiddlewaretoken": self.csrf}


def run(plan: dict[str, Any]) -> dict[str, Any]:
    jobs: list[dict[str, Any]] = plan["jobs"]
    first_page = plan["first_page"]
    concurrency = int(plan.get("concurrency", 16))
    open_loop = plan.get("mode", "open") == "open"
    rate = float(plan.get("rate", 0) or 0)
    pending: queue.Queue[tuple[int, float] | None] = queue.Queue()
    results: list[dict[str, Any] | None] = [None] * len(jobs)
    sessions = [Session(plan["base_url"], first_page) for _ in range(concurrency)]
    started = time.monotonic()
    deadline = started + float(plan.get("duration", 60))
    wall_started = time.time()

    def worker(session: Session) -> None:
        while True:
            item = pending.get()
            if item is None:
                return
            index, due = item
            began = time.monotonic()
            if began > deadline:
                continue  # past the time bound: not sent
            try:
                status, token = session.send(jobs[index])
            except httpx.HTTPError as exc:
                status, token = 0, type(exc).__name__
            done = time.monotonic()
            results[index] = {
                "index": index,
                "kind": jobs[index]["kind"],
                "status": status,
                "token": token,
                "latency_ms": (done - (due if open_loop else began)) * 1000,
                "service_ms": (done - began) * 1000,
                "done_at": wall_started + (done - started),
            }

    threads = [threading.Thread(target=worker, args=(s,), daemon=True) for s in sessions]
    for thread in threads:
        thread.start()
    if open_loop and rate > 0:
        for index in range(len(jobs)):
            due = started + index / rate
            if due > deadline:
                break
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pending.put((index, due))
    else:
        for index in range(len(jobs)):
            pending.put((index, 0.0))
    for _ in threads:
        pending.put(None)
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0) + 120)
    elapsed = time.monotonic() - started
    return {"elapsed": elapsed, "results": [r for r in results if r is not None]}


def main() -> int:
    with open(sys.argv[1]) as handle:
        plan = json.load(handle)
    json.dump(run(plan), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
