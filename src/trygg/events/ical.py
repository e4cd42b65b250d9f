"""iCalendar files for an event and for each programme item, built from the same timetable as the web page."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Speaker
from .services import TimedItem, timetable

# Stable identifiers let calendars update an item instead of duplicating it when the programme changes.
UID_DOMAIN = (settings.ALLOWED_HOSTS or ["trygg"])[0]


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//KS//Trygg//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def _vevent(event, timed: TimedItem) -> VEvent:
    item = timed.item
    vevent = VEvent()
    vevent.add("uid", f"trygg-event-{event.pk}-item-{item.pk}@{UID_DOMAIN}")
    vevent.add("dtstamp", item.start)
    vevent.add("dtstart", timed.start)
    if timed.end:
        vevent.add("dtend", timed.end)
    vevent.add("summary", f"{item.title} – {event.title}")
    speakers = ", ".join(str(speaker) for speaker in item.speakers.all())
    description = "\n".join(filter(None, [speakers, *item.question_lines]))
    if description:
        vevent.add("description", description)
    location = ", ".join(filter(None, [item.location, event.venue, event.city]))
    if location:
        vevent.add("location", location)
    return vevent


def event_calendar(event) -> bytes:
    """The whole programme as one calendar, built once per version of the programme.

    Every confirmation e-mail attaches it, so building it anew each time would cost more than the registration.
    """
    return cache.get_or_set(f"events:ical:{event.pk}:{_programme_version(event)}", lambda: _build(event), 3600)


def _programme_version(event) -> str:
    """A digest of everything the calendar shows; any change to the event, an item or a speaker changes it."""
    items = event.programme.values_list("pk", "start", "end", "kind", "title", "questions", "location")
    speakers = Speaker.objects.filter(item__event=event).values_list(
        "item_id", "person__name", "placeholder", "organisation__name", "alternative_to__name", "order"
    )
    state = repr((event.title, event.venue, event.city, list(items), sorted(speakers, key=repr)))
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def _build(event) -> bytes:
    calendar = _calendar()
    calendar.add("x-wr-calname", event.title)
    for day in timetable(event):
        for timed in day.items:
            calendar.add_component(_vevent(event, timed))
    return calendar.to_ical()


def item_calendar(event, item_pk: int) -> bytes | None:
    """One programme item as a calendar, or None if it is not part of the event."""
    for day in timetable(event):
        for timed in day.items:
            if timed.item.pk == item_pk:
                calendar = _calendar()
                calendar.add_component(_vevent(event, timed))
                return calendar.to_ical()
    return None
