"""Downloads of an event: the public programme (PDF, iCal); lists and badges for those who see registrations.

Lists and badges hold personal data: every download is recorded in the audit trail and kept out of caches.
"""

from functools import partial

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from trygg.core.audit import record_read
from trygg.core.documents import FORMATS
from trygg.core.downloads import download
from trygg.core.permissions import permission_required

from .. import exports, ical
from ..models import Event
from .events import get_event


def _download(event: Event, content: bytes, name: str, extension: str, inline: bool = False) -> HttpResponse:
    """The file named after the event, e.g. "bekjempelse-av-mc-kriminalitet-…-program.pdf"."""
    return download(content, [event.title, name], extension, inline)


@permission_required("events.view_event", fn=get_event)
def programme_pdf(request, pk):
    event = get_event(request, pk)
    return _download(event, exports.programme_pdf(event), _("programme"), "pdf", inline=True)


@permission_required("events.view_event", fn=get_event)
def programme_ics(request, pk):
    event = get_event(request, pk)
    return _download(event, ical.event_calendar(event), _("programme"), "ics")


@permission_required("events.view_event", fn=get_event)
def item_ics(request, pk, item_pk):
    event = get_event(request, pk)
    calendar = ical.item_calendar(event, item_pk)
    if calendar is None:
        raise Http404
    return _download(event, calendar, f"{_('programme')}-{item_pk}", "ics")


@never_cache
@permission_required("events.view_registrations", fn=get_event)
def badges_pdf(request, pk):
    event = get_event(request, pk)
    content = exports.badges_pdf(event)
    record_read(event)
    return _download(event, content, _("badges"), "pdf", inline=True)


def _spreadsheet(event: Event, build, name: str, file_format: str, personal: bool = True) -> HttpResponse:
    """Build an xlsx or csv export; lists of people are recorded as reads of the event's personal data."""
    if file_format not in FORMATS:
        raise Http404
    content = build(event, file_format)
    if personal:
        record_read(event)
    return _download(event, content, name, file_format)


@never_cache
@permission_required("events.view_registrations", fn=get_event)
def participants_export(request, pk, format):
    """Contact details and needs only for those allowed them (KS, a partner KS has granted them)."""
    event = get_event(request, pk)
    personal = request.user.has_perm("events.view_personal_data", event)
    build = partial(exports.participants, personal=personal)
    return _spreadsheet(event, build, _("participants"), format)


@never_cache
@permission_required("events.view_personal_data", fn=get_event)
def needs_export(request, pk, format):
    return _spreadsheet(get_event(request, pk), exports.needs, _("needs"), format)


@never_cache
@permission_required("events.view_personal_data", fn=get_event)
def rooming_export(request, pk, format):
    return _spreadsheet(get_event(request, pk), exports.rooming, _("rooming-list"), format)


@never_cache
@permission_required("events.manage_registrations", fn=get_event)
def invoice_export(request, pk, format):
    return _spreadsheet(get_event(request, pk), exports.invoice, _("invoice-basis"), format, personal=False)


urlpatterns = [
    path("<int:pk>/program.pdf", programme_pdf, name="programme_pdf"),
    path("<int:pk>/program.ics", programme_ics, name="programme_ics"),
    path("<int:pk>/program/<int:item_pk>.ics", item_ics, name="item_ics"),
    path("<int:pk>/navneskilt.pdf", badges_pdf, name="badges_pdf"),
    path("<int:pk>/deltakere.<str:format>", participants_export, name="participants_export"),
    path("<int:pk>/behov.<str:format>", needs_export, name="needs_export"),
    path("<int:pk>/romliste.<str:format>", rooming_export, name="rooming_export"),
    path("<int:pk>/fakturagrunnlag.<str:format>", invoice_export, name="invoice_export"),
]
