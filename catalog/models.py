"""What a business sells: services (1:1 appointments) and classes on a schedule."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import Business
from catalog.recurrence import Recurrence, describe

# The longest service or class, and the longest buffer after a service. Bookings rely on
# them: nothing blocks the calendar for longer, so overlap queries can be bounded on start.
MAX_DURATION_MINUTES = 720
MAX_BUFFER_MINUTES = 240


class MeetingTool(models.TextChoices):
    # Meeting tools offered for online locations; the meetings app maps each to a provider.
    ZOOM = "zoom", "Zoom"


class Locations(models.Model):
    """Where something happens: in person (at an address) and/or online (with a tool)."""

    in_person = models.BooleanField("In person", default=False)
    address = models.CharField(max_length=300, blank=True)
    online = models.BooleanField("Online", default=False)
    meeting_tool = models.CharField(
        max_length=20, choices=MeetingTool.choices, blank=True, default=""
    )

    class Meta:
        abstract = True

    @property
    def offers_both(self) -> bool:
        return self.in_person and self.online

    def location_labels(self) -> list[str]:
        labels = []
        if self.in_person:
            labels.append("In person")
        if self.online:
            tool = self.get_meeting_tool_display() if self.meeting_tool else "no tool"  # type: ignore[attr-defined]
            labels.append(f"Online ({tool})")
        return labels


def locations_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(in_person=True) | Q(online=True), name=f"{prefix}_has_a_location"
        ),
        models.CheckConstraint(
            condition=Q(online=False) | ~Q(meeting_tool=""), name=f"{prefix}_online_has_tool"
        ),
    ]


class Service(Locations):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="services")
    # Public booking pages address a service by this, never by its integer id.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField(
        "Duration (minutes)",
        validators=[MinValueValidator(5), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    price = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    buffer_minutes = models.PositiveIntegerField(
        "Buffer time (minutes)",
        default=0,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text="Kept free after each appointment.",
    )
    slot_interval_minutes = models.PositiveIntegerField(
        "Start times every (minutes)",
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    # For online meetings: a waiting room (host admits the client) or join before host.
    online_waiting_room = models.BooleanField(
        "Waiting room",
        default=True,
        help_text="The host admits the client. Off: the client may join before the host.",
    )
    bookable_online = models.BooleanField("Bookable on the public page", default=True)
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = locations_constraints("service")
        indexes = [models.Index(fields=["business", "is_archived", "name"])]

    def __str__(self) -> str:
        return self.name


class ClassOffering(models.Model):
    """A class as the catalog lists it; its schedules produce the sessions people book."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField(
        "Duration (minutes)",
        validators=[MinValueValidator(5), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    price = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "class"
        verbose_name_plural = "classes"

    def __str__(self) -> str:
        return self.name


class ClassSchedule(Locations):
    """When a class meets: once, or weekly on chosen weekdays, until a date or N sessions.

    Times are wall-clock times in the business's zone, so a 7:00 class stays at 7:00
    across daylight-saving changes.
    """

    class Repeat(models.TextChoices):
        ONCE = "once", "Does not repeat"
        WEEKLY = "weekly", "Weekly"

    class Ends(models.TextChoices):
        ON_DATE = "on_date", "On a date"
        AFTER_COUNT = "after_count", "After a number of sessions"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="class_schedules")
    offering = models.ForeignKey(ClassOffering, on_delete=models.CASCADE, related_name="schedules")
    start_date = models.DateField("First date")
    start_time = models.TimeField("Time")
    repeat = models.CharField(max_length=10, choices=Repeat.choices, default=Repeat.WEEKLY)
    # Monday=0 … Sunday=6, as Python's date.weekday().
    weekdays = models.JSONField(default=list, blank=True)
    ends = models.CharField(max_length=12, choices=Ends.choices, default=Ends.AFTER_COUNT)
    end_date = models.DateField(null=True, blank=True)
    occurrences = models.PositiveIntegerField(
        "Number of sessions", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "start_time", "pk"]
        constraints = locations_constraints("class_schedule")

    def __str__(self) -> str:
        return f"{self.offering} from {self.start_date:%Y-%m-%d}"

    @property
    def rule(self) -> Recurrence:
        return Recurrence(
            start_date=self.start_date,
            repeat=self.repeat,
            weekdays=tuple(self.weekdays or ()),
            ends=self.ends,
            end_date=self.end_date,
            occurrences=self.occurrences,
        )

    @property
    def summary(self) -> str:
        """E.g. 'Weekly on Monday and Wednesday, 12 sessions'."""
        return describe(self.rule)
