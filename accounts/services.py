"""Writes for businesses and staff. Views, commands and the admin call these."""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from accounts.models import Business, Membership, User
from accounts.tasks import staff_invite_send
from slotwise.mail import absolute_url, send_templated_email

RESERVED_SLUGS = {"admin", "static", "api", "settings", "www"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "business"
    if base in RESERVED_SLUGS:
        base = f"{base}-bookings"
    slug, n = base, 1
    while Business.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def email_is_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


@transaction.atomic
def business_create(
    *, name: str, timezone: str, owner_email: str, owner_password: str, owner_name: str = ""
) -> Business:
    """Create a business with its first owner."""
    if email_is_taken(owner_email):
        raise ValidationError({"email": "An account with this e-mail address already exists."})
    business = Business(name=name.strip(), slug=_unique_slug(name), timezone=timezone)
    business.full_clean()
    business.save()
    first, _, last = owner_name.strip().partition(" ")
    try:
        with transaction.atomic():
            owner = User.objects.create_user(
                owner_email, owner_password, first_name=first, last_name=last
            )
    except IntegrityError as exc:  # lost a race for the same e-mail
        raise ValidationError(
            {"email": "An account with this e-mail address already exists."}
        ) from exc
    Membership.objects.create(business=business, user=owner, role=Membership.Role.OWNER)
    return business


@transaction.atomic
def business_update(*, business: Business, **fields: object) -> Business:
    """Change a business's own settings (name, time zone, client policies)."""
    for name, value in fields.items():
        setattr(business, name, value)
    business.full_clean()
    business.save()
    return business


def staff_add(*, business: Business, email: str, name: str, role: str) -> Membership:
    """Add a staff member and e-mail them a link to choose their password."""
    if email_is_taken(email):
        raise ValidationError({"email": "This e-mail address already belongs to an account."})
    first, _, last = name.strip().partition(" ")
    with transaction.atomic():
        user = User.objects.create_user(email, None, first_name=first, last_name=last)
        membership = Membership.objects.create(business=business, user=user, role=role)
        # Enqueued inside the transaction: with the database task backend the task row
        # commits (or rolls back) together with the membership, so no invite is lost or
        # sent for a member who was never saved.
        staff_invite_send.enqueue(membership.pk)
    return membership


def staff_invite_email_send(*, user: User, business: Business) -> None:
    """Send the invitation e-mail with a single-use link to choose a password."""
    link = absolute_url(
        reverse(
            "accounts:password-reset-confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    send_templated_email(
        to=[user.email],
        template="accounts/email/staff_invite",
        context={"user": user, "business": business, "link": link},
    )


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str) -> Membership:
    """Change a member's role; a business always keeps at least one owner."""
    if membership.role == Membership.Role.OWNER and role != Membership.Role.OWNER:
        _ensure_another_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a member from the business and deactivate their sign-in."""
    if membership.role == Membership.Role.OWNER:
        _ensure_another_owner(membership)
    user = membership.user
    membership.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])


def _ensure_another_owner(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(business_id=membership.business_id, role=Membership.Role.OWNER)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError("A business needs at least one owner.")
