"""A business's connection to one Zoom user, with its OAuth tokens encrypted at rest."""

from django.db import models
from django.db.models import Q

from accounts.models import Business, User
from slotwise.fields import EncryptedTextField


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active", "Connected"
    NEEDS_RECONNECT = "needs_reconnect", "Needs reconnect"
    DISCONNECTED = "disconnected", "Not connected"


class ZoomConnection(models.Model):
    """One per business. Kept after disconnect (without tokens or profile) as a record."""

    business = models.OneToOneField(
        Business, on_delete=models.CASCADE, related_name="zoom_connection"
    )
    status = models.CharField(max_length=20, choices=ConnectionStatus.choices)
    zoom_user_id = models.CharField(max_length=64, blank=True)
    zoom_account_id = models.CharField(max_length=64, blank=True)
    email = models.EmailField(blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    scopes = models.TextField(blank=True)
    api_url = models.URLField(blank=True)
    access_token = EncryptedTextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    connected_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    connected_at = models.DateTimeField(null=True, blank=True)
    disconnected_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disconnected_at = models.DateTimeField(null=True, blank=True)
    disconnect_reason = models.CharField(max_length=200, blank=True)
    # Why the grant stopped working, and when the owner was told (once per episode).
    problem = models.CharField(max_length=300, blank=True)
    problem_notified_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # Zoom invalidates a user's earlier tokens when they authorize again, so one Zoom
            # user can serve only one business at a time.
            models.UniqueConstraint(
                fields=["zoom_user_id"],
                condition=~Q(status="disconnected") & ~Q(zoom_user_id=""),
                name="one_business_per_live_zoom_user",
            )
        ]

    def __str__(self) -> str:
        return f"Zoom for {self.business}: {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == ConnectionStatus.ACTIVE


class ZoomConnectAttempt(models.Model):
    """A press of Connect. If Zoom showed Request Access, nothing ever comes back to us; the
    unfinished attempt is how the Integrations card knows to explain admin approval."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="zoom_connect_attempts"
    )
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["business", "-started_at"])]

    def __str__(self) -> str:
        return f"Zoom connect attempt for {self.business_id} at {self.started_at:%Y-%m-%d %H:%M}"


class WebhookReceipt(models.Model):
    """Signatures of webhook deliveries already handled, to refuse replays in the time window."""

    signature = models.CharField(max_length=100, unique=True)
    event = models.CharField(max_length=60)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.event} at {self.received_at:%Y-%m-%d %H:%M:%S}"
