import functools

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import Business, Membership, timezone_names


@functools.cache
def _timezone_choices() -> tuple[tuple[str, str], ...]:
    names = sorted(name for name in timezone_names() if "/" in name or name == "UTC")
    return tuple((name, name.replace("_", " ")) for name in names)


def timezone_choices() -> list[tuple[str, str]]:
    return list(_timezone_choices())


class TimezoneField(forms.ChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(choices=timezone_choices, **kwargs)  # type: ignore[arg-type]


class SignUpForm(forms.Form):
    business_name = forms.CharField(label="Business name", max_length=120)
    timezone = TimezoneField(
        label="Time zone", help_text="Where your business works; appointments are shown in it."
    )
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="E-mail")
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            from accounts.models import User

            probe = User(email=data.get("email", ""), first_name=data.get("name", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class BusinessSettingsForm(forms.ModelForm):
    timezone = TimezoneField(label="Time zone")

    class Meta:
        model = Business
        fields = [
            "name",
            "timezone",
            "currency",
            "booking_notice_hours",
            "booking_window_days",
            "allow_client_cancel",
            "allow_client_reschedule",
            "client_change_cutoff_hours",
        ]
        labels = {
            "allow_client_cancel": "Clients may cancel from their booking link",
            "allow_client_reschedule": "Clients may reschedule from their booking link",
            "client_change_cutoff_hours": "Notice needed for client changes (hours)",
            "booking_notice_hours": "Minimum notice for online bookings (hours)",
            "booking_window_days": "How far ahead clients can book (days)",
        }


class StaffAddForm(forms.Form):
    name = forms.CharField(label="Name", max_length=150)
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices, initial="staff")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That e-mail and password do not match an account. Check both and try again."
        ),
    }
