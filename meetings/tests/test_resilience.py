"""Zoom failing, slow, answering into the void, rate-limiting, or a worker dying: every
booking still ends with exactly one meeting, and never waits on Zoom."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bookings.services.appointments import appointment_create
from meetings.models import MeetingStatus, OnlineMeeting
from meetings.reconcile import reconcile
from tests import factories
from tests.background import DATABASE_TASKS, drain, settle

pytestmark = pytest.mark.django_db


def _live(zoom):
    return [m for m in zoom.meetings() if not m["deleted"]]


def _api(zoom, since, *, status=False):
    rows = [r for r in zoom.requests(since=since) if r["path"].startswith("/v2/")]
    return [
        (r["method"], r["path"], r["status"]) if status else (r["method"], r["path"]) for r in rows
    ]


def _book_many(tenant, count):
    service = factories.make_service(
        tenant.business, in_person=False, address="", duration_minutes=30
    )
    start = factories.next_local(tenant.business, days=2, hour=0)
    return [
        appointment_create(
            business=tenant.business,
            service=service,
            client=factories.make_client(tenant.business, name=f"Client {n}"),
            start=start + dt.timedelta(minutes=45 * n),
            location_kind="online",
        )
        for n in range(count)
    ]


def test_two_hundred_bookings_through_30_percent_5xx_all_end_ready_with_no_duplicate(
    zoom_connected, tenant, fast_retries, settings
):
    zoom = zoom_connected
    # One Zoom host may create 100 meetings a day; this test is about faults, not that limit.
    settings.MEETINGS_DAILY_BUDGET = 1000
    zoom.configure_rate_limits(qps_enabled=False, meeting_daily_enabled=False)
    zoom.add_fault("error", status=503, fraction=0.3, path="/v2/*")
    zoom.add_fault("latency", latency_ms=5, fraction=1.0, path="/v2/*")

    with override_settings(TASKS=DATABASE_TASKS):
        appointments = _book_many(tenant, 200)
        drain(timeout=120)

    meetings = OnlineMeeting.objects.filter(appointment__in=appointments)
    assert {m.status for m in meetings} == {"ready"}
    live = _live(zoom)
    assert len(live) == 200
    assert {m["id"] for m in live} == {m.external_id for m in meetings}
    failed = [r for r in zoom.requests() if r["status"] == 503]
    assert failed, "faults were injected"


def test_a_lost_answer_leads_to_adoption_not_a_second_meeting(zoom_connected, tenant, fast_retries):
    zoom = zoom_connected
    zoom.add_fault("lose_response", count=1, method="POST", path="/v2/users/me/meetings")
    since = zoom.last_seq()

    appointment = factories.make_appointment(tenant.business)
    settle()

    meeting = OnlineMeeting.objects.get(appointment=appointment)
    live = _live(zoom)
    assert len(live) == 1 and meeting.status == "ready"
    assert meeting.external_id == live[0]["id"] and meeting.passcode
    assert _api(zoom, since) == [
        ("POST", "/v2/users/me/meetings"),  # created, answer lost
        ("GET", "/v2/users/me/meetings"),  # found by its marker
        ("GET", f"/v2/meetings/{meeting.external_id}"),  # read in full (passcode)
    ]


def test_a_dropped_connection_before_zoom_acted_creates_once_after_looking(
    zoom_connected, tenant, fast_retries
):
    zoom = zoom_connected
    zoom.add_fault("drop", count=1, method="POST", path="/v2/users/me/meetings")

    factories.make_appointment(tenant.business)
    settle()

    assert len(_live(zoom)) == 1


def test_a_5xx_answer_needs_no_lookup_before_trying_again(zoom_connected, tenant, fast_retries):
    zoom = zoom_connected
    zoom.add_fault("error", status=500, count=1, method="POST", path="/v2/users/me/meetings")
    since = zoom.last_seq()

    factories.make_appointment(tenant.business)
    settle()

    assert _api(zoom, since, status=True) == [
        ("POST", "/v2/users/me/meetings", 500),
        ("POST", "/v2/users/me/meetings", 201),
    ]


def test_a_worker_that_died_after_zoom_created_the_meeting_leaves_no_duplicate(
    zoom_connected, tenant
):
    """The state a killed worker leaves behind: create sent and stamped, answer never saved."""
    zoom = zoom_connected
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)
    OnlineMeeting.objects.filter(pk=meeting.pk).update(
        external_id=None,
        join_url="",
        passcode="",
        status=MeetingStatus.PENDING,
        create_attempted_at=timezone.now(),
        lease_until=timezone.now() - dt.timedelta(seconds=1),
        version=meeting.version + 1,
    )

    outcome = reconcile(meeting.pk)

    meeting.refresh_from_db()
    assert outcome == "ready" and meeting.status == "ready"
    assert len(_live(zoom)) == 1 and meeting.external_id == _live(zoom)[0]["id"]


def test_a_reconcile_run_twice_or_late_changes_nothing(zoom_connected, tenant):
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)
    before = zoom_connected.last_seq()

    assert reconcile(meeting.pk) == "ready"
    assert reconcile(meeting.pk) == "ready"

    assert zoom_connected.requests(since=before) == []


def test_a_cancel_that_overtakes_the_create_leaves_nothing_in_zoom(zoom_connected, tenant):
    from bookings.services.appointments import appointment_cancel

    since = zoom_connected.last_seq()
    with override_settings(TASKS=DATABASE_TASKS):
        appointment = factories.make_appointment(tenant.business)
        appointment_cancel(appointment=appointment)
        drain()

    assert _live(zoom_connected) == []
    assert _api(zoom_connected, since) == []


def test_a_daily_limit_429_parks_work_until_retry_after(zoom_connected, tenant, client):
    zoom = zoom_connected
    zoom.configure_rate_limits(meeting_daily_limit=2)
    appointments = [
        factories.make_appointment(
            tenant.business, start=factories.next_local(tenant.business, days=2, hour=h)
        )
        for h in (9, 11, 13, 15)
    ]

    statuses = [OnlineMeeting.objects.get(appointment=a).status for a in appointments]
    parked = OnlineMeeting.objects.get(appointment=appointments[2])
    calls = [r for r in zoom.requests() if r["path"] == "/v2/users/me/meetings"]

    assert statuses == ["ready", "ready", "pending", "pending"]
    assert [c["status"] for c in calls] == [201, 201, 429], "parked after one 429; no hammering"
    tomorrow = (timezone.now().astimezone(dt.UTC) + dt.timedelta(days=1)).date()
    assert parked.parked_until.astimezone(dt.UTC).date() == tomorrow
    assert parked.parked_until.astimezone(dt.UTC).time() < dt.time(0, 1)
    page = client.get(reverse("bookings:appointment-detail", args=[appointments[2].pk])).text
    assert "Waiting for Zoom's daily limit to reset" in page

    # Midnight UTC passes: Zoom's counter resets and the parked work goes through.
    zoom.advance_clock(24 * 3600)
    from meetings.models import ToolBudget

    ToolBudget.objects.update(paused_until=timezone.now() - dt.timedelta(seconds=1))
    OnlineMeeting.objects.filter(status="pending").update(
        next_attempt_at=timezone.now(), parked_until=None
    )
    settle()
    assert [OnlineMeeting.objects.get(appointment=a).status for a in appointments] == ["ready"] * 4


def test_our_own_count_stops_before_zoom_says_429(zoom_connected, tenant, settings):
    settings.MEETINGS_DAILY_BUDGET = 2
    since = zoom_connected.last_seq()
    appointments = [
        factories.make_appointment(
            tenant.business, start=factories.next_local(tenant.business, days=2, hour=h)
        )
        for h in (9, 11, 13)
    ]

    assert [OnlineMeeting.objects.get(appointment=a).status for a in appointments] == [
        "ready",
        "ready",
        "pending",
    ]
    assert [s for _m, _p, s in _api(zoom_connected, since, status=True)] == [201, 201]


def test_a_meeting_zoom_keeps_refusing_ends_failed_tells_the_owner_and_can_be_retried(
    zoom_connected, tenant, client, settings, fast_retries, mailoutbox
):
    settings.MEETINGS_GIVE_UP_AFTER_SECONDS = 0.2
    zoom = zoom_connected
    zoom.add_fault("error", status=502, fraction=1.0, path="/v2/users/me/meetings")
    appointment = factories.make_appointment(tenant.business)

    settle()

    meeting = OnlineMeeting.objects.get(appointment=appointment)
    assert meeting.status == "failed" and "502" in meeting.last_error
    owner_mail = [
        m for m in mailoutbox if m.to == [tenant.owner.email] and "not created" in m.subject
    ]
    assert len(owner_mail) == 1
    page = client.get(reverse("bookings:appointment-detail", args=[appointment.pk])).text
    assert "could not be created" in page and ">Retry</button>" in page

    zoom.clear_faults()
    client.post(reverse("meetings:retry", args=[meeting.pk]))

    meeting.refresh_from_db()
    assert meeting.status == "ready" and len(_live(zoom)) == 1


def test_retry_after_on_a_qps_429_is_honoured(zoom_connected, tenant, fast_retries):
    zoom = zoom_connected
    zoom.add_fault("error", status=429, retry_after=1, count=1, path="/v2/users/me/meetings")
    before = timezone.now()  # the 429 comes after this, so its Retry-After counts from later
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)
    assert meeting.status == "pending"
    assert meeting.next_attempt_at >= before + dt.timedelta(seconds=1)

    settle()

    assert OnlineMeeting.objects.get(pk=meeting.pk).status == "ready"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_create_leaves_no_duplicate_after_restart(
    owner_client, tenant, zoom, settings, tmp_path
):
    """A real `run_worker` process, killed with SIGKILL while Zoom is creating the meeting."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can share: runs on PostgreSQL")
    from tests import zoom_flow

    zoom_flow.connect(owner_client, zoom)
    zoom.add_fault("latency", latency_ms=1500, count=1, method="POST", path="/v2/users/me/meetings")
    with override_settings(TASKS=DATABASE_TASKS):
        appointment = factories.make_appointment(tenant.business)
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "database",
        "ZOOM_OAUTH_BASE_URL": zoom.oauth_base_url,
        "ZOOM_API_BASE_URL": zoom.api_base_url,
        "MEETINGS_LEASE_SECONDS": "1",
        # The worker must read the tokens this test process encrypted.
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
    }
    worker = [
        sys.executable,
        "manage.py",
        "run_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.05",
    ]
    first = subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    stamped = OnlineMeeting.objects.filter(
        appointment=appointment, create_attempted_at__isnull=False
    )
    while not stamped.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # the create request is in flight (Zoom takes 1.5 s to answer)
    first.send_signal(signal.SIGKILL)
    first.wait()
    time.sleep(1.6)  # the create completes in the sandbox; the dead worker's lease lapses

    second = subprocess.Popen([*worker[:2], "run_scheduler", "--once"], env=env)
    second.wait()
    OnlineMeeting.objects.filter(appointment=appointment).update(next_attempt_at=timezone.now())
    subprocess.run([*worker[:2], "run_scheduler", "--once"], env=env, check=True)
    subprocess.run([*worker, "--batch"], env=env, check=True, capture_output=True)

    meeting = OnlineMeeting.objects.get(appointment=appointment)
    live = _live(zoom)
    assert len(live) == 1
    assert meeting.status == "ready" and meeting.external_id == live[0]["id"]
    calls = [
        (r["method"], r["path"])
        for r in zoom.requests()
        if r["path"].startswith("/v2/users/me/meetings")
    ]
    assert calls == [("POST", "/v2/users/me/meetings"), ("GET", "/v2/users/me/meetings")], (
        "adopted, not re-created"
    )


def test_parked_work_waits_for_the_sweeper_and_goes_soonest_booking_first(
    zoom_connected, tenant, settings
):
    settings.MEETINGS_DAILY_BUDGET = 1
    with override_settings(TASKS=DATABASE_TASKS):
        factories.make_appointment(tenant.business)  # spends today's allowance
        drain()
        later = factories.make_appointment(
            tenant.business, start=factories.next_local(tenant.business, days=9, hour=10)
        )
        sooner = factories.make_appointment(
            tenant.business, start=factories.next_local(tenant.business, days=2, hour=14)
        )
        drain()
        assert {OnlineMeeting.objects.get(appointment=a).status for a in (later, sooner)} == {
            "pending"
        }
        assert not DBTaskResult.objects.filter(status="READY").exists(), (
            "parked work has no task of its own: the sweeper queues it after the reset"
        )

        # 00:00 UTC: the allowance is back.
        from meetings.models import ToolBudget

        ToolBudget.objects.all().delete()
        OnlineMeeting.objects.filter(status="pending").update(next_attempt_at=timezone.now())
        settings.MEETINGS_DAILY_BUDGET = 100
        since = zoom_connected.last_seq()
        drain()

    created = [r["meeting_id"] for r in zoom_connected.requests(since=since) if r["status"] == 201]
    order = [OnlineMeeting.objects.get(appointment=a).external_id for a in (sooner, later)]
    assert created == order


def test_a_retry_due_at_once_is_not_lost_to_the_reconcilers_own_lease(
    zoom_connected, tenant, settings
):
    # No backoff at all: each retry is due before the failing attempt has released its row.
    # Queued while that row was still held, it found it busy and the meeting waited for the
    # sweeper instead of failing on time (seen in CI on a slow machine with 5 ms backoffs).
    settings.MEETINGS_RETRY_BASE_SECONDS = 0
    settings.MEETINGS_RETRY_MAX_SECONDS = 0
    settings.MEETINGS_GIVE_UP_AFTER_SECONDS = 0.2
    zoom_connected.add_fault("error", status=502, fraction=1.0, path="/v2/users/me/meetings")
    appointment = factories.make_appointment(tenant.business)

    settle()

    assert OnlineMeeting.objects.get(appointment=appointment).status == "failed"


def test_a_busy_meeting_keeps_its_sooner_retry(zoom_connected, tenant):
    with override_settings(TASKS=DATABASE_TASKS):  # queued, not run: the row stays as set
        appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)
    soon = timezone.now() + dt.timedelta(seconds=2)
    OnlineMeeting.objects.filter(pk=meeting.pk).update(
        lease_until=timezone.now() + dt.timedelta(seconds=60), next_attempt_at=soon
    )

    assert reconcile(meeting.pk) == "busy"

    assert OnlineMeeting.objects.get(pk=meeting.pk).next_attempt_at == soon
