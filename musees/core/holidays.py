"""French public holidays (jours fériés) for any year; Easter by the Gregorian computus."""

import datetime

from django.utils.translation import gettext_lazy as _

# Keys are stable identifiers stored on museums ("closed on these holidays").
HOLIDAY_CHOICES = [
    ("jour_an", _("1er janvier")),
    ("lundi_paques", _("Lundi de Pâques")),
    ("fete_travail", _("1er mai")),
    ("victoire_1945", _("8 mai")),
    ("ascension", _("Ascension")),
    ("lundi_pentecote", _("Lundi de Pentecôte")),
    ("fete_nationale", _("14 juillet")),
    ("assomption", _("15 août")),
    ("toussaint", _("1er novembre")),
    ("armistice", _("11 novembre")),
    ("noel", _("25 décembre")),
]
HOLIDAY_LABELS = dict(HOLIDAY_CHOICES)


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def french_holidays(year: int) -> dict[datetime.date, str]:
    """The national public holidays of metropolitan France in a year, as {date: key}."""
    easter = easter_sunday(year)
    return {
        datetime.date(year, 1, 1): "jour_an",
        easter + datetime.timedelta(days=1): "lundi_paques",
        datetime.date(year, 5, 1): "fete_travail",
        datetime.date(year, 5, 8): "victoire_1945",
        easter + datetime.timedelta(days=39): "ascension",
        easter + datetime.timedelta(days=50): "lundi_pentecote",
        datetime.date(year, 7, 14): "fete_nationale",
        datetime.date(year, 8, 15): "assomption",
        datetime.date(year, 11, 1): "toussaint",
        datetime.date(year, 11, 11): "armistice",
        datetime.date(year, 12, 25): "noel",
    }


def holiday_on(day: datetime.date) -> str | None:
    """The key of the public holiday falling on a date, or None."""
    return french_holidays(day.year).get(day)
