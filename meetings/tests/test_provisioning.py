"""A Zoom meeting for every online appointment and session, kept in step with the booking.

Every test talks to the Zoom sandbox over HTTP; tasks run inline (immediate backend)
unless the test is about the booking not waiting on Zoom.
"""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookings.models import Appointment
from bookings.services.appointments import appointment_cancel, appointment_reschedule
from bookings.services.class_sessions import class_session_cancel
from catalog.services import class_schedule_save
from meetings.models import OnlineMeeting
from tests import factories
from tests.background import DATABASE_TASKS, drain
from zoom import client as zoom_client
from zoom.models import ZoomConnection

pytestmark = pytest.mark.django_db


def _api_calls(zoom, since=0):
    return [
        (r["method"], r["path"]) for r in zoom.requests(since=since) if r["path"].startswith("/v2/")
    ]


def _live_meetings(zoom):
    return [m for m in zoom.meetings() if not m["deleted"]]


def _zoom_view(tenant, meeting_id):
    """The meeting as Zoom's REST API returns it (what a later GET says)."""
    connection = ZoomConnection.objects.get(business=tenant.business)
    return zoom_client.get_meeting(access_token=connection.access_token, meeting_id=meeting_id)


def _staff_books_online(owner_client, service, start):
    """Staff book Pat for `service` at 11:00 on `start`'s day, through the form."""
    return owner_client.post(
        reverse("bookings:appointment-create"),
        {
            "service": service.pk,
            "client_email": "pat@client.test",
            "client_name": "Pat",
            "date": start.date().isoformat(),
            "time": "11:00",
        },
    )


def test_an_online_appointment_gets_its_own_zoom_meeting(zoom_connected, tenant):
    zoom = zoom_connected
    service = factories.make_service(
        tenant.business, name="Career coaching", online_waiting_room=True
    )
    start = factories.next_local(tenant.business, days=3, hour=10)

    appointment = factories.make_appointment(tenant.business, service=service, start=start)

    meeting = OnlineMeeting.objects.get(appointment=appointment)
    [zoom_meeting] = _live_meetings(zoom)
    assert meeting.status == "ready"
    assert meeting.external_id == zoom_meeting["id"]
    assert meeting.join_url == zoom_meeting["join_url"] and "pwd=" in meeting.join_url
    assert meeting.passcode
    assert zoom_meeting["topic"] == "Career coaching with Ana Lopez"
    assert zoom_meeting["start_time"] == start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert zoom_meeting["duration"] == 60
    assert appointment.reference in zoom_meeting["agenda"]
    assert f"slotwise-{meeting.marker}" in zoom_meeting["agenda"]
    assert _zoom_view(tenant, zoom_meeting["id"]).timezone == "Europe/London"


def test_one_booking_makes_exactly_one_zoom_call_and_the_request_itself_none(
    owner_client, zoom_connected, tenant
):
    zoom = zoom_connected
    service = factories.make_service(tenant.business, in_person=False, address="")
    start = factories.next_local(tenant.business, days=3, hour=11)
    before = zoom.last_seq()

    with override_settings(TASKS=DATABASE_TASKS):
        response = _staff_books_online(owner_client, service, start)
        assert response.status_code == 302
        assert zoom.requests(since=before) == [], "the booking request made no Zoom call"
        appointment = Appointment.objects.get()
        assert OnlineMeeting.objects.get(appointment=appointment).status == "pending"

        drain()

    assert _api_calls(zoom, before) == [("POST", "/v2/users/me/meetings")]
    assert [r["path"] for r in zoom.requests(since=before)] == ["/v2/users/me/meetings"], (
        "no token or user calls"
    )
    assert OnlineMeeting.objects.get(appointment=appointment).status == "ready"


def test_rescheduling_moves_the_same_zoom_meeting(zoom_connected, tenant):
    zoom = zoom_connected
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)
    link = meeting.join_url
    new_start = appointment.start + dt.timedelta(days=1, hours=2)

    appointment_reschedule(appointment=appointment, start=new_start)

    meeting.refresh_from_db()
    [zoom_meeting] = _live_meetings(zoom)
    assert meeting.join_url == link and zoom_meeting["id"] == meeting.external_id
    assert zoom_meeting["start_time"] == new_start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ("PATCH", f"/v2/meetings/{meeting.external_id}") in _api_calls(zoom)


def test_cancelling_deletes_the_zoom_meeting(zoom_connected, tenant):
    zoom = zoom_connected
    appointment = factories.make_appointment(tenant.business)
    external_id = OnlineMeeting.objects.get(appointment=appointment).external_id

    appointment_cancel(appointment=appointment, reason="ill")

    assert _live_meetings(zoom) == []
    assert [m["deleted"] for m in zoom.meetings() if m["id"] == external_id] == [True]
    assert OnlineMeeting.objects.get(appointment=appointment).status == "cancelled"


def test_switching_online_to_in_person_and_back_deletes_then_creates(zoom_connected, tenant):
    zoom = zoom_connected
    appointment = factories.make_appointment(tenant.business)

    appointment_reschedule(
        appointment=appointment, start=appointment.start, location_kind="in_person"
    )
    assert _live_meetings(zoom) == []

    appointment_reschedule(appointment=appointment, start=appointment.start, location_kind="online")
    meeting = OnlineMeeting.objects.get(appointment=appointment)
    [zoom_meeting] = _live_meetings(zoom)
    assert meeting.status == "ready" and meeting.external_id == zoom_meeting["id"]


def test_an_in_person_appointment_makes_no_zoom_call(zoom_connected, tenant):
    before = zoom_connected.last_seq()

    factories.make_appointment(tenant.business, location_kind="in_person")

    assert zoom_connected.requests(since=before) == []
    assert not OnlineMeeting.objects.exists()


def test_a_class_schedule_with_ten_sessions_gets_ten_distinct_meetings(zoom_connected, tenant):
    offering, _ = factories.make_class(tenant.business, sessions=10, online=True)

    meetings = OnlineMeeting.objects.filter(session__offering=offering)

    sandbox = _live_meetings(zoom_connected)
    ids = {m.external_id for m in meetings}
    window = [m for m in meetings if m.session.start <= timezone.now() + dt.timedelta(days=14)]
    assert len(ids - {None}) == len(window) == len(sandbox)
    assert {m["id"] for m in sandbox} == ids - {None}
    assert len({m["join_url"] for m in sandbox}) == len(sandbox)


def test_every_session_gets_its_meeting_when_it_comes_within_the_window(
    zoom_connected, tenant, settings
):
    settings.MEETINGS_SESSION_WINDOW_DAYS = 400  # everything is within reach
    offering, _ = factories.make_class(tenant.business, sessions=10, online=True)

    meetings = OnlineMeeting.objects.filter(session__offering=offering)

    assert meetings.count() == 10
    assert {m.status for m in meetings} == {"ready"}
    assert len({m.external_id for m in meetings}) == 10
    assert len(_live_meetings(zoom_connected)) == 10


def test_cancelling_a_session_deletes_its_meeting(zoom_connected, tenant):
    session = factories.make_session(tenant.business)
    assert len(_live_meetings(zoom_connected)) == 1

    class_session_cancel(session=session, reason="Teacher away")

    assert _live_meetings(zoom_connected) == []


def test_editing_a_schedule_moves_the_future_sessions_meetings(zoom_connected, tenant):
    zoom = zoom_connected
    offering, schedule = factories.make_class(tenant.business, sessions=2, time=dt.time(7, 0))
    before = {m["id"]: m for m in _live_meetings(zoom)}

    schedule.start_time = dt.time(8, 30)
    class_schedule_save(schedule=schedule)

    after = {m["id"]: m for m in _live_meetings(zoom)}
    assert after.keys() == before.keys()
    zone = tenant.business.tzinfo
    for session in offering.sessions.all():
        zoom_meeting = after[session.online_meeting.external_id]
        local = dt.datetime.fromisoformat(
            zoom_meeting["start_time"].replace("Z", "+00:00")
        ).astimezone(zone)
        assert local.strftime("%H:%M") == "08:30"


def test_the_confirmation_email_and_invite_carry_the_join_link_and_passcode(
    zoom_connected, tenant, mailoutbox
):
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)

    [mail] = [m for m in mailoutbox if m.to == [appointment.client.email]]

    assert meeting.join_url in mail.body and meeting.passcode in mail.body
    assert meeting.join_url in mail.alternatives[0][0]
    event = Calendar.from_ical(mail.attachments[0][1]).walk("VEVENT")[0]
    assert str(event["location"]) == meeting.join_url
    assert str(event["url"]) == meeting.join_url
    assert meeting.passcode in str(event["description"])
    meeting.refresh_from_db()
    assert meeting.link_notified and not meeting.confirmation_without_link


def test_join_meeting_shows_for_staff_and_client(zoom_connected, tenant, client):
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)

    staff_page = client.get(reverse("bookings:appointment-detail", args=[appointment.pk])).text
    client.logout()
    client_page = client.get(reverse("bookings:my-appointment", args=[appointment.token])).text

    for page in (staff_page, client_page):
        assert "Join Meeting" in page and meeting.join_url.replace("&", "&amp;") in page
        assert meeting.passcode in page
    assert "Start meeting" in staff_page and "Start meeting" not in client_page


def test_start_meeting_fetches_a_fresh_start_url_that_is_never_stored(
    zoom_connected, tenant, client, caplog
):
    appointment = factories.make_appointment(tenant.business)
    meeting = OnlineMeeting.objects.get(appointment=appointment)
    before = zoom_connected.last_seq()

    first = client.post(reverse("meetings:start", args=[meeting.pk]))
    second = client.post(reverse("meetings:start", args=[meeting.pk]))

    assert first.status_code == second.status_code == 302
    assert "zak=" in first["Location"] and first["Location"] != second["Location"]
    assert (
        _api_calls(zoom_connected, before) == [("GET", f"/v2/meetings/{meeting.external_id}")] * 2
    )
    meeting.refresh_from_db()
    zak = first["Location"].split("zak=")[1]
    stored = " ".join(str(v) for v in OnlineMeeting.objects.values_list().get(pk=meeting.pk))
    assert zak not in stored and zak not in caplog.text


def test_the_meeting_settings_follow_the_service(zoom_connected, tenant):
    waiting = factories.make_service(tenant.business, name="Therapy", online_waiting_room=True)
    open_door = factories.make_service(tenant.business, name="Drop-in", online_waiting_room=False)
    factories.make_appointment(
        tenant.business, service=waiting, start=factories.next_local(tenant.business, hour=9)
    )
    factories.make_appointment(
        tenant.business, service=open_door, start=factories.next_local(tenant.business, hour=12)
    )

    by_topic = {m["topic"].split(" with ")[0]: m["id"] for m in _live_meetings(zoom_connected)}

    therapy = _zoom_view(tenant, by_topic["Therapy"])
    drop_in = _zoom_view(tenant, by_topic["Drop-in"])
    assert therapy.settings["waiting_room"] is True
    assert (
        drop_in.settings["waiting_room"] is False and drop_in.settings["join_before_host"] is True
    )
    assert therapy.password and drop_in.password


def test_the_bench_inline_switch_creates_the_meeting_inside_the_request(
    owner_client, zoom_connected, tenant, django_capture_on_commit_callbacks
):
    zoom = zoom_connected
    service = factories.make_service(tenant.business, in_person=False, address="")
    start = factories.next_local(tenant.business, days=3, hour=11)
    before = zoom.last_seq()

    with (
        override_settings(TASKS=DATABASE_TASKS, MEETINGS_PROVISION_INLINE=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _staff_books_online(owner_client, service, start)

    assert response.status_code == 302
    assert _api_calls(zoom, before) == [("POST", "/v2/users/me/meetings")]
    assert OnlineMeeting.objects.get(appointment__client__email="pat@client.test").status == "ready"
