"""Forms clients fill in on the public booking pages."""

from django import forms

from bookings.models import LocationKind


class PublicDetailsForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(
        label="E-mail", help_text="Your confirmation and calendar invite go here."
    )
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    location_kind = forms.ChoiceField(
        label="How would you like to meet?",
        choices=LocationKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: object, both_locations: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not both_locations:
            del self.fields["location_kind"]
        else:
            self.fields["location_kind"].required = True
            self.fields["location_kind"].error_messages["required"] = "Choose In person or Online."


class ClientCancelForm(forms.Form):
    reason = forms.CharField(
        label="Anything you would like to tell us? (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
