import pytest
from django.urls import reverse

from accounts.models import Membership, User


@pytest.mark.django_db
def test_owner_adds_staff_who_gets_a_set_password_link(owner_client, tenant, mailoutbox):
    response = owner_client.post(
        reverse("accounts:staff-add"),
        {"name": "Tess Teacher", "email": "Tess@Example.test", "role": "staff"},
    )

    assert response.status_code == 302
    member = Membership.objects.get(user__email="tess@example.test")
    assert member.business == tenant.business
    assert member.role == "staff"
    assert not member.user.has_usable_password()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["tess@example.test"]
    assert "/password-reset/" in mailoutbox[0].body
    assert tenant.business.name in mailoutbox[0].subject


@pytest.mark.django_db
def test_adding_staff_with_a_taken_email_is_refused(owner_client, outsider):
    response = owner_client.post(
        reverse("accounts:staff-add"),
        {"name": "Someone", "email": outsider.owner.email, "role": "staff"},
    )

    assert response.status_code == 200
    assert "already belongs to an account" in response.text
    assert 'value="Someone"' in response.text


@pytest.mark.django_db
def test_staff_cannot_manage_the_team(staff_client, tenant):
    response = staff_client.post(
        reverse("accounts:staff-add"), {"name": "X", "email": "x@example.test", "role": "owner"}
    )

    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.test").exists()


@pytest.mark.django_db
def test_the_last_owner_cannot_be_demoted(owner_client, tenant):
    own = tenant.owner.membership

    owner_client.post(reverse("accounts:member-role", args=[own.pk]), {"role": "staff"})

    own.refresh_from_db()
    assert own.role == "owner"


@pytest.mark.django_db
def test_removing_a_member_stops_their_sign_in(owner_client, tenant, client):
    staff_membership = tenant.staff.membership

    owner_client.post(reverse("accounts:member-remove", args=[staff_membership.pk]))

    tenant.staff.refresh_from_db()
    assert not tenant.staff.is_active
    assert not Membership.objects.filter(pk=staff_membership.pk).exists()
