import pytest
from django.core.management import call_command

from accounts.models import Business
from bookings.demo import DEMO_EMAIL, seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_kind_of_thing_and_seeds_once(mailoutbox):
    business, created = seed_demo()
    again, created_again = seed_demo()

    assert created and not created_again and again == business
    assert business.memberships.filter(user__email=DEMO_EMAIL, role="owner").exists()
    assert business.services.count() == 3
    assert business.services.filter(online=True, meeting_tool="zoom").count() == 2
    assert business.classes.count() == 2
    assert business.class_sessions.count() == 20
    assert business.clients.count() == 10
    assert business.appointments.filter(end__lt=business.created_at).count() == 4
    assert business.appointments.count() >= 8
    assert business.class_bookings.count() == 28
    assert business.opening_hours.count() == 11
    assert mailoutbox == [], "seeding sends no e-mail"


def test_the_seed_command_prints_the_sign_in(capsys):
    call_command("seed_demo")

    assert "demo@slotwise.test / slotwise-demo" in capsys.readouterr().out
    assert Business.objects.count() == 1
