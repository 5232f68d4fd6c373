"""The online meeting attached to an appointment or a class session, provider-neutral."""

import uuid

from django.db import models
from django.db.models import Q

from accounts.models import Business
from bookings.models import Appointment, ClassSession


class MeetingStatus(models.TextChoices):
    PENDING = "pending", "Preparing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    NOT_CONNECTED = "not_connected", "Tool not connected"
    CANCELLED = "cancelled", "Cancelled"
    DELETED_IN_PROVIDER = "deleted_in_provider", "Deleted in the meeting tool"


class OnlineMeeting(models.Model):
    """What Slotwise knows of one provider meeting, and what it still has to do.

    The booking says what should exist; `synced_*` record what the provider has as far as
    we know (our last successful call). The reconciler closes the gap with one call.
    """

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="online_meetings")
    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, null=True, blank=True, related_name="online_meeting"
    )
    session = models.OneToOneField(
        ClassSession, on_delete=models.CASCADE, null=True, blank=True, related_name="online_meeting"
    )
    tool = models.CharField(max_length=20)
    # The marker written into the provider meeting's agenda: how a meeting created by a
    # call whose answer was lost is found and adopted instead of created twice.
    marker = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=24, choices=MeetingStatus.choices, default=MeetingStatus.PENDING
    )
    # Bumped whenever the booking changes; the reconciler re-checks when it moved meanwhile.
    version = models.PositiveIntegerField(default=1)

    external_id = models.BigIntegerField(null=True, blank=True)  # Zoom ids are int64
    host_ref = models.CharField(max_length=64, blank=True)
    join_url = models.URLField(max_length=1000, blank=True)
    passcode = models.CharField(max_length=32, blank=True)
    synced_start = models.DateTimeField(null=True, blank=True)
    synced_duration = models.PositiveIntegerField(null=True, blank=True)
    synced_topic = models.CharField(max_length=200, blank=True)

    attempts = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    parked_until = models.DateTimeField(
        null=True, blank=True, help_text="Waiting out a daily limit."
    )
    lease_until = models.DateTimeField(null=True, blank=True)
    create_attempted_at = models.DateTimeField(null=True, blank=True)
    provider_note = models.CharField(max_length=300, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    # The client's confirmation went out before the link existed; the link follows by e-mail.
    confirmation_without_link = models.BooleanField(default=False)
    link_notified = models.BooleanField(default=False)
    failure_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(appointment__isnull=False) & Q(session__isnull=True))
                | (Q(appointment__isnull=True) & Q(session__isnull=False)),
                name="meeting_for_exactly_one_booking",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["business", "status"]),
            models.Index(fields=["external_id"]),
        ]

    def __str__(self) -> str:
        owner = (
            f"appointment {self.appointment_id}"
            if self.appointment_id
            else f"session {self.session_id}"
        )
        return f"{self.tool} meeting for {owner} ({self.get_status_display()})"

    @property
    def has_link(self) -> bool:
        return bool(self.join_url)


class ToolBudget(models.Model):
    """A business's use of its meeting tool's daily allowance (see meetings.budget)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    tool = models.CharField(max_length=20)
    day = models.DateField(help_text="UTC day the count belongs to.")
    calls = models.PositiveIntegerField(default=0)
    paused_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "tool", "day"], name="one_budget_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.tool} budget of business {self.business_id} on {self.day}: {self.calls}"
