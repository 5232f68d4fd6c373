"""Figure 4: Zoom calls per booking, and token refreshes per connection.

Every call the app makes to the sandbox (API and token endpoints) is in the sandbox's own
request log; it is divided by the bookings made. Steady state should be one create per
booking. With 5% of API calls failing with 5xx, the retries cost about 5% more. Tokens:
the sandbox issues access tokens that live 6 minutes, and the app refreshes 5 minutes
before expiry, so each token is good for 1 minute of work; two workers booking for several
token lives should refresh once per connection per life, never twice (rotation would make
the second refresh fail).
"""

import time

from bench import drive
from bench.common import Figure
from bench.stack import Stack

TOKEN_TTL = 360  # seconds; minus the app's 5-minute margin leaves 60 s of use per token
USABLE = TOKEN_TTL - 300


def _per_booking(stack: Stack, slots: drive.Slots, count: int) -> float:
    assert stack.sandbox is not None
    since = stack.sandbox.last_seq()
    out = drive.load(stack, slots.bookings(count), rate=20, concurrency=16, duration=count)
    booked = len(drive.ok(out["results"]))
    drive.wait_settled(stack, timeout=600)
    return len(drive.zoom_calls(stack, since)) / max(booked, 1)


def run(runs: int = 3, quick: bool = False) -> Figure:
    count = 100 if quick else 400
    figure = Figure("4", "Zoom calls per booking; token refreshes")
    steady, faulty = [], []
    with Stack(
        "calls", businesses=10, workers=2, env={"MEETINGS_RETRY_BASE_SECONDS": "0.5"}
    ) as stack:
        assert stack.sandbox is not None
        slots = drive.Slots(stack)
        for _ in range(runs):
            steady.append(_per_booking(stack, slots, count))
            stack.sandbox.add_fault("error", status=503, fraction=0.05, path="/v2/*")
            faulty.append(_per_booking(stack, slots, count))
            stack.sandbox.clear_faults()
    figure.add("calls per booking, steady", steady, "", target="1.00")
    figure.add("calls per booking, 5% 5xx injected", faulty, "", target="≤ 1.06")

    lives = 2 if quick else 3
    per_life, refused = [], []
    for _ in range(runs):
        with Stack("tokens", businesses=4, workers=2, token_ttl=TOKEN_TTL) as stack:
            assert stack.sandbox is not None
            slots = drive.Slots(stack)
            since = stack.sandbox.last_seq()
            started = time.monotonic()
            while time.monotonic() - started < lives * USABLE:
                drive.load(stack, slots.bookings(40), rate=10, concurrency=8, duration=30)
            drive.wait_settled(stack)
            calls = drive.zoom_calls(stack, since)
            refreshes = [c for c in calls if c["grant_type"] == "refresh_token"]
            connections = len(stack.seeded.businesses)
            elapsed = time.monotonic() - started
            per_life.append(len(refreshes) / connections / (elapsed / USABLE))
            refused.append(sum(1 for c in refreshes if c["status"] != 200))
    figure.add("refreshes per connection per token life", per_life, "", target="1")
    figure.add("refreshes refused (a second, racing refresh)", refused, "", target="0")
    figure.notes.append(
        f"{count} bookings per run and setting at 20/s, 2 task workers, 10 businesses. Tokens: "
        f"{lives} token lives of {USABLE} s of use (sandbox TTL {TOKEN_TTL} s, refresh 5 min "
        "early) under bookings at 10/s for 4 connections with 2 workers racing; a real token "
        "lives an hour, so one per life is one per hour."
    )
    return figure
