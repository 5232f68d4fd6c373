"""Figure 2: sustained booking requests per second on PostgreSQL, and p99 under that load.

Open loop at the target rate for a bounded time (the generator keeps sending whatever the
answers do), then a closed loop of a few clients to find what the stack sustains with p99
still low. Twenty businesses, because one business's calendar writes are serialised by
design (its row lock makes double booking impossible); a real deployment serves many.
Also reports the peak RSS of a web and a worker process (figure 8).
"""

import resource

from bench import drive
from bench.common import Figure
from bench.stack import Stack

TARGET_RATE = 150
SECONDS = 20


def _achieved(results: list[dict]) -> float:
    done = drive.ok(results)
    if len(done) < 2:
        return 0.0
    times = sorted(r["done_at"] for r in done)
    return (len(times) - 1) / (times[-1] - times[0])


def run(runs: int = 3, quick: bool = False) -> tuple[Figure, dict[str, int]]:
    seconds = 8 if quick else SECONDS
    figure = Figure("2", "Throughput of booking requests (PostgreSQL, gunicorn, 2 cores)")
    rates, p50s, p99s, failed = [], [], [], []
    closed_rates, closed_p99 = [], []
    cpu_ms: dict[str, list[float]] = {}
    with Stack("throughput", businesses=20, web_workers=3, web_threads=2, workers=1) as stack:
        slots = drive.Slots(stack)
        drive.load(stack, slots.bookings(60), mode="closed", concurrency=4)  # warm up
        drive.wait_settled(stack)
        for _ in range(runs):
            jobs = slots.bookings(TARGET_RATE * seconds)
            cpu_before, children_before = stack.cpu_by_role(), _children_cpu()
            out = drive.load(stack, jobs, rate=TARGET_RATE, concurrency=128, duration=seconds)
            drive.wait_settled(stack, timeout=600)
            booked = max(len(drive.ok(out["results"])), 1)
            cpu_after = stack.cpu_by_role()
            cpu_after["load generator"] = _children_cpu() - children_before
            cpu_before["load generator"] = 0.0
            for role, used in cpu_after.items():
                cpu_ms.setdefault(role, []).append((used - cpu_before[role]) * 1000 / booked)
            summary = drive.latency_summary(out["results"])
            rates.append(_achieved(out["results"]))
            p50s.append(summary["p50"])
            p99s.append(summary["p99"])
            failed.append(summary["failed"])
            closed = drive.load(
                stack, slots.bookings(4000), mode="closed", concurrency=8, duration=seconds
            )
            closed_rates.append(_achieved(closed["results"]))
            closed_p99.append(drive.latency_summary(closed["results"])["p99"])
            drive.wait_settled(stack, timeout=600)
        stack.sample_peaks()
        peaks = dict(stack.peak_kib)
    figure.add(f"achieved bookings/s at {TARGET_RATE}/s offered", rates, "/s", target="≥ 150/s")
    figure.add("p50 at that load", p50s, "ms")
    figure.add("p99 at that load", p99s, "ms", target="≤ 250 ms")
    figure.add("requests failed or not answered", failed, "")
    figure.add("closed loop, 8 clients: bookings/s", closed_rates, "/s")
    figure.add("closed loop, 8 clients: p99", closed_p99, "ms")
    for role, values in cpu_ms.items():
        figure.add(f"CPU per booking: {role}", values, "ms")
    figure.add(
        "CPU per booking: all parts", [sum(v) for v in zip(*cpu_ms.values(), strict=True)], "ms"
    )
    figure.notes.append(
        "CPU per booking is measured from /proc over the open-loop run until the worker has "
        "made every meeting; 2 cores give 2,000 ms of CPU per second, so the all-parts figure "
        "bounds the rate at 2,000 / that many bookings per second."
    )
    figure.notes.append(
        f"open loop {TARGET_RATE}/s for {seconds} s per run ({TARGET_RATE * seconds} bookings "
        "offered); gunicorn 3 workers × 2 threads, 1 task worker making the meetings at the "
        "same time, PostgreSQL, Zoom sandbox at 0 ms, all on the same 2 cores."
    )
    return figure, peaks


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the load generator runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
