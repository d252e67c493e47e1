"""Opening hours from a museum's structured rules: weekly slots, seasons, closures, holidays.

Pure logic over rows already loaded (no query here), so a listing can prefetch every museum's
rules once and answer "open now" or "open on <date>" for all of them.
"""

import datetime
from dataclasses import dataclass, field

from musees.core.holidays import holiday_on


def _in_season(rule, day: datetime.date) -> bool:
    """Whether a day falls inside a rule's season (always true for a rule without season)."""
    if not getattr(rule, "has_season", False):
        return True
    start = (rule.from_month, rule.from_day)
    end = (rule.to_month, rule.to_day)
    current = (day.month, day.day)
    if start <= end:
        return start <= current <= end
    # A season that spans the new year (1 November - 31 March).
    return current >= start or current <= end


@dataclass
class Schedule:
    """A museum's hours: slots (`OpeningHours` rows), closures, and public holidays it closes on."""

    rules: list = field(default_factory=list)
    closures: list = field(default_factory=list)
    closed_holidays: set[str] = field(default_factory=set)

    @property
    def is_known(self) -> bool:
        """Whether the museum has given any hours at all."""
        return bool(self.rules)

    def closure_on(self, day: datetime.date):
        """The exceptional closure covering a date, or None."""
        return next((c for c in self.closures if c.covers(day)), None)

    def slots_on(self, day: datetime.date) -> list[tuple[datetime.time, datetime.time]]:
        """The (opens, closes) slots of a date, sorted, after seasons, closures and holidays."""
        if self.closure_on(day):
            return []
        holiday = holiday_on(day)
        if holiday and holiday in self.closed_holidays:
            return []
        weekday = str(day.weekday())
        seasonal = [r for r in self.rules if r.has_season and _in_season(r, day)]
        # A seasonal rule replaces the all-year rules for the days of its season.
        candidates = seasonal or [r for r in self.rules if not r.has_season]
        return sorted((r.opens, r.closes) for r in candidates if weekday in r.weekdays)

    def is_open_on(self, day: datetime.date) -> bool:
        """Whether the museum opens at some time on a date."""
        return bool(self.slots_on(day))

    def is_open_at(self, moment: datetime.datetime) -> bool:
        """Whether the museum is open at a local date and time."""
        now = moment.time()
        return any(opens <= now < closes for opens, closes in self.slots_on(moment.date()))

    def next_opening(self, moment: datetime.datetime, horizon_days: int = 370):
        """The next (date, opens) at or after a moment, or None when nothing opens within a year."""
        for offset in range(horizon_days):
            day = moment.date() + datetime.timedelta(days=offset)
            for opens, _closes in self.slots_on(day):
                if offset > 0 or opens > moment.time():
                    return day, opens
        return None

    def status_at(self, moment: datetime.datetime) -> dict:
        """What a visitor wants to know right now: open or not, until when, when it reopens."""
        day, now = moment.date(), moment.time()
        if not self.is_known:
            return {"known": False}
        for opens, closes in self.slots_on(day):
            if opens <= now < closes:
                return {"known": True, "open": True, "closes": closes}
        nxt = self.next_opening(moment)
        return {
            "known": True,
            "open": False,
            "closure": self.closure_on(day),
            "next_day": nxt[0] if nxt else None,
            "next_opens": nxt[1] if nxt else None,
            "next_is_today": bool(nxt and nxt[0] == day),
            "next_is_tomorrow": bool(nxt and nxt[0] == day + datetime.timedelta(days=1)),
        }

    def week_from(self, day: datetime.date) -> list[tuple[datetime.date, list]]:
        """The seven days starting at a date, each with its slots (for a "this week" table)."""
        return [(d, self.slots_on(d)) for d in (day + datetime.timedelta(days=i) for i in range(7))]
