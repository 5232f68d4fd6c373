"""Figure 5: a year of class series and appointments under Zoom's 100 writes a day.

A business connects Zoom (host@sandbox.zoom.test, through the app's own connect view, the
sandbox's `/_sandbox/authorize` and the app's callback), creates three weekly online
classes for a year (156 sessions, through `class_schedule_save` as the editor does) and
takes online appointments every day, each booked 1-7 days ahead. The sandbox enforces 100
meeting creates/updates per host per UTC day.

The year is simulated on two clocks that move together: the sandbox's (its control API)
and the app's, by patching `django.utils.timezone.now` in the child process. Patching the
app's clock is acceptable in a bench driver and only here: every Zoom call still goes over
real HTTP to the real sandbox, and the app runs what production runs at each moment: the
scheduler's jobs (the sweeper and reminders) and the database task backend's due tasks,
run in-process with the real worker's code. Time jumps from one event to the next (the
next hour's bookings, the next due task, the next due retry), so a parked meeting resumes
when its time comes, not at the next whole hour.

The sandbox's per-second limits are off: the simulation packs a day into a second or so of
real time, which would turn every burst into a per-second 429 that no real day produces.

Cost on a 2-core machine with PostgreSQL: about 0.1 s of real time per reconcile, so
--quick (60 days, 20 appointments a day) takes some 5 minutes and the year (60 a day)
about an hour.

`python -m bench.series [--quick] [--runs N]` prints the figure; `run()` is what
`python -m bench` calls (from a process without Django).
"""

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import PYTHON, ROOT, SLOT_MINUTES, Figure, app_env, free_port, fresh_database
from bench.stack import start_sandbox

DATABASE = "slotwise_bench_series"
HOST_EMAIL = "host@sandbox.zoom.test"
DAILY_LIMIT = 100
START = dt.datetime(2027, 1, 4, 0, 0, tzinfo=dt.UTC)  # a Monday
SITE_URL = "http://testserver"
CLIENT_ID = "slotwise-bench-client"
CLIENT_SECRET = "slotwise-bench-secret"
FIRST_SLOT_HOUR = 8  # appointments 08:00 onwards, classes at 07:00: never a clash


# --- the parent: processes and the figure -----------------------------------------------


def _child_env(sandbox_url: str, database_url: str, workdir: Path) -> dict[str, str]:
    return app_env(
        database_url,
        SLOTWISE_VAR_DIR=str(workdir),
        ALLOWED_HOSTS="testserver",
        SITE_URL=SITE_URL,
        TASKS_BACKEND="database",
        LOG_LEVEL="ERROR",  # tens of thousands of meetings: their INFO lines are noise here
        ZOOM_OAUTH_BASE_URL=sandbox_url,
        ZOOM_API_BASE_URL=sandbox_url + "/v2",
        ZOOM_CLIENT_ID=CLIENT_ID,
        ZOOM_CLIENT_SECRET=CLIENT_SECRET,
        ZOOM_REDIRECT_URI=f"{SITE_URL}/integrations/zoom/callback/",
        ZOOM_WEBHOOK_SECRET_TOKEN="slotwise-bench-webhook-secret",
    )


def simulate(days: int, per_day: int) -> dict[str, Any]:
    """One simulation in fresh processes and a fresh database; the child's results."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-series-"))
    port = free_port()
    sandbox_url = f"http://127.0.0.1:{port}"
    env = _child_env(sandbox_url, fresh_database(DATABASE), workdir)
    env["BENCH_SANDBOX_URL"] = sandbox_url
    sandbox = start_sandbox(port, env, "--no-qps-limits", log=subprocess.DEVNULL)
    try:
        out = workdir / "result.json"
        subprocess.run(
            [
                PYTHON,
                "-m",
                "bench.series",
                "--child",
                "--days",
                str(days),
                "--per-day",
                str(per_day),
                "--out",
                str(out),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        return json.loads(out.read_text())
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else float("nan")


def run(runs: int, quick: bool) -> Figure:
    days, per_day = (60, 20) if quick else (365, 60)
    results = [simulate(days, per_day) for _ in range(max(runs, 1))]
    fig = Figure("5", "Class series under Zoom's daily limit")

    def each(key: str) -> list[float]:
        return [float(r[key]) for r in results]

    fig.add(
        "sessions ready 24 h before start",
        [_pct(r["sessions_ready_24h"], r["sessions_due"]) for r in results],
        "%",
        target="100%",
        note=f"of {results[0]['sessions_due']} sessions",
    )
    fig.add(
        "appointments ready before start",
        [_pct(r["appointments_ready"], r["appointments_due"]) for r in results],
        "%",
        target="100%",
        note=f"of {results[0]['appointments_due']} appointments",
    )
    fig.add("429s received", each("rate_limited"), target="as few as the policy allows")
    fig.add("failed meetings", each("failed"), target="0")
    fig.add(
        "max meeting writes on one sandbox day",
        each("max_writes_per_day"),
        target=f"≤ {DAILY_LIMIT} (Zoom's limit)",
    )
    fig.add("sandbox calls", each("sandbox_calls"))
    fig.add("simulation wall time", each("wall_seconds"), "s")
    fig.notes.append(
        f"{days} simulated days, 3 weekly online classes (156 sessions over the year), "
        f"{per_day} online appointments booked a day 1-7 days ahead; sandbox meeting daily "
        f"limit {DAILY_LIMIT}, per-second limits off (see bench/series.py)."
    )
    return fig


# --- the child: Django, the simulated year ---------------------------------------------


class Clocks:
    """The app's clock (patched timezone.now) and the sandbox's, moved together."""

    def __init__(self, sandbox: Any, start: dt.datetime) -> None:
        from django.utils import timezone

        self.now = start
        self.sandbox = sandbox
        timezone.now = lambda: self.now  # the one patch: see the module docstring
        sandbox.set_clock(start)

    def move_to(self, when: dt.datetime) -> None:
        self.now = when
        self.sandbox.set_clock(when)


def _connect_zoom(owner: Any, sandbox: Any) -> None:
    """Connect, Allow in the sandbox, back to the app's callback: the tests' round trip."""
    from django.test import Client

    from tests import zoom_flow

    browser = Client()
    browser.force_login(owner)
    response = zoom_flow.connect(browser, sandbox, HOST_EMAIL)
    if response.status_code != 302:
        raise RuntimeError(f"Zoom connect failed: {response.status_code}")


class Worker:
    """Due tasks run with the real database worker's code, in this process."""

    def __init__(self) -> None:
        from tests.background import task_worker

        self.worker = task_worker("bench-worker")

    def run_due(self) -> int:
        from django_tasks_db.models import DBTaskResult

        ran = 0
        while (task := DBTaskResult.objects.ready().first()) is not None:
            task.claim(self.worker.worker_id)
            self.worker.run_task(task)
            ran += 1
        return ran


def _next_event(now: dt.datetime, boundary: dt.datetime) -> dt.datetime:
    """The next moment anything is due: a deferred task, a meeting retry, or `boundary`."""
    from django.db.models import Min

    from meetings.models import MeetingStatus, OnlineMeeting

    candidates = [boundary]
    task = _next_task_time()
    if task is not None:
        candidates.append(task)
    retry = OnlineMeeting.objects.filter(status=MeetingStatus.PENDING).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    if retry is not None:
        candidates.append(retry)
    return max(min(candidates), now + dt.timedelta(seconds=1))


def _next_task_time() -> dt.datetime | None:
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").aggregate(at=Min("run_after"))["at"]


class RequestTally:
    """The sandbox's request log, read as it grows, counted per sandbox (UTC) day."""

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self.seq = 0
        self.calls = 0
        self.rate_limited = 0
        self.writes: dict[str, int] = defaultdict(int)

    def read(self) -> None:
        for record in self.sandbox.requests(since=self.seq):
            self.seq = max(self.seq, record["seq"])
            self.calls += 1
            if record["rate_limited"] or record["status"] == 429:
                self.rate_limited += 1
                continue
            is_write = (record["method"], record["path"]) == ("POST", "/v2/users/me/meetings") or (
                record["method"] == "PATCH" and record["path"].startswith("/v2/meetings/")
            )
            if is_write and record["status"] is not None and record["status"] < 300:
                self.writes[record["time"][:10]] += 1


def child(days: int, per_day: int, out: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from zoneinfo import ZoneInfo

    from accounts.models import Business, Membership, User
    from bookings.errors import NotBookable
    from bookings.models import Appointment
    from bookings.reminders import reminders_send
    from bookings.services.appointments import appointment_create
    from bookings.services.clients import client_create
    from catalog.models import ClassSchedule
    from catalog.services import class_create, class_schedule_save, service_create
    from meetings.models import MeetingStatus, OnlineMeeting
    from meetings.sweep import sweep
    from zoom_sandbox.control import SandboxClient

    sandbox = SandboxClient(os.environ["BENCH_SANDBOX_URL"], timeout=30)
    sandbox.configure_rate_limits(
        qps_enabled=False, meeting_daily_enabled=True, meeting_daily_limit=DAILY_LIMIT
    )
    clocks = Clocks(sandbox, START)
    worker = Worker()
    tally = RequestTally(sandbox)
    rng = random.Random(5)

    zone_name = "Europe/London"
    zone = ZoneInfo(zone_name)
    business = Business.objects.create(name="Series Studio", slug="series", timezone=zone_name)
    owner = User.objects.create_user("owner@series.test", "bench-password", first_name="Olive")
    Membership.objects.create(business=business, user=owner, role=Membership.Role.OWNER)
    _connect_zoom(owner, sandbox)

    service = service_create(
        business=business,
        name="Consultation",
        duration_minutes=SLOT_MINUTES,
        online=True,
        meeting_tool="zoom",
        slot_interval_minutes=SLOT_MINUTES,
    )
    offering = class_create(
        business=business, name="Morning flow", duration_minutes=60, capacity=20
    )
    first_class_day = (START + dt.timedelta(days=2)).date()
    for weekday in (0, 2, 4):  # Monday, Wednesday, Friday: 3 x 52 = 156 sessions
        class_schedule_save(
            schedule=ClassSchedule(
                business=business,
                offering=offering,
                start_date=first_class_day
                + dt.timedelta(days=(weekday - first_class_day.weekday()) % 7),
                start_time=dt.time(7, 0),
                repeat=ClassSchedule.Repeat.WEEKLY,
                weekdays=[weekday],
                ends=ClassSchedule.Ends.AFTER_COUNT,
                occurrences=52,
                online=True,
                meeting_tool="zoom",
            )
        )
    clients = [
        client_create(business=business, name=f"Client {n}", email=f"client{n}@series.test")
        for n in range(50)
    ]

    # Slot s of day D is booked on day D - (1 + s % 7), at an hour spread over the day, so
    # from the eighth day on every day books `per_day` appointments.
    bookings: dict[dt.datetime, list[dt.datetime]] = defaultdict(list)
    for day in range(1, days + 8):
        date = (START + dt.timedelta(days=day)).date()
        for slot in range(per_day):
            start = dt.datetime.combine(date, dt.time(FIRST_SLOT_HOUR), tzinfo=zone) + dt.timedelta(
                minutes=SLOT_MINUTES * slot
            )
            booked_day = START + dt.timedelta(days=day - 1 - slot % 7)
            booked_at = booked_day + dt.timedelta(hours=rng.randrange(24))
            if booked_at >= START:
                bookings[booked_at].append(start.astimezone(dt.UTC))

    end = START + dt.timedelta(days=days)
    wall_start = time.monotonic()
    booked = refused = 0
    now = START
    next_hour = START
    while now < end:
        clocks.move_to(now)
        if now >= next_hour:
            for start in bookings.pop(now, []):
                try:
                    appointment_create(
                        business=business,
                        service=service,
                        client=rng.choice(clients),
                        start=start,
                        location_kind="online",
                    )
                    booked += 1
                except NotBookable:
                    refused += 1
            reminders_send()
            next_hour = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
            if now.hour == 0:
                tally.read()
        sweep()
        worker.run_due()
        now = _next_event(now, min(next_hour, end))
    wall = time.monotonic() - wall_start
    clocks.move_to(end)
    tally.read()

    sessions = OnlineMeeting.objects.filter(session__isnull=False, session__start__lte=end)
    appointments = OnlineMeeting.objects.filter(
        appointment__isnull=False, appointment__start__lte=end
    )
    result = {
        "days": days,
        "per_day": per_day,
        "sessions_due": sessions.count(),
        "sessions_ready_24h": sum(
            1
            for m in sessions.select_related("session")
            if m.ready_at and m.ready_at <= m.session.start - dt.timedelta(hours=24)
        ),
        "appointments_due": appointments.count(),
        "appointments_ready": sum(
            1
            for m in appointments.select_related("appointment")
            if m.ready_at and m.ready_at <= m.appointment.start
        ),
        "appointments_booked": booked,
        "appointments_refused": refused,
        "appointments_total": Appointment.objects.count(),
        "failed": OnlineMeeting.objects.filter(status=MeetingStatus.FAILED).count(),
        "still_pending": OnlineMeeting.objects.filter(status=MeetingStatus.PENDING).count(),
        "rate_limited": tally.rate_limited,
        "sandbox_calls": tally.calls,
        "max_writes_per_day": max(tally.writes.values(), default=0),
        "writes_per_day": dict(sorted(tally.writes.items())),
        "wall_seconds": wall,
    }
    out.write_text(json.dumps(result, indent=1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.series", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="60 days, fewer appointments")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--days", type=int, default=365, help=argparse.SUPPRESS)
    parser.add_argument("--per-day", type=int, default=60, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.days, args.per_day, args.out)
        return 0
    from bench.report import print_figures

    print_figures([run(args.runs, args.quick)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
