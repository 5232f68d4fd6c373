import pytest
from django.urls import reverse

from accounts.models import Business, Membership, User

SIGNUP = {
    "business_name": "Maple Music Lessons",
    "timezone": "America/Toronto",
    "name": "Mia Maple",
    "email": "Mia@Maple.test",
    "password": "a long enough passphrase",
}


@pytest.mark.django_db
def test_signing_up_creates_business_and_owner_and_signs_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:agenda")
    business = Business.objects.get()
    assert (business.name, business.slug, business.timezone) == (
        "Maple Music Lessons",
        "maple-music-lessons",
        "America/Toronto",
    )
    membership = Membership.objects.get()
    assert membership.business == business
    assert membership.role == Membership.Role.OWNER
    assert membership.user.email == "mia@maple.test"
    assert client.get(reverse("bookings:agenda")).status_code == 200


@pytest.mark.django_db
def test_signing_up_with_a_taken_email_keeps_what_was_typed(client, tenant):
    data = {**SIGNUP, "email": tenant.owner.email.upper()}

    response = client.post(reverse("accounts:signup"), data)

    assert response.status_code == 200
    assert "An account with this e-mail address already exists." in response.text
    assert 'value="Maple Music Lessons"' in response.text
    assert 'value="Mia Maple"' in response.text
    assert Business.objects.filter(name="Maple Music Lessons").count() == 0


@pytest.mark.django_db
def test_signing_up_with_a_weak_password_says_why(client):
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "password": "12345678"})

    assert response.status_code == 200
    assert "This password is too common." in response.text
    assert not Business.objects.exists()


@pytest.mark.django_db
def test_sign_in_ignores_the_case_of_the_email(client, tenant):
    response = client.post(
        reverse("accounts:login"),
        {"username": tenant.owner.email.upper(), "password": tenant.password},
    )

    assert response.status_code == 302
    assert client.get(reverse("bookings:agenda")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_gives_a_plain_message(client, tenant):
    response = client.post(
        reverse("accounts:login"), {"username": tenant.owner.email, "password": "nope"}
    )

    assert response.status_code == 200
    assert "That e-mail and password do not match an account." in response.text


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client, tenant, mailoutbox):
    client.post(reverse("accounts:password-reset"), {"email": tenant.owner.email})

    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "Choose a password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response.status_code == 302
    tenant.owner.refresh_from_db()
    assert tenant.owner.check_password("a brand new passphrase")


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("bookings:agenda"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_user_without_a_business_gets_an_explanation_not_an_error(client):
    loner = User.objects.create_user("loner@example.test", "a long enough passphrase")
    client.force_login(loner)

    response = client.get(reverse("bookings:agenda"))

    assert response.status_code == 403
    assert "not part of a business" in response.text
