import datetime as dt

from catalog.recurrence import Recurrence, describe, occurrence_dates

MONDAY = dt.date(2026, 1, 5)


def test_a_one_off_schedule_has_its_single_date():
    assert occurrence_dates(Recurrence(start_date=MONDAY, repeat="once")) == [MONDAY]


def test_weekly_on_two_weekdays_stops_after_the_count():
    rule = Recurrence(
        start_date=MONDAY, repeat="weekly", weekdays=(0, 2), ends="after_count", occurrences=5
    )

    dates = occurrence_dates(rule)

    assert dates == [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 7),
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 14),
        dt.date(2026, 1, 19),
    ]


def test_weekly_until_a_date_includes_that_date():
    rule = Recurrence(
        start_date=MONDAY,
        repeat="weekly",
        weekdays=(0,),
        ends="on_date",
        end_date=dt.date(2026, 1, 19),
    )

    assert occurrence_dates(rule) == [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 19),
    ]


def test_the_first_date_counts_only_when_it_falls_on_a_chosen_weekday():
    rule = Recurrence(start_date=MONDAY, repeat="weekly", weekdays=(3,), occurrences=2)

    assert occurrence_dates(rule) == [dt.date(2026, 1, 8), dt.date(2026, 1, 15)]


def test_schedules_never_reach_more_than_a_year_ahead():
    rule = Recurrence(
        start_date=MONDAY, repeat="weekly", weekdays=tuple(range(7)), occurrences=1000
    )

    dates = occurrence_dates(rule)

    assert len(dates) == 366
    assert dates[-1] == MONDAY + dt.timedelta(days=365)


def test_weekly_without_weekdays_repeats_on_the_first_dates_weekday():
    rule = Recurrence(start_date=MONDAY, repeat="weekly", weekdays=(), occurrences=2)

    assert occurrence_dates(rule) == [MONDAY, MONDAY + dt.timedelta(days=7)]


def test_describe_reads_as_a_sentence():
    rule = Recurrence(start_date=MONDAY, repeat="weekly", weekdays=(2, 0), occurrences=12)

    assert describe(rule) == "Weekly on Monday and Wednesday, 12 sessions"
