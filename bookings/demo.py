"""Demo data for `make run`: one business with its people, catalog, clients and bookings."""

from django.db import transaction

from accounts.models import Business, Membership, User
from accounts.services import business_create

DEMO_EMAIL = "demo@slotwise.test"
DEMO_PASSWORD = "slotwise-demo"


@transaction.atomic
def seed_demo() -> tuple[Business, bool]:
    """Create the demo business unless it exists; return it and whether it was created."""
    existing = Business.objects.filter(memberships__user__email=DEMO_EMAIL).first()
    if existing is not None:
        return existing, False
    business = business_create(
        name="Brightside Coaching",
        timezone="Europe/London",
        owner_email=DEMO_EMAIL,
        owner_password=DEMO_PASSWORD,
        owner_name="Dana Demo",
    )
    staff = User.objects.create_user(
        "coach@slotwise.test", DEMO_PASSWORD, first_name="Chris", last_name="Coach"
    )
    Membership.objects.create(business=business, user=staff, role=Membership.Role.STAFF)
    return business, True
