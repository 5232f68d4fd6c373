from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from bookings.demo import DEMO_EMAIL, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo business with sample data (does nothing if it exists)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        business, created = seed_demo()
        if options["quiet"]:
            return
        verb = "Created" if created else "Found"
        self.stdout.write(
            f"{verb} demo business “{business.name}”: sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}"
        )
