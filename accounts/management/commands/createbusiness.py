from argparse import ArgumentParser

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import validate_timezone
from accounts.services import business_create


class Command(BaseCommand):
    help = "Create a business with its owner (for operators and scripted set-ups)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", required=True, help="Business name")
        parser.add_argument("--email", required=True, help="Owner's e-mail (their sign-in)")
        parser.add_argument("--password", required=True, help="Owner's password")
        parser.add_argument("--timezone", default="UTC", help="IANA zone, e.g. Europe/London")
        parser.add_argument("--owner-name", default="", help="Owner's full name")

    def handle(self, *args: object, **options: str) -> None:
        try:
            validate_timezone(options["timezone"])
            business = business_create(
                name=options["name"],
                timezone=options["timezone"],
                owner_email=options["email"],
                owner_password=options["password"],
                owner_name=options["owner_name"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created business “{business.name}” (booking page /b/{business.slug}/) "
                f"with owner {options['email'].lower()}."
            )
        )
