"""Businesses (the tenants), their staff users and memberships."""

import functools
import zoneinfo

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


@functools.cache
def timezone_names() -> frozenset[str]:
    """Every IANA zone name. Listing them walks the tz database on disk (~45 ms, measured in
    the booking request's profile), so each process does it once."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/London.")


class Business(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Used in the public booking link."
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    currency = models.CharField(max_length=3, default="USD", help_text="ISO code, e.g. USD, EUR.")
    # How far ahead clients may book on the public page, and how much notice they must give.
    booking_notice_hours = models.PositiveIntegerField(
        default=2, help_text="Clients cannot book a slot that starts sooner than this."
    )
    booking_window_days = models.PositiveIntegerField(
        default=60, help_text="Clients can book this many days ahead."
    )
    # What clients may do themselves from their booking link.
    allow_client_cancel = models.BooleanField(default=True)
    allow_client_reschedule = models.BooleanField(default=True)
    client_change_cutoff_hours = models.PositiveIntegerField(
        default=24, help_text="Clients cannot cancel or reschedule within this many hours."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "businesses"

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def owners(self) -> models.QuerySet["User"]:
        return User.objects.filter(
            membership__business=self, membership__role=Membership.Role.OWNER
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        # Sign-in names are e-mail addresses, which people type in any case.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. E-mail is the sign-in name; staff belong to one business."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        STAFF = "staff", "Staff"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.business}"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER
