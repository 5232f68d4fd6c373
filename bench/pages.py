"""Figure 6 — Scale of pages: staff and public pages over 100,000 appointments.

One business with 10,000 clients and 100,000 appointments (two years past, one ahead; some
online with their meeting records, some cancelled), a few classes with sessions and seats,
in PostgreSQL. Each page is requested in-process through the whole Django stack (the test
client: middleware, URL resolver, view, template) by a signed-in owner; availability is
`service_slots` called directly for 30 days, as the public page calls it.

    python -m bench.pages [--runs N] [--quick] [--reseed]   # prints the table
    python -m bench.pages --child --profile NAME            # pyinstrument report of one page

The parent never sets up Django: it starts `--child` with the database and production-like
settings (DEBUG=0) in its environment and reads the child's JSON from stdout.
"""

import argparse
import json
import subprocess
import sys
import time
from typing import Any

from bench.common import (
    PYTHON,
    ROOT,
    Figure,
    app_env,
    database_url,
    fresh_database,
    percentile,
)

DATABASE = "slotwise_bench_pages"
CLIENTS = 10_000
APPOINTMENTS = 100_000
OWNER_EMAIL = "owner@bench-pages.test"
PAGE_TARGET_MS = 100
AVAILABILITY_TARGET_MS = 50
WARMUP = 5


# --- parent (no Django) ---------------------------------------------------------------


def _seeded_counts(url: str) -> tuple[int, int] | None:
    """(clients, appointments) in the bench database, or None when it is not usable."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            clients = conn.execute("SELECT count(*) FROM bookings_client").fetchone()
            appointments = conn.execute("SELECT count(*) FROM bookings_appointment").fetchone()
    except psycopg.Error:
        return None
    return (clients[0] if clients else 0, appointments[0] if appointments else 0)


def child_env(url: str) -> dict[str, str]:
    return app_env(url, ALLOWED_HOSTS="testserver", TASKS_BACKEND="immediate")


def _prepare_database(reseed: bool) -> str:
    url = database_url(DATABASE)
    if reseed or _seeded_counts(url) != (CLIENTS, APPOINTMENTS):
        fresh_database(DATABASE)
    return url


def _child(url: str, args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-m", "bench.pages", "--child", *args],
        cwd=ROOT,
        env=child_env(url),
        stdout=subprocess.PIPE,
        check=True,
    )
    return json.loads(done.stdout)


def run(runs: int, quick: bool, reseed: bool = False) -> Figure:
    url = _prepare_database(reseed)
    samples = 8 if quick else 30
    result = _child(url, ["--runs", str(runs), "--samples", str(samples)])
    figure = Figure("6", "Scale of pages")
    seed = result["seed"]
    figure.add(
        "Seeding 10k clients + 100k appointments",
        seed["seconds"] if seed["seeded"] else "reused",
        "s" if seed["seeded"] else "",
        note=", ".join(f"{n:,} {what}" for what, n in seed["counts"].items()),
    )
    for name, page in result["pages"].items():
        target = AVAILABILITY_TARGET_MS if page["kind"] == "function" else PAGE_TARGET_MS
        figure.add(
            f"{name} (p95)",
            page["p95_ms"],
            "ms",
            target=f"≤ {target} ms",
            note=f"{page['queries']} SQL queries",
        )
    figure.notes += [
        "Server time: django.test.Client in-process (full middleware, URL resolver, view and "
        f"template), signed in as the owner, DEBUG=0; {WARMUP} warm-up requests, then "
        f"{samples} samples per page per run; value = median over {runs} run(s) of each "
        "run's p95, spread = min–max of those p95s.",
        "Availability: bookings.availability.service_slots for 30 days of one service, "
        "called directly (what the public service page calls).",
        "SQL queries: counted once per page with CaptureQueriesContext, outside the timing.",
    ]
    return figure


# --- child (Django set up, production-like settings) -----------------------------------


def _setup_django() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():  # the manifest storage refuses {% static %} without it
        call_command("collectstatic", interactive=False, verbosity=0)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _pages() -> tuple[Any, list[tuple[str, str]]]:
    from accounts.models import Business
    from catalog.models import Service

    business = Business.objects.get(memberships__user__email=OWNER_EMAIL)
    service = Service.objects.filter(business=business).order_by("pk").first()
    assert service is not None
    slug = business.slug
    return business, [
        ("Agenda — day", "/?view=day"),
        ("Agenda — week", "/?view=week"),
        ("Appointments — upcoming, first page", "/appointments/"),
        ("Appointments — past, first page", "/appointments/?show=past"),
        ("Appointments — cancelled, page 5", "/appointments/?show=cancelled&page=5"),
        ("Clients — first page", "/clients/"),
        ("Clients — search", "/clients/?q=smith"),
        ("Public booking page", f"/b/{slug}/"),
        ("Public service page (slots)", f"/b/{slug}/s/{service.public_id}/"),
    ]


def _signed_in_client() -> Any:
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=OWNER_EMAIL))
    return client


def _availability(business: Any) -> Any:
    import datetime as dt

    from django.utils import timezone

    from bookings.availability import service_slots
    from catalog.models import Service

    service = Service.objects.filter(business=business).order_by("pk").first()
    business = service.business  # type: ignore[union-attr]
    today = timezone.now().astimezone(business.tzinfo).date()

    def call() -> list[dt.datetime]:
        return service_slots(service=service, first_day=today, days=30, now=timezone.now())

    return call


def _time_ms(call: Any) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _queries(call: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _measure(runs: int, samples: int) -> dict[str, Any]:
    business, pages = _pages()
    client = _signed_in_client()
    calls: dict[str, tuple[str, Any]] = {}
    for name, url in pages:

        def get(url: str = url) -> None:
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")

        calls[name] = ("page", get)
    calls["Availability — 30 days of one service"] = ("function", _availability(business))
    results: dict[str, Any] = {}
    for name, (kind, call) in calls.items():
        for _ in range(WARMUP):
            call()
        results[name] = {"kind": kind, "queries": _queries(call), "p95_ms": []}
    for number in range(runs):
        for name, (_kind, call) in calls.items():
            times = [_time_ms(call) for _ in range(samples)]
            results[name]["p95_ms"].append(percentile(times, 95))
        _log(f"run {number + 1}/{runs} done")
    return results


def _profile(name: str) -> None:
    from pyinstrument import Profiler

    business, pages = _pages()
    client = _signed_in_client()
    urls = dict(pages)
    if name in urls:

        def call() -> None:
            client.get(urls[name], secure=True)
    else:
        call = _availability(business)
    for _ in range(WARMUP):
        call()
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(10):
            call()
    _log(profiler.output_text(unicode=True, color=False, show_all=False))


def _analyze() -> None:
    """Give the planner statistics, as autovacuum does on a database that has lived a while.
    Measured straight after seeding, it planned for 1 row where 30,000 matched, and the
    appointment lists took 165-268 ms instead of tens (nested loops, then a sort)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _child_main(args: argparse.Namespace) -> None:
    _setup_django()
    from bench.pages_seed import seed_counts, seed_pages

    counts = seed_counts(OWNER_EMAIL)
    seeded = False
    started = time.perf_counter()
    if counts is None:
        _log("seeding 10,000 clients and 100,000 appointments…")
        seed_pages(owner_email=OWNER_EMAIL, clients=CLIENTS, appointments=APPOINTMENTS)
        seeded = True
        counts = seed_counts(OWNER_EMAIL)
    seconds = time.perf_counter() - started
    if seeded:
        _log(f"seeded in {seconds:.1f} s")
    _analyze()
    if args.profile:
        _profile(args.profile)
        return
    pages = _measure(args.runs, args.samples)
    json.dump(
        {"seed": {"seeded": seeded, "seconds": seconds, "counts": counts}, "pages": pages},
        sys.stdout,
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="8 samples per page, not 30")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database anew")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--samples", type=int, default=30, help=argparse.SUPPRESS)
    parser.add_argument("--profile", metavar="NAME", help="pyinstrument one page (with --child)")
    args = parser.parse_args()
    if args.child:
        _child_main(args)
    elif args.profile:
        url = _prepare_database(args.reseed)
        subprocess.run(
            [PYTHON, "-m", "bench.pages", "--child", "--profile", args.profile],
            cwd=ROOT,
            env=child_env(url),
            check=True,
        )
    else:
        from bench.report import print_figures

        print_figures([run(args.runs, args.quick, reseed=args.reseed)])


if __name__ == "__main__":
    main()
