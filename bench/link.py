"""Figure 3: from the booking's commit to Join Meeting ready, minus the sandbox's latency.

Measured from the database: the meeting's `ready_at` minus the appointment's `created_at`
(stamped inside the booking transaction, a few ms before its commit, so the figure errs
long). Before: the stock `db_worker`, which polls once a second. After: `run_worker`, which
on PostgreSQL sleeps on LISTEN and is woken by the NOTIFY that the commit delivers.
"""

from bench import drive
from bench.common import Figure, percentile
from bench.stack import Stack

LATENCY_MS = 100
RATE = 2  # one booking at a time, mostly: this is about waking, not about a backlog

WORKERS = {
    "db_worker, 1 s poll (before)": ("db_worker", "--interval", "1", "--no-reload"),
    "run_worker, LISTEN/NOTIFY (after)": ("run_worker",),
}


def _times_to_link(stack: Stack) -> list[float]:
    rows = drive.sql(
        stack,
        "SELECT EXTRACT(EPOCH FROM m.ready_at - a.created_at) "
        "FROM meetings_onlinemeeting m JOIN bookings_appointment a ON a.id = m.appointment_id "
        "WHERE m.ready_at IS NOT NULL",
    )
    return [float(seconds) - LATENCY_MS / 1000 for (seconds,) in rows]


def run(runs: int = 3, quick: bool = False) -> Figure:
    count = 20 if quick else 60
    figure = Figure("3", "Time to link: booking commit → Join Meeting ready (minus Zoom latency)")
    for label, command in WORKERS.items():
        p50s, p95s = [], []
        for _ in range(runs):
            with Stack(
                "link",
                businesses=4,
                workers=1,
                worker_command=command,
                sandbox_latency_ms=LATENCY_MS,
            ) as stack:
                slots = drive.Slots(stack)
                drive.load(stack, slots.bookings(count), rate=RATE, duration=count)
                drive.wait_settled(stack)
                times = _times_to_link(stack)
            p50s.append(percentile(times, 50))
            p95s.append(percentile(times, 95))
        figure.add(f"{label}: p50", p50s, "s", target="≤ 0.3 s")
        figure.add(f"{label}: p95", p95s, "s", target="≤ 1 s")
    figure.notes.append(
        f"{count} online bookings per run at {RATE}/s; the sandbox answers after "
        f"{LATENCY_MS} ms, subtracted; one task worker."
    )
    return figure
