import datetime as dt

from django import forms

from catalog.models import ClassOffering, ClassSchedule, MeetingTool, Service
from catalog.recurrence import MAX_SPAN, WEEKDAY_NAMES, Recurrence, occurrence_dates

MEETING_TOOL_CHOICES = [("", "Choose a meeting tool"), *MeetingTool.choices]


class LocationsFormMixin(forms.ModelForm):
    """In person (with an address) and/or Online (with a meeting tool); at least one."""

    def clean(self) -> dict:
        data = super().clean() or {}
        in_person, online = data.get("in_person"), data.get("online")
        if not in_person and not online:
            self.add_error("online", "Choose at least one location: In person or Online.")
        if in_person and not (data.get("address") or "").strip():
            self.add_error("address", "Give the address for in-person meetings.")
        if online and not data.get("meeting_tool"):
            self.add_error("meeting_tool", "Choose the meeting tool for online meetings.")
        if not online:
            data["meeting_tool"] = ""
        return data


class ServiceForm(LocationsFormMixin):
    meeting_tool = forms.ChoiceField(
        label="Meeting tools", choices=MEETING_TOOL_CHOICES, required=False
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "duration_minutes",
            "price",
            "buffer_minutes",
            "slot_interval_minutes",
            "in_person",
            "address",
            "online",
            "meeting_tool",
            "online_waiting_room",
            "bookable_online",
        ]
        labels = {"price": "Price (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ClassOfferingForm(forms.ModelForm):
    class Meta:
        model = ClassOffering
        fields = ["name", "description", "duration_minutes", "capacity", "price"]
        labels = {"capacity": "Capacity (seats per session)", "price": "Price (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ClassScheduleForm(LocationsFormMixin):
    meeting_tool = forms.ChoiceField(
        label="Meeting tool", choices=MEETING_TOOL_CHOICES, required=False
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="On",
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ClassSchedule
        fields = [
            "start_date",
            "start_time",
            "repeat",
            "weekdays",
            "ends",
            "end_date",
            "occurrences",
            "in_person",
            "address",
            "online",
            "meeting_tool",
        ]
        labels = {"end_date": "Last date", "occurrences": "Number of sessions"}
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "repeat": forms.RadioSelect,
            "ends": forms.RadioSelect,
        }

    def __init__(self, *args: object, today: dt.date | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today

    def clean(self) -> dict:
        data = super().clean()
        start = data.get("start_date")
        if start is None:
            return data
        if self.today and start < self.today and not self.instance.pk:
            self.add_error("start_date", "The first date cannot be in the past.")
        if data.get("repeat") == ClassSchedule.Repeat.WEEKLY:
            if not data.get("weekdays"):
                data["weekdays"] = [start.weekday()]
            if data.get("ends") == ClassSchedule.Ends.ON_DATE:
                end = data.get("end_date")
                if end is None:
                    self.add_error(
                        "end_date", "Give the last date, or end after a number of sessions."
                    )
                elif end < start:
                    self.add_error("end_date", "The last date must be on or after the first date.")
                elif end > start + MAX_SPAN:
                    self.add_error(
                        "end_date",
                        f"Schedules reach at most one year ahead: the last date can be "
                        f"{start + MAX_SPAN:%-d %B %Y} at the latest.",
                    )
                data["occurrences"] = None
            else:
                count = data.get("occurrences")
                if not count:
                    self.add_error("occurrences", "Give the number of sessions, or an end date.")
                data["end_date"] = None
            if not self.errors:
                produced = occurrence_dates(_rule(data))
                if data.get("ends") == ClassSchedule.Ends.AFTER_COUNT and len(produced) < (
                    data.get("occurrences") or 0
                ):
                    self.add_error(
                        "occurrences",
                        f"Only {len(produced)} sessions fit within one year of the first date; "
                        "schedules reach at most one year ahead.",
                    )
        else:
            data["weekdays"] = []
            data["end_date"] = None
            data["occurrences"] = None
        return data


def _rule(data: dict) -> Recurrence:
    return Recurrence(
        start_date=data["start_date"],
        repeat=data.get("repeat") or "once",
        weekdays=tuple(data.get("weekdays") or ()),
        ends=data.get("ends") or "after_count",
        end_date=data.get("end_date"),
        occurrences=data.get("occurrences"),
    )
