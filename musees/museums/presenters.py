"""What a museum's public page shows, computed from one museum already loaded.

Templates reach these through the `museum_tags` library; no function here writes, and none
queries more than the museum's own rows.
"""

import calendar
import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from musees.core import clock, jsonld
from musees.core.holidays import HOLIDAY_CHOICES, holiday_on

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def format_time(value: datetime.time | None) -> str:
    """A time as people write it: "10 h", "14 h 30" in French, "10:00" in English."""
    if value is None:
        return ""
    if (get_language() or "fr").startswith("fr"):
        # Non-breaking spaces: "10 h 30" never splits across lines.
        if value.minute == 0:
            return f"{value.hour}\u00a0h"
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return value.strftime("%H:%M")


def format_price(value: Decimal | None) -> str:
    """A price in euros: "8 €", "5,50 €" (decimals only when there are cents)."""
    if value is None:
        return ""
    places = 0 if value == value.to_integral_value() else 2
    return f"{formats.number_format(value, places)}\u00a0€"


def format_slots(slots) -> str:
    """Opening slots of one day: "10 h – 12 h, 14 h – 18 h"."""
    return ", ".join(f"{format_time(o)}\u00a0–\u00a0{format_time(c)}" for o, c in slots)


def _weekday_names() -> list[str]:
    from .models import WEEKDAY_CHOICES

    return [str(label) for _key, label in WEEKDAY_CHOICES]


def format_weekdays(keys: list[str]) -> str:
    """Weekdays of a rule: runs become ranges ("mardi – dimanche"), others a list."""
    names = _weekday_names()
    days = sorted({int(k) for k in keys if str(k).isdigit() and 0 <= int(k) <= 6})
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]} – {names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ", ".join(parts)


def _safe_date(year: int, month: int, day: int) -> datetime.date:
    """A date, with 29 February moved to the 28th in common years."""
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day, last))


def season_dates(rule, today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The current or next occurrence (first day, last day) of a seasonal rule, or None."""
    if not getattr(rule, "has_season", False):
        return None
    for year in (today.year - 1, today.year, today.year + 1):
        start = _safe_date(year, rule.from_month, rule.from_day)
        end_year = (
            year if (rule.to_month, rule.to_day) >= (rule.from_month, rule.from_day) else year + 1
        )
        end = _safe_date(end_year, rule.to_month, rule.to_day)
        if end >= today:
            return start, end
    return None


def format_day(day: datetime.date, with_weekday: bool = True) -> str:
    """A date in words: "mardi 3 mars" (French, with "1er" for the first of a month)."""
    if (get_language() or "fr").startswith("fr"):
        names = _weekday_names()
        from .models import MONTH_CHOICES

        month = str(dict(MONTH_CHOICES)[day.month])
        number = "1er" if day.day == 1 else str(day.day)
        text = f"{number} {month}"
        return f"{names[day.weekday()]} {text}" if with_weekday else text
    return formats.date_format(day, "l j F" if with_weekday else "j F")


def status(page, moment: datetime.datetime | None = None) -> dict:
    """Whether the museum is open now, and the words to say it."""
    moment = moment or clock.now()
    schedule = page.schedule
    info = dict(schedule.status_at(moment))
    if not info.get("known"):
        return info
    today = moment.date()
    if info["open"]:
        info["label"] = _("Ouvert")
        info["detail"] = _("jusqu'à %(time)s") % {"time": format_time(info["closes"])}
        return info
    info["label"] = _("Fermé")
    holiday = holiday_on(today)
    if not info.get("closure") and holiday and holiday in schedule.closed_holidays:
        info["holiday"] = str(dict(HOLIDAY_CHOICES)[holiday])
    if info.get("next_day"):
        when = format_time(info["next_opens"])
        if info["next_is_today"]:
            info["detail"] = _("ouvre aujourd'hui à %(time)s") % {"time": when}
        elif info["next_is_tomorrow"]:
            info["detail"] = _("ouvre demain à %(time)s") % {"time": when}
        else:
            info["detail"] = _("ouvre le %(day)s à %(time)s") % {
                "day": format_day(info["next_day"]),
                "time": when,
            }
    return info


def visit(page, moment: datetime.datetime | None = None) -> dict:
    """Everything the "Préparer sa visite" part of a museum page shows."""
    moment = moment or clock.now()
    today = moment.date()
    schedule = page.schedule
    week = [
        {
            "day": day,
            "weekday": format_day(day).split(" ", 1)[0],
            "date": format_day(day, with_weekday=False),
            "slots": format_slots(slots),
            "is_today": day == today,
            "closure": schedule.closure_on(day),
        }
        for day, slots in schedule.week_from(today)
    ]
    seasons = []
    for rule in schedule.rules:
        dates = season_dates(rule, today)
        if not dates:
            continue
        seasons.append(
            {
                "label": rule.season_label,
                "start": format_day(dates[0], with_weekday=False),
                "end": format_day(dates[1], with_weekday=False),
                "days": format_weekdays(rule.weekdays),
                "hours": format_slots([(rule.opens, rule.closes)]),
                "sort": dates[0],
            }
        )
    seasons.sort(key=lambda s: s["sort"])
    closures = sorted(
        (c for c in schedule.closures if c.last_day >= today), key=lambda c: c.start_date
    )
    holidays = [str(label) for key, label in HOLIDAY_CHOICES if key in schedule.closed_holidays]
    prices = []
    if page.price_full is not None:
        prices.append((_("Plein tarif"), format_price(page.price_full)))
    if page.price_reduced is not None:
        prices.append((_("Tarif réduit"), format_price(page.price_reduced)))
    return {
        "status": status(page, moment),
        "week": week,
        "seasons": seasons,
        "closures": closures,
        "holidays": holidays,
        "prices": prices,
        "prices_known": bool(
            page.admission_free
            or prices
            or page.free_for
            or page.free_first_sunday
            or page.prices_note
        ),
        "access": page.accessibility_features,
        "access_known": bool(
            page.accessibility_features or page.tourisme_handicap or page.accessibility_note
        ),
    }


def tel_href(phone: str) -> str:
    """A tel: URI from a French phone number as people write it ("05 63 22 12 91")."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if digits.startswith("0") and len(digits) == 10:
        digits = "+33" + digits[1:]
    return f"tel:{digits}"


def _opening_specs(page, today: datetime.date) -> list[dict]:
    specs = []
    for rule in page.schedule.rules:
        spec = {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [
                f"https://schema.org/{SCHEMA_DAYS[int(d)]}" for d in sorted(rule.weekdays)
            ],
            "opens": rule.opens.strftime("%H:%M"),
            "closes": rule.closes.strftime("%H:%M"),
        }
        dates = season_dates(rule, today)
        if dates:
            spec["validFrom"] = dates[0].isoformat()
            spec["validThrough"] = dates[1].isoformat()
        specs.append(spec)
    # Exceptional closures, in the form schema.org gives for "closed": 00:00 to 00:00.
    for closure in page.schedule.closures:
        if closure.last_day >= today:
            specs.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "opens": "00:00",
                    "closes": "00:00",
                    "validFrom": closure.start_date.isoformat(),
                    "validThrough": closure.last_day.isoformat(),
                }
            )
    return specs


def museum_jsonld(page, request, image_url: str = "") -> dict:
    """The schema.org Museum node of a museum page."""
    today = clock.now().date()
    url = request.build_absolute_uri(page.get_url(request))
    same_as = [page.website, *(link.url for link in page.social_links.all())]
    data = {
        "@context": jsonld.SCHEMA_CONTEXT,
        "@type": "Museum",
        "@id": f"{url}#musee",
        "name": page.display_name,
        "alternateName": page.title if page.short_name else "",
        "url": url,
        "description": page.search_description,
        "image": image_url,
        "telephone": page.phone,
        "email": page.email,
        "sameAs": [u for u in same_as if u],
        "publicAccess": True,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(filter(None, [page.address_place, page.address])),
            "postalCode": page.postcode,
            "addressLocality": page.commune,
            "addressRegion": page.region or page.departement_name,
            "addressCountry": "FR",
        },
        "openingHoursSpecification": _opening_specs(page, today),
    }
    if page.museofile_id:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "Muséofile",
            "value": page.museofile_id,
        }
    if page.has_coordinates:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": page.latitude,
            "longitude": page.longitude,
        }
    if page.admission_free:
        data["isAccessibleForFree"] = True
    return jsonld.compact(data)
