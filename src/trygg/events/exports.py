"""The files an event hands out: the programme and name badges as PDF, lists for KS staff as Excel or CSV.

Functions take an event and return bytes; views decide who may have them. Labels are translated here, into
the current language.

PDFs are typeset by Typst. All data reaches a template as one JSON value through ``sys_inputs`` and is shown
as plain text, so nothing a user types can become markup. Only Typst's bundled fonts are used, so a PDF looks
the same on every server.

Spreadsheets (trygg.core.documents): every cell passes through ``neutralise``, the one guard against formula
injection. Amounts are
numbers in Excel, shown with two decimals. CSV is UTF-8 with a BOM, separated by semicolons, with a decimal
comma and no thousands separator ("123000,00"), as Norwegian Excel opens it. Dates are ISO 8601 in both.
"""

import datetime as dt
import unicodedata
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import dateformat, formats
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from trygg.core import documents
from trygg.core.documents import Sheet, to_xlsx

from .models import Event, Registration
from .services import TimedItem, confirmed, invoice_basis, timetable

TYPST_DIR = Path(__file__).parent / "typst"
NORWEGIAN_LAST_LETTERS = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})  # after "z"

# Common text -------------------------------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """ "tirsdag 23. mars 2027": the weekday helps readers of a programme more than the ISO date."""
    return f"{dateformat.format(day, 'l')} {formats.date_format(day)}"


def clock(moment: dt.datetime) -> str:
    """ "11.30", as the source deck writes times (in any language)."""
    return moment.strftime("%H.%M")


def money(amount: Decimal) -> str:
    return _("NOK %(amount)s") % {"amount": formats.number_format(amount, 2, force_grouping=True)}


def event_dates(event: Event) -> str:
    if not event.start_date:
        return _("Date not set")
    if not event.end_date or event.end_date == event.start_date:
        return long_date(event.start_date)
    return f"{long_date(event.start_date)} – {long_date(event.end_date)}"


def _language() -> str:
    """The current language as Typst wants it for hyphenation: "nb", not "nb-no"."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _place(event: Event) -> str:
    return ", ".join(filter(None, [event.venue, event.city]))


def _names(organisations) -> str:
    return ", ".join(str(organisation) for organisation in organisations)


def norwegian_order(text: str) -> str:
    """Sort key for Norwegian, alike on every database: Æ, Ø, Å after Z (code points give Å, Æ, Ø), é as e."""
    folded = text.casefold().translate(NORWEGIAN_LAST_LETTERS)
    return "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char))


def _registration_order(registration: Registration) -> tuple:
    municipality = registration.municipality
    name = norwegian_order(registration.name)
    return municipality is None, norwegian_order(str(municipality or "")), name


def confirmed_in_order(event: Event) -> list[Registration]:
    """Confirmed delegates by municipality, then name; those outside the quotas (no municipality) last."""
    return sorted(confirmed(event).select_related("municipality"), key=_registration_order)


# PDF ---------------------------------------------------------------------------------------------------


def typeset(template: str, data: dict) -> bytes:
    return documents.typeset(TYPST_DIR, template, data)


def _speaker(speaker) -> dict:
    """The speaker as written (a placeholder stays a placeholder), and apart from it where they come from: their
    organisation, or the municipality they work for. An affiliation the placeholder already names is not repeated."""
    affiliation = str(speaker.affiliation or "")
    named = speaker.person is None and affiliation and affiliation in speaker.placeholder
    return {"name": str(speaker), "affiliation": "" if named else affiliation}


def _item(timed: TimedItem) -> dict:
    """One line of the timetable."""
    item = timed.item
    return {
        "time": clock(timed.start) if timed.end is None else f"{clock(timed.start)}–{clock(timed.end)}",
        "kind": item.get_kind_display(),
        "title": item.title,
        "location": item.location,
        "questions": item.question_lines,
        "speakers": [_speaker(speaker) for speaker in item.speakers.all()],
    }


def _days(event: Event) -> list[dict]:
    return [
        {
            "heading": _("Day %(number)s: %(date)s") % {"number": number, "date": long_date(day.date)},
            "items": [_item(timed) for timed in day.items],
        }
        for number, day in enumerate(timetable(event), start=1)
    ]


def _facts(event: Event) -> list[list[str]]:
    facts = [
        [_("Place"), _place(event) or _("Not decided")],
        [_("Dates"), event_dates(event)],
        [_("Organisers"), _names(event.organisers.all())],
        [_("Partners"), _names(event.partners.all())],
    ]
    return [fact for fact in facts if fact[1]]


def _price(event: Event) -> str | None:
    if not (event.price_per_person or event.included_lines or event.excluded_lines):
        return None
    return _("Price per person: %(price)s") % {"price": money(event.price_per_person)}


def _support_team(event: Event) -> list[dict]:
    members = event.support_members()
    return [
        {
            "name": str(member.person or ""),
            "organisation": str(member.organisation or ""),
            "role": member.role,
        }
        for member in members
    ]


def _programme_labels() -> dict:
    return {
        "page": _("Page %(page)s of %(total)s"),
        "objectives": _("Objectives"),
        "programme": _("Programme"),
        "no_programme": _("The programme is not ready yet."),
        "speakers": _("Speakers"),
        "room": _("Room"),
        "package": _("Package price"),
        "includes": _("Included"),
        "excludes": _("Not included"),
        "support": _("Support team"),
        "support_columns": [_("Name"), _("Organisation"), _("Role")],
    }


def programme_data(event: Event) -> dict:
    return {
        "lang": _language(),
        "author": _names(event.organisers.all()) or "Trygg",
        "title": event.title,
        "kind": event.get_kind_display(),
        "description": event.description,
        "facts": _facts(event),
        "objectives": event.objective_lines,
        "days": _days(event),
        "price": _price(event),
        "includes": event.included_lines,
        "excludes": event.excluded_lines,
        "support": _support_team(event),
        "labels": _programme_labels(),
    }


def programme_pdf(event: Event) -> bytes:
    """The programme on A4, from the same timetable as the web page and the calendar files."""
    return typeset("programme.typ", programme_data(event))


def badges_data(event: Event) -> dict:
    return {
        "lang": _language(),
        "author": _names(event.organisers.all()) or "Trygg",
        "title": _("Name badges: %(event)s") % {"event": event.title},
        "event": event.title,
        "subtitle": " · ".join(filter(None, [event.city, event_dates(event)])),
        "badges": [
            {"name": r.name, "organisation": r.organisation, "municipality": str(r.municipality or "")}
            for r in confirmed_in_order(event)
        ],
        "labels": {"none": _("No confirmed participants yet.")},
    }


def badges_pdf(event: Event) -> bytes:
    """Badges of the confirmed delegates, eight to an A4 sheet (2 × 4), in the participant list's order."""
    return typeset("badges.typ", badges_data(event))


# Spreadsheets ------------------------------------------------------------------------------------------


def to_csv(sheets: list[Sheet]) -> bytes:
    """One table: the first sheet's preamble and header, then every sheet's rows (they share the header)."""
    first = sheets[0]
    lines = [*first.preamble, *([[]] if first.preamble else []), first.header]
    for sheet in sheets:
        lines += [*sheet.rows, *([sheet.total] if sheet.total else [])]
    return documents.write_csv(lines)


def render(event: Event, sheets: list[Sheet], file_format: str) -> bytes:
    return to_csv(sheets) if file_format == "csv" else to_xlsx(event.title, sheets)


def _participant_sheet(title: str, registrations, personal: bool) -> Sheet:
    """Without ``personal``, the names, roles and delegations only: no contact details, no needs."""
    private = [_("E-mail"), _("Phone"), _("Dietary needs"), _("Accessibility needs")] if personal else []
    header = [
        _("Municipality"),
        _("Name"),
        _("Role"),
        _("Organisation"),
        *private,
        _("Needs a hotel room"),
        _("Status"),
    ]
    rows = []
    for r in registrations:
        details = [r.email, r.phone, r.dietary_needs, r.accessibility_needs] if personal else []
        rows.append(
            [
                str(r.delegation or ""),
                r.name,
                r.get_role_display(),
                r.organisation,
                *details,
                _("Yes") if r.overnight else _("No"),
                r.get_status_display(),
            ]
        )
    return Sheet(title, header, rows)


def participants(event: Event, file_format: str, personal: bool = True) -> bytes:
    """Confirmed delegates by municipality and name, then the waiting list in the order places are offered."""
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).select_related("municipality")
    sheets = [
        _participant_sheet(_("Participants"), confirmed_in_order(event), personal),
        _participant_sheet(_("Waiting list"), waiting.order_by("created_at", "pk"), personal),
    ]
    return render(event, sheets, file_format)


def _who(registration: Registration) -> str:
    if registration.municipality:
        return f"{registration.name} ({registration.municipality})"
    return registration.name


def _need_rows(kind: str, delegates: list[Registration], field_name: str) -> list[list]:
    """One row per need, most common first. Needs are free text: case and spacing do not split a need."""
    grouped = {}
    for registration in delegates:
        need = " ".join(getattr(registration, field_name).split())
        if need:
            grouped.setdefault(need.casefold(), (need, []))[1].append(_who(registration))
    by_count = sorted(grouped.values(), key=lambda entry: (-len(entry[1]), norwegian_order(entry[0])))
    return [[kind, need, len(who), "; ".join(who)] for need, who in by_count]


def needs(event: Event, file_format: str) -> bytes:
    """For the venue: each dietary and accessibility need of the confirmed delegates, how many and who."""
    delegates = confirmed_in_order(event)
    rows = [
        *_need_rows(_("Dietary"), delegates, "dietary_needs"),
        *_need_rows(_("Accessibility"), delegates, "accessibility_needs"),
    ]
    sheet = Sheet(_("Needs"), [_("Kind"), _("Need"), _("Count"), _("Participants")], rows)
    return render(event, [sheet], file_format)


def stay(event: Event) -> tuple[dt.date | None, dt.date | None]:
    """Arrival and departure: the event's first and last day; a one-day event still needs one night."""
    if not event.start_date:
        return None, None
    return event.start_date, max(event.end_date or event.start_date, event.start_date + dt.timedelta(days=1))


def rooming(event: Event, file_format: str) -> bytes:
    """The hotel's rooming list: confirmed delegates who need a room, with any accessibility needs."""
    arrival, departure = stay(event)
    nights = (departure - arrival).days if arrival else None
    header = [
        _("Name"),
        _("Municipality"),
        _("Organisation"),
        _("Arrival"),
        pgettext("hotel stay", "Departure"),
        _("Nights"),
        _("Accessibility needs"),
    ]
    rows = [
        [r.name, str(r.municipality or ""), r.organisation, arrival, departure, nights, r.accessibility_needs]
        for r in confirmed_in_order(event)
        if r.overnight
    ]
    preamble = [[_("Rooming list"), event.title], [_("Place"), _place(event)], [_("Rooms"), len(rows)]]
    return render(event, [Sheet(_("Rooming list"), header, rows, preamble)], file_format)


def invoice(event: Event, file_format: str) -> bytes:
    """What each municipality and partner organisation is invoiced: confirmed delegates × the package price."""
    lines = invoice_basis(event)
    header = [
        _("Municipality or organisation"),
        _("Municipality number"),
        _("Delegates"),
        _("Unit price (NOK)"),
        _("Total (NOK)"),
    ]
    rows = [
        [
            line.payer.name,
            line.number,
            line.count,
            line.unit_price,
            line.total,
        ]
        for line in lines
    ]
    total = [
        _("Total"),
        "",
        sum(line.count for line in lines),
        "",
        sum((line.total for line in lines), Decimal("0.00")),
    ]
    preamble = [
        [_("Invoice basis"), event.title],
        [_("Dates"), event_dates(event)],
        [_("The package includes"), "; ".join(event.included_lines)],
        [_("Not included"), "; ".join(event.excluded_lines)],
    ]
    return render(event, [Sheet(_("Invoice basis"), header, rows, preamble, total)], file_format)
