"""Zoom as a meeting provider (see meetings.providers)."""

import datetime as dt
from typing import Any

from django.urls import reverse

from accounts.models import Business
from meetings.providers import MeetingRequest, ProviderMeeting, ToolState
from zoom import client, tokens
from zoom.client import ZoomMeeting
from zoom.models import ConnectionStatus, ZoomConnection

STATUS = {
    ConnectionStatus.ACTIVE: "connected",
    ConnectionStatus.NEEDS_RECONNECT: "needs_reconnect",
    ConnectionStatus.DISCONNECTED: "not_connected",
}


class ZoomProvider:
    tool = "zoom"
    label = "Zoom"

    def state(self, business: Business) -> ToolState:
        connection = ZoomConnection.objects.filter(business=business).first()
        status = STATUS[ConnectionStatus(connection.status)] if connection else "not_connected"
        account = ""
        if connection is not None and status != "not_connected":
            account = (
                f"{connection.display_name} ({connection.email})"
                if connection.display_name
                else connection.email
            )
        return ToolState(
            tool=self.tool,
            label=self.label,
            status=status,
            account=account,
            connect_url=reverse("zoom:connect"),
            connect_from_form_url=reverse("zoom:connect-from-form"),
            settings_url=reverse("zoom:integrations"),
        )

    def is_connected(self, business_id: int) -> bool:
        return ZoomConnection.objects.filter(
            business_id=business_id, status=ConnectionStatus.ACTIVE
        ).exists()

    def create(self, business_id: int, request: MeetingRequest) -> ProviderMeeting:
        """POST /users/me/meetings, then store what Zoom answered (it may override settings)."""
        meeting = tokens.with_token(
            business_id,
            lambda token: client.create_meeting(access_token=token, body=_body(request)),
        )
        return _provider_meeting(meeting)

    def update(self, business_id: int, external_id: int, request: MeetingRequest) -> None:
        body = _body(request)
        # The passcode and settings stay as Zoom has them; only what the booking moves changes.
        patch = {
            key: body[key] for key in ("topic", "start_time", "duration", "timezone", "agenda")
        }
        tokens.with_token(
            business_id,
            lambda token: client.update_meeting(
                access_token=token, meeting_id=external_id, body=patch
            ),
        )

    def delete(self, business_id: int, external_id: int) -> None:
        tokens.with_token(
            business_id,
            lambda token: client.delete_meeting(access_token=token, meeting_id=external_id),
        )

    def find_by_marker(self, business_id: int, marker: str) -> ProviderMeeting | None:
        """Page through the user's scheduled meetings for one whose agenda carries `marker`."""

        def search(token: str) -> ZoomMeeting | None:
            page_token = ""
            while True:
                meetings, page_token = client.list_meetings(
                    access_token=token, page_token=page_token
                )
                for item in meetings:
                    if marker in item.agenda:
                        # List items lack the passcode: read the whole meeting once.
                        return client.get_meeting(access_token=token, meeting_id=item.id)
                if not page_token:
                    return None

        found = tokens.with_token(business_id, search)
        return _provider_meeting(found) if found else None

    def start_url(self, business_id: int, external_id: int) -> str:
        """GET /meetings/{id} for a fresh start_url (it embeds the host's ZAK and expires)."""
        meeting = tokens.with_token(
            business_id,
            lambda token: client.get_meeting(access_token=token, meeting_id=external_id),
        )
        return meeting.start_url


def _body(request: MeetingRequest) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "waiting_room": request.waiting_room,
        "join_before_host": request.join_before_host,
        "mute_upon_entry": request.group,
        "approval_type": 2,  # no registration: the booking is the registration
        "auto_recording": "none",
    }
    if request.join_before_host:
        settings["jbh_time"] = 5
    return {
        "topic": request.topic,
        "type": 2,  # one scheduled meeting per booking or session, never recurring
        # UTC with "Z" is unambiguous; `timezone` makes Zoom show it in the business's zone.
        "start_time": request.start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration": request.duration,
        "timezone": request.timezone,
        "agenda": request.agenda[:2000],
        "password": request.passcode,
        "settings": settings,
    }


def _provider_meeting(meeting: ZoomMeeting) -> ProviderMeeting:
    return ProviderMeeting(
        external_id=meeting.id,
        join_url=meeting.join_url,
        passcode=meeting.password,
        host_ref=meeting.host_id,
        start=meeting.start_time,
        duration=meeting.duration,
        topic=meeting.topic,
        agenda=meeting.agenda,
    )
