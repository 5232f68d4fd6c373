"""An outsider (another business's owner) gets 404 on every URL that takes an object id.

OBJECT_URLS names a factory per object URL. The coverage test fails when a new object URL
is added without an entry here, so no view can skip the check silently.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse

from tests import factories
from tests.urls_catalogue import all_routes

# URLs with parameters that are not tenant object ids: public pages addressed by slug or
# secret token, and Django's password-reset link. They have their own tests.
NOT_TENANT_OBJECTS = {
    "accounts:password-reset-confirm",
}


def _member(tenant) -> dict:
    return {"pk": tenant.staff.membership.pk}


def _service(tenant) -> dict:
    return {"pk": factories.make_service(tenant.business).pk}


def _class(tenant) -> dict:
    offering, _ = factories.make_class(tenant.business, sessions=1)
    return {"pk": offering.pk}


def _schedule(tenant) -> dict:
    offering, schedule = factories.make_class(tenant.business, sessions=1)
    return {"pk": offering.pk, "schedule_pk": schedule.pk}


def _client(tenant) -> dict:
    return {"pk": factories.make_client(tenant.business).pk}


def _appointment(tenant) -> dict:
    return {"pk": factories.make_appointment(tenant.business).pk}


def _session(tenant) -> dict:
    return {"pk": factories.make_session(tenant.business).pk}


def _meeting(tenant) -> dict:
    from meetings.models import OnlineMeeting

    appointment = factories.make_appointment(tenant.business, location_kind="online")
    return {"pk": OnlineMeeting.objects.get(appointment=appointment).pk}


def _class_booking(tenant) -> dict:
    booking = factories.make_class_booking(tenant.business)
    return {"pk": booking.session_id, "booking_pk": booking.pk}


OBJECT_URLS: dict[str, Callable] = {
    "accounts:member-role": _member,
    "accounts:member-remove": _member,
    "catalog:service-edit": _service,
    "catalog:service-archive": _service,
    "catalog:class-detail": _class,
    "catalog:class-edit": _class,
    "catalog:class-archive": _class,
    "catalog:schedule-create": _class,
    "catalog:schedule-edit": _schedule,
    "catalog:schedule-preview": _class,
    "bookings:client-detail": _client,
    "bookings:client-edit": _client,
    "bookings:appointment-detail": _appointment,
    "bookings:appointment-reschedule": _appointment,
    "bookings:appointment-cancel": _appointment,
    "bookings:session-detail": _session,
    "bookings:session-cancel": _session,
    "bookings:class-booking-cancel": _class_booking,
    "meetings:panel": _meeting,
    "meetings:start": _meeting,
    "meetings:retry": _meeting,
    "meetings:recreate": _meeting,
    "meetings:resync": _meeting,
}


def test_every_object_url_is_covered_by_the_outsider_test():
    object_routes = {r.name for r in all_routes() if r.params and r.login_required}
    missing = object_routes - set(OBJECT_URLS) - NOT_TENANT_OBJECTS
    assert not missing, f"add these to OBJECT_URLS: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(OBJECT_URLS))
def test_outsider_gets_404_for_another_business_object(url_name, client, tenant, outsider):
    url = reverse(url_name, kwargs=OBJECT_URLS[url_name](tenant))
    client.force_login(outsider.owner)

    statuses = {client.get(url).status_code, client.post(url).status_code}

    # A method the URL does not take answers 405 before any lookup, which reveals nothing;
    # the method it does take must answer 404.
    assert statuses <= {404, 405}
    assert 404 in statuses


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(OBJECT_URLS))
def test_owner_can_reach_the_same_object_urls(url_name, client, tenant):
    """The 404 above must come from tenancy, not from a broken URL."""
    client.force_login(tenant.owner)

    response = client.get(reverse(url_name, kwargs=OBJECT_URLS[url_name](tenant)))

    assert response.status_code in (200, 302, 405)


def test_every_page_except_public_ones_requires_sign_in(client, db):
    public = {r.name for r in all_routes() if not r.login_required}
    assert (
        public
        <= {
            "accounts:signup",
            "accounts:login",
            "accounts:logout",
            "accounts:password-reset",
            "accounts:password-reset-done",
            "accounts:password-reset-confirm",
            "accounts:password-reset-complete",
        }
        | PUBLIC_PAGES
    )
    for route in all_routes():
        if route.params or not route.login_required:
            continue
        response = client.get(reverse(route.name))
        assert response.status_code == 302, route.name
        assert response["Location"].startswith(reverse("accounts:login")), route.name


# Pages anyone may open: public booking pages and client booking links.
PUBLIC_PAGES = {
    "bookings:public-home",
    "bookings:public-service",
    "bookings:public-book-service",
    "bookings:public-book-session",
    "bookings:my-appointment",
    "bookings:my-appointment-cancel",
    "bookings:my-appointment-reschedule",
    "bookings:my-appointment-invite",
    "bookings:my-class-booking",
    "bookings:my-class-booking-cancel",
    "bookings:my-class-booking-move",
    "bookings:my-class-booking-invite",
    "bookings:my-appointment-meeting",
    "bookings:my-class-booking-meeting",
    "zoom:webhook",
}
