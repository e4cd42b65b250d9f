"""How the case pages word time left on a target."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value: timedelta) -> str:
    """Days and hours, or hours and minutes under a day: "2 d 4 t", "3 t 15 min"; the absolute value."""
    minutes = int(abs(value).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days} + (
            " " + ngettext("%(hours)d hour", "%(hours)d hours", hours) % {"hours": hours} if hours else ""
        )
    if hours:
        return ngettext("%(hours)d hour", "%(hours)d hours", hours) % {"hours": hours} + (
            " " + _("%(minutes)d min") % {"minutes": minutes} if minutes else ""
        )
    return _("%(minutes)d min") % {"minutes": minutes}
