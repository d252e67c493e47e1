"""The current local time, in one place so that tests can set the clock.

Templates and presenters call `clock.now()` (never `timezone.now()` directly) when what they show
depends on the hour, such as a museum's "open now" status.
"""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    """The current date and time in the site's time zone (Europe/Paris)."""
    return timezone.localtime()
