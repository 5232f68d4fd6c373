"""Zoom as a meeting provider (see meetings.providers)."""

from django.urls import reverse

from accounts.models import Business
from meetings.providers import ToolState
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
