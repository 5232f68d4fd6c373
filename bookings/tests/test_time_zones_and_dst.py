"""Times are stored in UTC and meant in a zone's wall clock, across DST changes."""

import datetime as dt
import zoneinfo

import pytest

from bookings.timeutils import local_day_bounds, make_aware_local

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Europe/London springs forward on 29 March 2026; America/New_York on 8 March 2026.
        (LONDON, dt.date(2026, 3, 28), dt.date(2026, 3, 30)),
        (NEW_YORK, dt.date(2026, 3, 7), dt.date(2026, 3, 9)),
    ],
)
def test_nine_oclock_stays_nine_oclock_across_the_spring_change(zone, before, after):
    first = make_aware_local(before, dt.time(9), zone)
    second = make_aware_local(after, dt.time(9), zone)

    assert first.astimezone(zone).hour == second.astimezone(zone).hour == 9
    assert second - first == dt.timedelta(days=2, hours=-1)


def test_a_time_in_the_skipped_hour_moves_forward_by_the_gap():
    instant = make_aware_local(dt.date(2026, 3, 8), dt.time(2, 30), NEW_YORK)

    assert instant.astimezone(NEW_YORK).time() == dt.time(3, 30)


def test_a_time_in_the_repeated_hour_means_its_first_occurrence():
    instant = make_aware_local(dt.date(2026, 11, 1), dt.time(1, 30), NEW_YORK)

    assert instant == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)


def test_the_autumn_change_day_is_twenty_five_hours_long():
    start, end = local_day_bounds(dt.date(2026, 10, 25), LONDON)

    assert end - start == dt.timedelta(hours=25)
