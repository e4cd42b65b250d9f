"""A document's links to the apps below the library — the events it came from (the slides of a talk), the measures
it is a source of, the guide edition it is — read in both directions, each side filtered by what the reader may open.

The library owns the links (``Document.events``, ``talks``, ``sources``, ``edition``); events and measures show
the documents through the library's AppConfig panels, so neither imports the library.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from trygg.events.models import Event, ProgrammeItem
from trygg.measures import catalogue
from trygg.measures.models import Edition, Measure

from .models import Document
from .services import visible_documents


@dataclass
class Links:
    events: list[Event] = field(default_factory=list)
    talks: list[ProgrammeItem] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    edition: Edition | None = None

    def __bool__(self) -> bool:
        return bool(self.events or self.talks or self.measures or self.edition)


def of_document(user, document: Document) -> Links:
    """What ``document`` links to that ``user`` may see: events they may open, published measures (or drafts for
    editors) that cite it."""
    events = [event for event in document.events.all() if user.has_perm("events.view_event", event)]
    talks = [
        talk
        for talk in document.talks.select_related("event").order_by("start")
        if user.has_perm("events.view_event", talk.event)
    ]
    measures = catalogue.visible_measures(user).filter(sources__in=document.sources.all()).distinct().order_by("name")
    return Links(events, talks, list(measures), document.edition)


def for_event(user, event: Event) -> list[tuple[Document, ProgrammeItem | None]]:
    """The documents ``user`` may open from ``event``, each with the talk it is the slides of (if any)."""
    talks = Prefetch("talks", ProgrammeItem.objects.filter(event=event).order_by("start"), to_attr="event_talks")
    documents = visible_documents(user).filter(Q(events=event) | Q(talks__event=event)).distinct()
    return [(d, next(iter(d.event_talks), None)) for d in documents.order_by("title").prefetch_related(talks)]


def for_measure(user, measure: Measure) -> QuerySet[Document]:
    """The documents ``user`` may open that are the text of one of ``measure``'s sources."""
    return visible_documents(user).filter(sources__in=measure.sources.all()).distinct().order_by("title")
