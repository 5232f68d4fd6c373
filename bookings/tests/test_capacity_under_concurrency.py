"""Parallel requests for the last seats of a session: never more bookings than seats.

Runs against PostgreSQL (the SQLite run skips it: SQLite serialises every writer, so a
race there proves nothing). Twelve browsers-worth of HTTP requests hit the public booking
page of a live server at once for a session with five seats.
"""

import datetime as dt
import threading

import httpx
import pytest
from django.db import connection
from django.urls import reverse

from bookings.models import ClassBooking, ClassSession
from tests import factories

SEATS = 5
RACERS = 12


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_never_overbook_a_session(live_server, tenant):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    session = factories.make_session(tenant.business, capacity=SEATS)
    url = live_server.url + reverse(
        "bookings:public-book-session", args=[tenant.business.slug, session.uid]
    )
    start = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def book(n: int) -> None:
        with httpx.Client(follow_redirects=False, timeout=30) as http:
            page = http.get(url)
            token = page.cookies["csrftoken"]
            start.wait()
            response = http.post(
                url,
                data={
                    "name": f"Racer {n}",
                    "email": f"racer{n}@client.test",
                    "csrfmiddlewaretoken": token,
                },
                headers={"Referer": url},
            )
            if response.status_code == 302:
                outcomes.append("booked")
            elif "this session is full" in response.text:
                assert f'value="Racer {n}"' in response.text  # keeps what they typed
                outcomes.append("full")
            else:
                outcomes.append(f"unexpected {response.status_code}")

    threads = [threading.Thread(target=book, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] * SEATS + ["full"] * (RACERS - SEATS)
    session.refresh_from_db()
    assert session.booked_count == SEATS
    assert ClassBooking.objects.filter(session=session, status="confirmed").count() == SEATS
    assert ClassSession.objects.get(pk=session.pk).seats_left == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_one_slot_book_it_once(live_server, tenant):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    factories.open_all_week(tenant.business, opens=dt.time(0), closes=dt.time(23, 59))
    service = factories.make_service(tenant.business, online=False, meeting_tool="")
    start = factories.next_local(tenant.business, days=2, hour=10)
    url = live_server.url + reverse(
        "bookings:public-book-service", args=[tenant.business.slug, service.public_id]
    )
    query = {"start": start.isoformat()}
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def book(n: int) -> None:
        with httpx.Client(follow_redirects=False, timeout=30) as http:
            token = http.get(url, params=query).cookies["csrftoken"]
            barrier.wait()
            response = http.post(
                url,
                params=query,
                data={
                    "name": f"Racer {n}",
                    "email": f"racer{n}@client.test",
                    "start": start.isoformat(),
                    "csrfmiddlewaretoken": token,
                },
                headers={"Referer": url},
            )
            if response.status_code == 302:
                outcomes.append("booked")
            elif "no longer available" in response.text and f'value="Racer {n}"' in response.text:
                outcomes.append("refused")
            else:
                outcomes.append(f"unexpected {response.status_code}")

    threads = [threading.Thread(target=book, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] + ["refused"] * 5
    assert service.appointments.filter(status="confirmed").count() == 1
