"""Why a booking write was refused, in words a person can act on."""

from django.core.exceptions import ValidationError


class BookingRefused(ValidationError):
    """Base for refusals; a ValidationError so forms can show the message in place."""


class SlotTaken(BookingRefused):
    """The time clashes with something already on the business's calendar."""


class SessionFull(BookingRefused):
    """No seat left in the class session."""


class NotBookable(BookingRefused):
    """Outside opening hours, too soon, too far ahead, in the past, or archived."""


class AlreadyBooked(BookingRefused):
    """This client already holds a seat in that session."""
