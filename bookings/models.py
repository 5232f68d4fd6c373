"""Clients and what they book: appointments, class sessions and seats in them.

All datetimes are aware and stored in UTC. Anything a client reaches without signing in is
addressed by a random token, never by an integer id.
"""

import datetime as dt
import secrets
import uuid
import zoneinfo

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from accounts.models import Business, User, validate_timezone
from catalog.models import (
    MAX_BUFFER_MINUTES,
    MAX_DURATION_MINUTES,
    ClassOffering,
    ClassSchedule,
    MeetingTool,
    Service,
)

# No appointment or class session blocks the calendar for longer than this (the catalog's
# longest duration plus its longest buffer). "Overlaps [a, b)" is then also "starts in
# [a - LONGEST_BOOKING, b)", a range the (business, status, start) indexes answer without
# reading years of history.
LONGEST_BOOKING = dt.timedelta(minutes=MAX_DURATION_MINUTES + MAX_BUFFER_MINUTES)


def overlapping(start: dt.datetime, end: dt.datetime, *, ends: str = "end") -> Q:
    """Rows whose [start, `ends`) overlaps [start, end), bounded on start for the index."""
    return Q(start__gte=start - LONGEST_BOOKING, start__lt=end, **{f"{ends}__gt": start})


def new_booking_token() -> str:
    # 32 bytes = 256 bits of randomness, URL-safe; links are the client's only credential.
    return secrets.token_urlsafe(32)


class LocationKind(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class Client(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    timezone = models.CharField(max_length=64, blank=True, validators=[validate_timezone])
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "business", Lower("email"), name="client_email_unique_per_business"
            )
        ]
        indexes = [models.Index(fields=["business", "name"])]

    def __str__(self) -> str:
        return self.name

    def zone(self, business: Business) -> zoneinfo.ZoneInfo:
        """The zone to show this client times in: their own, else the business's."""
        return zoneinfo.ZoneInfo(self.timezone or business.timezone)


class OpeningHours(models.Model):
    """One open interval on a weekday, in the business's wall-clock time."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        choices=[
            (i, d)
            for i, d in enumerate(
                ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
            )
        ]
    )
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="opening_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


class CancelledBy(models.TextChoices):
    STAFF = "staff", "Staff"
    CLIENT = "client", "Client"


class Appointment(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="appointments")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    # End of the time the calendar is blocked: end plus the service's buffer when booked.
    blocked_until = models.DateTimeField()
    location_kind = models.CharField(max_length=10, choices=LocationKind.choices)
    meeting_tool = models.CharField(
        max_length=20, choices=MeetingTool.choices, blank=True, default=""
    )
    address = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)
    notes = models.TextField(blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_booking_token, editable=False)
    # Stable identity for calendar invites (UID) and the marker in the Zoom meeting agenda.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, help_text="Calendar invite revision.")
    booked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(blocked_until__gte=F("end")), name="appointment_block_covers_end"
            ),
        ]
        indexes = [
            models.Index(fields=["business", "status", "start"]),
            models.Index(fields=["business", "status", "blocked_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.service} with {self.client} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def reference(self) -> str:
        """Short human booking reference, e.g. A-1F3C9B2E."""
        return f"A-{self.uid.hex[:8].upper()}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == BookingStatus.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.location_kind == LocationKind.ONLINE


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class ClassSession(models.Model):
    """One meeting of a class. Created from its schedule; holds the roster's seat count."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="class_sessions")
    offering = models.ForeignKey(ClassOffering, on_delete=models.CASCADE, related_name="sessions")
    schedule = models.ForeignKey(
        ClassSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    # Confirmed bookings, kept in step inside the write transaction so that a conditional
    # UPDATE (… WHERE booked_count < capacity) decides who gets the last seat.
    booked_count = models.PositiveIntegerField(default=0)
    in_person = models.BooleanField(default=False)
    address = models.CharField(max_length=300, blank=True)
    online = models.BooleanField(default=False)
    meeting_tool = models.CharField(
        max_length=20, choices=MeetingTool.choices, blank=True, default=""
    )
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(booked_count__lte=F("capacity")), name="session_not_overbooked"
            ),
        ]
        indexes = [models.Index(fields=["business", "status", "start"])]

    def __str__(self) -> str:
        return f"{self.offering} at {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.booked_count, 0)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def reference(self) -> str:
        return f"S-{self.uid.hex[:8].upper()}"


class ClassBooking(models.Model):
    """A client's seat in a class session."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="class_bookings")
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="bookings")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="class_bookings")
    # For sessions held both in person and online, how this client attends.
    location_kind = models.CharField(max_length=10, choices=LocationKind.choices, blank=True)
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_booking_token, editable=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    booked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "client"],
                condition=Q(status="confirmed"),
                name="one_live_seat_per_client_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client} in {self.session}"

    @property
    def reference(self) -> str:
        return f"C-{self.uid.hex[:8].upper()}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == BookingStatus.CANCELLED
