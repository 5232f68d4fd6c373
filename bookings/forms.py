import datetime as dt

from django import forms

from accounts.forms import TimezoneField
from bookings.models import Client, LocationKind
from catalog.models import Service

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class ClientForm(forms.ModelForm):
    timezone = TimezoneField(label="Time zone", required=False)

    class Meta:
        model = Client
        fields = ["name", "email", "phone", "timezone", "notes"]
        labels = {"email": "E-mail"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["timezone"].choices = [
            ("", "Same as the business"),
            *self.fields["timezone"].choices,
        ]
        self.fields["timezone"].help_text = "Times in e-mails to this client are shown in it."


class ClientPickMixin(forms.Form):
    """Existing client by e-mail, or a new one from the details given."""

    client_email = forms.EmailField(
        label="Client e-mail",
        help_text="An existing client is found by e-mail; otherwise one is added.",
    )
    client_name = forms.CharField(label="Client name", max_length=150, required=False)
    client_phone = forms.CharField(label="Client phone (optional)", max_length=40, required=False)

    def __init__(self, *args: object, business: "object", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.business = business

    def clean_client_email(self) -> str:
        return self.cleaned_data["client_email"].strip().lower()

    def clean(self) -> dict:
        data = super().clean() or {}
        email = data.get("client_email")
        nameless = not (data.get("client_name") or "").strip()
        if (
            email
            and nameless
            and not Client.objects.filter(business=self.business, email__iexact=email).exists()
        ):
            self.add_error("client_name", "This is a new client: give their name.")
        return data


class AppointmentForm(ClientPickMixin):
    service = forms.ModelChoiceField(
        label="Service", queryset=Service.objects.none(), empty_label="Choose a service"
    )
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    location_kind = forms.ChoiceField(
        label="Location", choices=LocationKind.choices, widget=forms.RadioSelect, required=False
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    field_order = [
        "service",
        "client_email",
        "client_name",
        "client_phone",
        "date",
        "time",
        "location_kind",
        "notes",
    ]

    def __init__(self, *args: object, business: "object", **kwargs: object) -> None:
        super().__init__(*args, business=business, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(
            business=business, is_archived=False
        )  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        service = data.get("service")
        if service is not None:
            data["location_kind"] = pick_location(self, service, data.get("location_kind"))
        return data


def pick_location(form: forms.Form, service: Service, chosen: str | None) -> str:
    """The location for a booking of `service`: the only one it offers, or the one chosen."""
    if service.in_person and service.online:
        if chosen not in LocationKind.values:
            form.add_error(
                "location_kind", "This service is offered in person and online: choose one."
            )
        return chosen or ""
    return LocationKind.ONLINE if service.online else LocationKind.IN_PERSON


class RescheduleForm(forms.Form):
    date = forms.DateField(label="New date", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label="New time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    location_kind = forms.ChoiceField(
        label="Location", choices=LocationKind.choices, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args: object, service: Service, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.service = service
        if not (service.in_person and service.online):
            del self.fields["location_kind"]

    def clean(self) -> dict:
        data = super().clean() or {}
        if "location_kind" in self.fields:
            data["location_kind"] = pick_location(self, self.service, data.get("location_kind"))
        else:
            data["location_kind"] = None
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Sent to the client with the cancellation.",
    )


class SessionAddClientForm(ClientPickMixin):
    location_kind = forms.ChoiceField(
        label="Attends", choices=LocationKind.choices, widget=forms.RadioSelect, required=False
    )


class OpeningHoursDayForm(forms.Form):
    """One weekday: up to two open intervals (e.g. a lunch break between them)."""

    opens = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    opens2 = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes2 = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        intervals: list[tuple[dt.time, dt.time]] = []
        for a, b in (("opens", "closes"), ("opens2", "closes2")):
            opens, closes = data.get(a), data.get(b)
            if opens is None and closes is None:
                continue
            if opens is None or closes is None:
                self.add_error(
                    a if opens is None else b, "Give both the opening and the closing time."
                )
                continue
            if closes <= opens:
                self.add_error(b, "Closing must be after opening.")
                continue
            intervals.append((opens, closes))
        if (
            len(intervals) == 2
            and intervals[1][0] < intervals[0][1]
            and intervals[0][0] < intervals[1][1]
        ):
            self.add_error("opens2", "The two periods overlap.")
        data["intervals"] = sorted(intervals)
        return data
