import pytest
from django.core.management import CommandError, call_command

from accounts.models import Business, Membership


@pytest.mark.django_db
def test_createbusiness_creates_business_and_owner(capsys):
    call_command(
        "createbusiness",
        "--name",
        "Oak Therapy",
        "--email",
        "Owner@Oak.test",
        "--password",
        "s3cret-enough",
        "--timezone",
        "Australia/Sydney",
    )

    business = Business.objects.get(name="Oak Therapy")
    assert business.timezone == "Australia/Sydney"
    owner = Membership.objects.get(business=business).user
    assert owner.email == "owner@oak.test"
    assert owner.check_password("s3cret-enough")
    assert "Created business" in capsys.readouterr().out


@pytest.mark.django_db
def test_createbusiness_rejects_a_duplicate_email_clearly(tenant):
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "createbusiness", "--name", "Copycat", "--email", tenant.owner.email, "--password", "x"
        )
    assert not Business.objects.filter(name="Copycat").exists()


@pytest.mark.django_db
def test_createbusiness_rejects_an_unknown_time_zone():
    with pytest.raises(CommandError, match="not a time zone"):
        call_command(
            "createbusiness",
            "--name",
            "A",
            "--email",
            "a@a.test",
            "--password",
            "x",
            "--timezone",
            "Mars/Olympus",
        )
