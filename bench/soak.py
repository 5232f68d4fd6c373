"""Figure 7: a soak with faults. `python -m bench.soak [--bookings N] [--kill-every S]`.

Clients book, then reschedule some and cancel some, from the load-generator process, while
the sandbox fails 5% of API calls with 5xx, answers 1% with 429 and loses the response of
2% after doing the work (created, but the app never hears), and a task worker is SIGKILLed
every 30 s (a fresh one takes its place). When everything has settled, the ledger is
checked against Zoom's own state in the sandbox:

- every live booking's meeting is ready; every cancelled booking has no live meeting;
- no booking has two live meetings (found by the marker each meeting carries);
- no live meeting in Zoom belongs to no live booking (orphans);
- every booking the client was told succeeded exists (none lost).
"""

import argparse
import json
import re
import sys
import threading
import time
from collections import Counter
from typing import Any

from bench import drive
from bench.common import Figure
from bench.stack import Stack

MARKER = re.compile(r"slotwise-([0-9a-f-]{36})")


def _faults(stack: Stack) -> None:
    assert stack.sandbox is not None
    for kind, extra in (
        ("error", {"status": 503, "fraction": 0.05}),
        ("error", {"status": 429, "retry_after": 1, "fraction": 0.01}),
        ("lose_response", {"fraction": 0.02}),
    ):
        stack.sandbox.add_fault(kind, path="/v2/*", **extra)


def _killer(stack: Stack, every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        stack.kill_a_worker()


def _ledger(stack: Stack, told_ok: set[str]) -> dict[str, Any]:
    assert stack.sandbox is not None
    rows = drive.sql(
        stack,
        "SELECT a.token, a.status, m.status, m.marker::text, m.external_id "
        "FROM bookings_appointment a LEFT JOIN meetings_onlinemeeting m "
        "ON m.appointment_id = a.id",
    )
    live = {r[3]: r for r in rows if r[1] == "confirmed"}
    cancelled = {r[3] for r in rows if r[1] != "confirmed"}
    zoom_live = Counter()
    for meeting in stack.sandbox.meetings():
        if not meeting["deleted"]:
            match = MARKER.search(meeting["agenda"] or "")
            zoom_live[match.group(1) if match else "?"] += 1
    return {
        "live bookings": len(live),
        "live bookings with a ready meeting": sum(1 for r in live.values() if r[2] == "ready"),
        "bookings with two live meetings": sum(1 for n in zoom_live.values() if n > 1),
        "orphans": sum(n for marker, n in zoom_live.items() if marker not in live),
        "orphans of cancelled bookings": sum(n for m, n in zoom_live.items() if m in cancelled),
        "lost": len(told_ok - {r[0] for r in rows}),
    }


def run(
    runs: int = 1, quick: bool = False, bookings: int = 2000, kill_every: float = 30
) -> tuple[Figure, dict[str, int]]:
    if quick:
        bookings = min(bookings, 300)
        kill_every = min(kill_every, 10)
    figure = Figure("7", "Soak with faults")
    results: list[dict[str, Any]] = []
    with Stack(
        "soak",
        businesses=10,
        workers=2,
        env={
            "MEETINGS_RETRY_BASE_SECONDS": "0.5",
            "MEETINGS_LEASE_SECONDS": "10",
            "MEETINGS_REQUEUE_AFTER_SECONDS": "15",
        },
    ) as stack:
        started = time.monotonic()
        slots = drive.Slots(stack)
        _faults(stack)
        stop = threading.Event()
        killer = threading.Thread(target=_killer, args=(stack, kill_every, stop), daemon=True)
        killer.start()
        jobs = slots.bookings(bookings)
        booked = drive.load(stack, jobs, rate=10, duration=bookings)
        made = drive.ok(booked["results"])
        tokens = [r["token"] for r in made]
        changes: list[dict[str, Any]] = []
        for i, result in enumerate(made):
            if i % 10 < 3:
                # A free slot of the booking's own business, so every move can succeed.
                business = slots.business_index(jobs[result["index"]]["path"])
                start = slots.take(business)[1]
                changes.append({"kind": "reschedule", "token": result["token"], "start": start})
            elif i % 10 < 5:
                changes.append({"kind": "cancel", "token": result["token"]})
        changed = drive.load(stack, changes, rate=10, duration=len(changes))
        stop.set()
        killer.join()
        results = booked["results"] + changed["results"]
        # Killed workers leave claimed tasks behind: the scheduler re-queues their meetings.
        drive.wait_settled(stack, timeout=900)
        ledger = _ledger(stack, set(tokens))
        stack.sample_peaks()
        peaks = dict(stack.peak_kib)
        killed = stack.workers_killed
        minutes = (time.monotonic() - started) / 60
    statuses = Counter(r["kind"] + " " + str(r["status"]) for r in results)
    live = ledger["live bookings"]
    figure.add("bookings made", len(tokens), "", note=f"of {bookings} offered")
    figure.add("reschedules / cancellations sent", len(changes), "")
    figure.add(
        "live bookings whose meeting ended ready",
        100 * ledger["live bookings with a ready meeting"] / max(live, 1),
        "%",
        target="100%",
    )
    figure.add(
        "bookings with two meetings", ledger["bookings with two live meetings"], "", target="0"
    )
    figure.add("orphan meetings in Zoom", ledger["orphans"], "", target="0")
    figure.add("bookings lost", ledger["lost"], "", target="0")
    figure.add("workers killed (SIGKILL)", killed, "")
    figure.add("soak duration", minutes, "min")
    figure.notes.append("answers by kind and status: " + json.dumps(dict(sorted(statuses.items()))))
    return figure, peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=2000)
    parser.add_argument("--kill-every", type=float, default=30)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    from bench.report import print_figures, save

    figure, peaks = run(quick=args.quick, bookings=args.bookings, kill_every=args.kill_every)
    print_figures([figure])
    print(f"peak RSS: web {peaks['web'] / 1024:.0f} MiB, worker {peaks['worker'] / 1024:.0f} MiB")
    print(f"wrote {save([figure])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
