"""Schedule: pure logic over opening rules, closures and public holidays (no database)."""

import datetime as dt

import pytest

from musees.museums.hours import Schedule
from musees.museums.models import MuseumClosure, OpeningHours

TUE_TO_SUN = ["1", "2", "3", "4", "5", "6"]


def rule(weekdays=TUE_TO_SUN, opens=(10, 0), closes=(18, 0), season=None):
    """An unsaved opening rule; `season` is ((from_day, from_month), (to_day, to_month))."""
    row = OpeningHours(weekdays=list(weekdays), opens=dt.time(*opens), closes=dt.time(*closes))
    if season:
        (row.from_day, row.from_month), (row.to_day, row.to_month) = season
    return row


def at(y, m, d, hh=12, mm=0):
    return dt.datetime(y, m, d, hh, mm)  # noqa: DTZ001 local wall-clock time, as museums post it


# 2026-06-02 is a Tuesday, 2026-06-01 a Monday.


def test_weekly_pattern_opens_on_listed_weekdays_only():
    schedule = Schedule(rules=[rule()])
    assert schedule.is_open_on(dt.date(2026, 6, 2))
    assert not schedule.is_open_on(dt.date(2026, 6, 1))
    assert schedule.slots_on(dt.date(2026, 6, 7)) == [(dt.time(10), dt.time(18))]


def test_is_open_at_respects_opening_and_closing_times():
    schedule = Schedule(rules=[rule()])
    assert not schedule.is_open_at(at(2026, 6, 2, 9, 59))
    assert schedule.is_open_at(at(2026, 6, 2, 10, 0))
    assert schedule.is_open_at(at(2026, 6, 2, 17, 59))
    assert not schedule.is_open_at(at(2026, 6, 2, 18, 0))


def test_lunch_break_is_closed():
    schedule = Schedule(rules=[rule(closes=(12, 0)), rule(opens=(14, 0), closes=(18, 0))])
    assert schedule.slots_on(dt.date(2026, 6, 2)) == [
        (dt.time(10), dt.time(12)),
        (dt.time(14), dt.time(18)),
    ]
    assert schedule.is_open_at(at(2026, 6, 2, 11, 0))
    assert not schedule.is_open_at(at(2026, 6, 2, 13, 0))
    assert schedule.is_open_at(at(2026, 6, 2, 15, 0))


def test_season_inside_a_year_replaces_all_year_rules():
    summer = rule(weekdays=[str(d) for d in range(7)], closes=(19, 0), season=((1, 7), (31, 8)))
    schedule = Schedule(rules=[rule(), summer])
    # In July, open on Monday too, until 19 h.
    assert schedule.slots_on(dt.date(2026, 7, 6)) == [(dt.time(10), dt.time(19))]
    assert schedule.slots_on(dt.date(2026, 8, 31)) == [(dt.time(10), dt.time(19))]
    # In June, the all-year rule: closed on Monday, until 18 h otherwise.
    assert not schedule.is_open_on(dt.date(2026, 6, 1))
    assert schedule.slots_on(dt.date(2026, 6, 30)) == [(dt.time(10), dt.time(18))]


def test_season_spanning_new_year():
    winter = rule(weekdays=["5", "6"], opens=(14, 0), closes=(17, 0), season=((1, 11), (31, 3)))
    summer = rule(season=((1, 4), (31, 10)))
    schedule = Schedule(rules=[winter, summer])
    assert schedule.slots_on(dt.date(2026, 12, 19)) == [(dt.time(14), dt.time(17))]  # Saturday
    assert schedule.slots_on(dt.date(2027, 1, 9)) == [(dt.time(14), dt.time(17))]  # Saturday
    assert not schedule.is_open_on(dt.date(2027, 1, 6))  # Wednesday in winter
    assert schedule.is_open_on(dt.date(2026, 4, 1))  # Wednesday, summer season
    assert schedule.slots_on(dt.date(2026, 10, 31)) == [(dt.time(10), dt.time(18))]


def test_single_day_closure():
    schedule = Schedule(rules=[rule()], closures=[MuseumClosure(start_date=dt.date(2026, 6, 2))])
    assert not schedule.is_open_on(dt.date(2026, 6, 2))
    assert schedule.is_open_on(dt.date(2026, 6, 3))


def test_multi_day_closure_includes_both_ends():
    closure = MuseumClosure(start_date=dt.date(2026, 6, 2), end_date=dt.date(2026, 6, 5))
    schedule = Schedule(rules=[rule()], closures=[closure])
    for day in (2, 3, 4, 5):
        assert not schedule.is_open_on(dt.date(2026, 6, day))
    assert schedule.is_open_on(dt.date(2026, 6, 6))
    assert schedule.closure_on(dt.date(2026, 6, 4)) is closure


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (dt.date(2026, 4, 6), "lundi_paques"),  # Easter 2026 is 5 April
        (dt.date(2026, 5, 14), "ascension"),  # Thursday, Easter + 39
        (dt.date(2026, 5, 25), "lundi_pentecote"),
        (dt.date(2026, 7, 14), "fete_nationale"),
        (dt.date(2027, 3, 29), "lundi_paques"),  # Easter 2027 is 28 March
    ],
)
def test_closed_on_computed_public_holidays(day, key):
    every_day = rule(weekdays=[str(d) for d in range(7)])
    assert Schedule(rules=[every_day]).is_open_on(day)
    assert not Schedule(rules=[every_day], closed_holidays={key}).is_open_on(day)


def test_holiday_not_listed_stays_open():
    schedule = Schedule(rules=[rule(weekdays=["0"])], closed_holidays={"noel"})
    assert schedule.is_open_on(dt.date(2026, 4, 6))  # Easter Monday, not in the list


def test_status_open_says_until_when():
    status = Schedule(rules=[rule()]).status_at(at(2026, 6, 2, 11, 0))
    assert status == {"known": True, "open": True, "closes": dt.time(18)}


def test_status_after_lunch_break_reopens_today():
    schedule = Schedule(rules=[rule(closes=(12, 0)), rule(opens=(14, 0))])
    status = schedule.status_at(at(2026, 6, 2, 12, 30))
    assert status["open"] is False
    assert status["next_is_today"] is True
    assert status["next_opens"] == dt.time(14)


def test_status_closed_next_opening_tomorrow():
    status = Schedule(rules=[rule()]).status_at(at(2026, 6, 1, 11, 0))  # Monday
    assert status["known"] is True
    assert status["open"] is False
    assert status["next_is_tomorrow"] is True
    assert status["next_day"] == dt.date(2026, 6, 2)
    assert status["next_opens"] == dt.time(10)


def test_status_during_closure_reports_it_and_next_opening():
    closure = MuseumClosure(start_date=dt.date(2026, 6, 2), end_date=dt.date(2026, 6, 10))
    status = Schedule(rules=[rule()], closures=[closure]).status_at(at(2026, 6, 3, 11, 0))
    assert status["closure"] is closure
    assert status["next_day"] == dt.date(2026, 6, 11)


def test_museum_with_no_hours_is_unknown_and_never_open():
    schedule = Schedule()
    assert schedule.is_known is False
    assert schedule.status_at(at(2026, 6, 2, 11, 0)) == {"known": False}
    assert not schedule.is_open_on(dt.date(2026, 6, 2))
    assert schedule.next_opening(at(2026, 6, 2)) is None


def test_week_from_lists_seven_days():
    week = Schedule(rules=[rule()]).week_from(dt.date(2026, 6, 1))
    assert [d for d, _slots in week][0] == dt.date(2026, 6, 1)
    assert len(week) == 7
    assert week[0][1] == []
