from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Business
from bookings.models import Client


def _email_taken(business: Business, email: str, exclude_pk: int | None = None) -> bool:
    others = Client.objects.filter(business=business, email__iexact=email)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


TAKEN = "A client with this e-mail address already exists."


def _new_client(business: Business, **fields: str) -> Client:
    client = Client(
        business=business,
        name=fields["name"].strip(),
        email=fields["email"].strip().lower(),
        phone=fields.get("phone", "").strip(),
        timezone=fields.get("timezone", ""),
        notes=fields.get("notes", ""),
    )
    client.full_clean(exclude=["business"])
    return client


@transaction.atomic
def client_create(
    *,
    business: Business,
    name: str,
    email: str,
    phone: str = "",
    timezone: str = "",
    notes: str = "",
) -> Client:
    """Add a client; e-mail addresses are unique within a business."""
    if _email_taken(business, email.strip().lower()):
        raise ValidationError({"email": TAKEN})
    client = _new_client(
        business, name=name, email=email, phone=phone, timezone=timezone, notes=notes
    )
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:
        raise ValidationError({"email": TAKEN}) from exc
    return client


@transaction.atomic
def client_update(*, client: Client, **fields: str) -> Client:
    """Change a client's details."""
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
        if _email_taken(client.business, fields["email"], exclude_pk=client.pk):
            raise ValidationError({"email": "Another client already uses this e-mail address."})
    for name, value in fields.items():
        setattr(client, name, value)
    client.full_clean(exclude=["business"])
    client.save()
    return client


def client_find_or_create(
    *, business: Business, name: str, email: str, phone: str = "", timezone: str = ""
) -> Client:
    """The business's client with this e-mail, created from the given details if new.

    An existing client keeps their stored name; a missing phone or time zone is filled in.
    """
    email = email.strip().lower()
    existing = Client.objects.filter(business=business, email__iexact=email).first()
    if existing is None:
        client = _new_client(business, name=name, email=email, phone=phone, timezone=timezone)
        try:
            # The lookup above just said "new": the unique index, not a second lookup,
            # settles the rare race (a public booking is on the hot path).
            with transaction.atomic():
                client.save()
            return client
        except IntegrityError:
            existing = Client.objects.get(business=business, email__iexact=email)
    changed = []
    if phone and not existing.phone:
        existing.phone = phone.strip()
        changed.append("phone")
    if timezone and not existing.timezone:
        existing.timezone = timezone
        changed.append("timezone")
    if changed:
        existing.save(update_fields=changed)
    return existing
