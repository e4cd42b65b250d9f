"""iCalendar files for an event and for each programme item, built from the same timetable as the web page.

The event's feed holds one calendar event per day, from the day's first item to its last, with the day's programme
in the description. A participant attends the whole day, so that is what their calendar should block; sixteen
entries with "Pause" and "Lunsj" as appointments of their own would bury the rest of the week, and merging items
into sessions would guess where one session ends. Whoever wants a single session takes that item's own file, linked
from the programme page.

Times carry the TZID Europe/Oslo with its VTIMEZONE (icalendar builds it from zoneinfo), so calendars in other
zones show the right hour; DTSTAMP is when the file was made, as RFC 5545 asks.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from .exports import clock
from .models import Speaker
from .services import ProgrammeDay, TimedItem, timetable

# Stable identifiers let calendars update an item instead of duplicating it when the programme changes.
UID_DOMAIN = (settings.ALLOWED_HOSTS or ["trygg"])[0]


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//KS//Trygg//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _finished(calendar: Calendar) -> bytes:
    """The VTIMEZONE for every zone the events use, from a year before the first to a year after the last."""
    starts = [component.decoded("dtstart").date() for component in calendar.walk("VEVENT")]
    if starts:
        first, last = min(starts), max(starts)
        calendar.add_missing_timezones(first - dt.timedelta(days=366), last + dt.timedelta(days=366))
    return calendar.to_ical()


def _vevent(uid: str, start: dt.datetime, end: dt.datetime | None, summary: str, description: str, location: str):
    vevent = VEvent()
    vevent.add("uid", f"{uid}@{UID_DOMAIN}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", start)
    if end:
        vevent.add("dtend", end)
    vevent.add("summary", summary)
    if description:
        vevent.add("description", description)
    if location:
        vevent.add("location", location)
    return vevent


def _place(event, timed: TimedItem | None = None) -> str:
    room = timed.item.location if timed else ""
    return ", ".join(filter(None, [room, event.venue, event.city]))


def _item_lines(timed: TimedItem) -> list[str]:
    """An item as the programme shows it: time and title, then its speakers and questions, indented."""
    item = timed.item
    time = clock(timed.start) if timed.end is None else f"{clock(timed.start)}–{clock(timed.end)}"
    details = [str(speaker) for speaker in item.speakers.all()] + item.question_lines
    room = [item.location] if item.location else []
    return [f"{time} {item.title}", *(f"  {line}" for line in room + details)]


def _day_vevent(event, number: int, day: ProgrammeDay) -> VEvent:
    """The whole day as one entry: first item to the last one's end (or start, for "end of day")."""
    last = day.items[-1]
    return _vevent(
        f"trygg-event-{event.pk}-day-{number}",  # the day's number, so a moved date updates the same entry
        day.items[0].start,
        last.end or last.start,
        _("%(event)s – day %(number)d") % {"event": event.title, "number": number},
        "\n".join(line for timed in day.items for line in _item_lines(timed)),
        _place(event),
    )


def _item_vevent(event, timed: TimedItem) -> VEvent:
    item = timed.item
    speakers = ", ".join(str(speaker) for speaker in item.speakers.all())
    return _vevent(
        f"trygg-event-{event.pk}-item-{item.pk}",
        timed.start,
        timed.end,
        f"{item.title} – {event.title}",
        "\n".join(filter(None, [speakers, *item.question_lines])),
        _place(event, timed),
    )


def event_calendar(event) -> bytes:
    """The whole programme as one calendar, built once per version of the programme and language.

    Every confirmation e-mail attaches it, so building it anew each time would cost more than the registration.
    """
    key = f"events:ical:{event.pk}:{get_language()}:{_programme_version(event)}"
    return cache.get_or_set(key, lambda: _build(event), 3600)


def _programme_version(event) -> str:
    """A digest of everything the calendar shows; any change to the event, an item or a speaker changes it."""
    items = event.programme.values_list("pk", "start", "end", "kind", "title", "questions", "location")
    speakers = Speaker.objects.filter(item__event=event).values_list(
        "item_id", "person__name", "placeholder", "organisation__name", "alternative_to__name", "order"
    )
    state = repr((event.title, event.venue, event.city, list(items), sorted(speakers, key=repr)))
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def _build(event) -> bytes:
    calendar = _calendar(event.title)
    for number, day in enumerate(timetable(event), start=1):
        calendar.add_component(_day_vevent(event, number, day))
    return _finished(calendar)


def item_calendar(event, item_pk: int) -> bytes | None:
    """One programme item as a calendar, or None if it is not part of the event."""
    for day in timetable(event):
        for timed in day.items:
            if timed.item.pk == item_pk:
                calendar = _calendar(event.title)
                calendar.add_component(_item_vevent(event, timed))
                return _finished(calendar)
    return None
