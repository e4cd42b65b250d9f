"""Exports of the demo trip, fetched over HTTP and read back: PDFs, calendars, spreadsheets, who gets them."""

import csv
import datetime as dt
import io
import math
import subprocess
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar
from openpyxl import load_workbook

from tests.conftest import ROLES, assert_no_cell_can_start_a_formula, logged_in_client, make_user, spoken
from trygg.core.documents import neutralise
from trygg.core.models import Area, AuditEntry, Role
from trygg.events import exports
from trygg.events.demo import FIRST_DAY
from trygg.events.models import Event, ProgrammeItem, Registration
from trygg.events.services import confirmed, timetable

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil","x")'
PERSONAL = ["participants_export", "needs_export", "rooming_export"]
DECK_DETAILS = [
    spoken(FIRST_DAY, "nb"),
    spoken(FIRST_DAY + dt.timedelta(days=1), "nb"),
    "Ikke navngitt ennå",
    "Tore Bjørgo, Politihøgskolen",
    "3 000,00",
    "Fly tur/retur København",
]


def nb(label) -> str:
    """A label as the bokmål export shows it, whether or not it is translated yet."""
    with translation.override("nb"):
        return gettext(label) if isinstance(label, str) else str(label)


def url(name, event, **kwargs):
    return reverse(f"events:{name}", kwargs={"pk": event.pk, **kwargs})


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def table(worksheet, first_header: str) -> list[list]:
    """The rows below the header row that starts with ``first_header`` (skipping any preamble)."""
    rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[0] == first_header)
    return rows[start + 1 :]


def reads_of(event, user):
    return AuditEntry.objects.get_for_object(event).filter(action=AuditEntry.Action.ACCESS, actor=user)


# Programme -------------------------------------------------------------------------------------------------


def test_programme_pdf_shows_both_days_in_order_for_anyone(trip, clients, tmp_path):
    response = clients["anonymous"].get(url("programme_pdf", trip))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    position = 0
    for day in timetable(trip):
        for timed in day.items:
            for expected in (timed.start.strftime("%H.%M"), timed.item.title):
                position = text.index(expected, position)
    assert text.index("11.30") < text.index("Velkommen") < text.index("13.00") < text.index("Lunsj. Hjem")
    for expected in DECK_DETAILS:
        assert expected in text


def test_programme_pdf_of_an_event_without_programme_or_dates(municipalities, clients, tmp_path):
    event = Event.objects.create(title="Nettverksmøte", city="Hamar", status=Event.Status.PLANNED)
    response = clients["ks_adviser"].get(url("programme_pdf", event))
    assert response.status_code == 200
    assert "Nettverksmøte" in pdf_text(response.content, tmp_path)


def _vevents(content):
    return Calendar.from_ical(content).walk("VEVENT")


def _assert_oslo_time_and_generated_now(content, before):
    """Every time carries Europe/Oslo with its VTIMEZONE; DTSTAMP is when the file was made, not the item's start."""
    calendar = Calendar.from_ical(content)
    assert [zone["tzid"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    for vevent in calendar.walk("VEVENT"):
        assert vevent["dtstart"].params["TZID"] == "Europe/Oslo"
        assert vevent.decoded("dtstart").tzinfo.key == "Europe/Oslo"
        assert before - dt.timedelta(seconds=1) <= vevent.decoded("dtstamp") <= timezone.now()


def test_programme_calendar_has_one_event_per_day_with_the_programme_in_it(trip, clients):
    cache.clear()
    before = timezone.now()
    response = clients["anonymous"].get(url("programme_ics", trip))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert ".ics" in response["Content-Disposition"]
    _assert_oslo_time_and_generated_now(response.content, before)
    days = timetable(trip)
    events = _vevents(response.content)
    assert len(events) == len(days) == 2
    for vevent, day in zip(events, days, strict=True):
        assert vevent.decoded("dtstart") == day.items[0].start
        assert vevent.decoded("dtend") == (day.items[-1].end or day.items[-1].start)
        for timed in day.items:  # breaks and meals are in the day's description, not entries of their own
            assert timed.item.title in str(vevent["description"])
    summaries = [str(vevent["summary"]) for vevent in events]
    assert not any(word in summary for summary in summaries for word in ("Pause", "Lunsj"))


def test_item_calendar_only_for_the_events_own_items(trip, clients):
    item = trip.programme.get(title="Vi utvider perspektivet")
    before = timezone.now()
    response = clients["anonymous"].get(url("item_ics", trip, item_pk=item.pk))
    _assert_oslo_time_and_generated_now(response.content, before)
    assert [vevent.decoded("dtstart") for vevent in _vevents(response.content)] == [item.start]
    other = Event.objects.create(title="Annet", city="Oslo", status=Event.Status.PLANNED)
    foreign = ProgrammeItem.objects.create(event=other, start=item.start, title="Annet")
    assert clients["ks_admin"].get(url("item_ics", trip, item_pk=foreign.pk)).status_code == 404


def test_the_programme_links_each_items_calendar_file(trip, clients):
    text = clients["anonymous"].get(url("detail", trip)).content.decode()
    for item in trip.programme.all():
        assert f'href="{url("item_ics", trip, item_pk=item.pk)}"' in text


# Badges ----------------------------------------------------------------------------------------------------


def test_badges_one_page_per_eight_confirmed_delegates(trip, users, clients, tmp_path):
    response = clients["ks_adviser"].get(url("badges_pdf", trip))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    count = confirmed(trip).count()
    assert pdf_pages(response.content, tmp_path) == math.ceil(count / 8) == 6
    text = pdf_text(response.content, tmp_path)
    for name in confirmed(trip).values_list("name", flat=True):
        assert name in text
    assert "Vente Listesen" not in text
    assert reads_of(trip, users["ks_adviser"]).count() == 1


def test_badges_are_ordered_by_municipality_then_name(trip):
    badges = exports.badges_data(trip)["badges"]
    assert [b["municipality"] for b in badges][:3] == ["Bergen", "Bærum", "Bærum"]
    keys = [(exports.norwegian_order(b["municipality"]), exports.norwegian_order(b["name"])) for b in badges]
    assert keys == sorted(keys)
    names = ["Ås", "Øvre Eiker", "Ærø", "Zeta", "Évje", "Aal"]
    assert sorted(names, key=exports.norwegian_order) == ["Aal", "Évje", "Zeta", "Ærø", "Øvre Eiker", "Ås"]


def test_a_very_long_name_shrinks_and_never_breaks_the_sheet(trip, tmp_path):
    data = exports.badges_data(trip)
    data["badges"][0]["name"] = ("Bartholomew Maximilian Fitzgerald-Montgomery " * 7)[:300]
    data["badges"][1]["name"] = "X" * 300
    data["badges"][2]["organisation"] = "O" * 300
    pdf = exports.typeset("badges.typ", data)
    assert pdf_pages(pdf, tmp_path) == math.ceil(len(data["badges"]) / 8)
    assert "Bartholomew" in pdf_text(pdf, tmp_path)


def test_typst_markup_in_a_name_is_shown_as_written(trip, tmp_path):
    data = exports.badges_data(trip)
    data["badges"][0]["name"] = '#read("badges.typ") *bold* $x$'
    text = pdf_text(exports.typeset("badges.typ", data), tmp_path)
    assert '#read("badges.typ") *bold* $x$' in text
    assert "fitted-name" not in text


# Spreadsheets ----------------------------------------------------------------------------------------------


def test_participant_list_as_excel(trip, users, clients):
    response = clients["ks_admin"].get(url("participants_export", trip, format="xlsx"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    workbook = read_xlsx(response.content)
    participants, waiting = workbook.worksheets
    rows = table(participants, nb("Municipality"))
    assert len(rows) == confirmed(trip).count() == 41
    assert {row[-1] for row in rows} == {nb(Registration.Status.CONFIRMED.label)}
    assert [row[0] for row in rows] == sorted((row[0] for row in rows), key=exports.norwegian_order)
    waiting_rows = table(waiting, nb("Municipality"))
    queue = trip.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")
    assert [row[1] for row in waiting_rows] == list(queue.values_list("name", flat=True))
    assert len(waiting_rows) == 2
    assert reads_of(trip, users["ks_admin"]).count() == 1


def test_participant_list_as_csv_for_norwegian_excel(trip, clients):
    response = clients["ks_admin"].get(url("participants_export", trip, format="csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"{nb('participants')}.csv" in response["Content-Disposition"]
    header, *rows = read_csv(response.content)
    assert header[:3] == [nb("Municipality"), nb("Name"), nb("Role")]
    statuses = [row[-1] for row in rows]
    assert statuses.count(nb(Registration.Status.CONFIRMED.label)) == confirmed(trip).count()
    assert statuses[-2:] == [nb(Registration.Status.WAITLISTED.label)] * 2
    registration = confirmed(trip).filter(municipality__name="Bergen").first()
    row = next(row for row in rows if row[1] == registration.name)
    assert row[0] == "Bergen"
    assert row[4] == registration.email


def test_formula_injection_is_neutralised_in_csv_and_excel(trip, clients):
    registration = confirmed(trip).filter(municipality__name="Bergen").first()
    registration.name = EVIL
    registration.phone = "+4712345678"
    registration.save()
    rows = read_csv(clients["ks_admin"].get(url("participants_export", trip, format="csv")).content)
    evil_row = next(row for row in rows if EVIL in row[1])
    assert evil_row[1] == "'" + EVIL
    assert evil_row[5] == "'+4712345678"
    response = clients["ks_admin"].get(url("participants_export", trip, format="xlsx"))
    worksheet = read_xlsx(response.content).active
    cell = next(row[1] for row in worksheet.iter_rows() if EVIL in str(row[1].value))
    assert cell.value == "'" + EVIL
    assert cell.data_type == "s"
    needs = read_csv(clients["ks_admin"].get(url("needs_export", trip, format="csv")).content)
    assert not any(value.startswith("=") for row in needs for value in row)


def test_no_formula_starts_after_blanks_or_where_a_spreadsheet_could_split_a_cell(trip, clients):
    registration = confirmed(trip).filter(municipality__name="Bergen").first()
    registration.name = "  =1+1"
    registration.organisation = 'Politiet,=HYPERLINK("http://evil");@SUM(A1)\n-2\t+3'
    registration.dietary_needs = "\u00a0-cmd|' /C calc'!A0"
    registration.save()
    Event.objects.filter(pk=trip.pk).update(title="-Studietur;=1+1", package_includes="Fly\n=HYPERLINK(0)\n@SUM(1)")
    client = clients["ks_admin"]
    for name in ("participants_export", "needs_export", "rooming_export", "invoice_export"):
        content = client.get(url(name, trip, format="csv")).content
        assert_no_cell_can_start_a_formula(content.decode("utf-8-sig"))
    content = client.get(url("participants_export", trip, format="csv")).content.decode("utf-8-sig")
    assert '"Bergen";"  \'=1+1";' in content  # every text field is quoted
    rows = read_csv(content.encode("utf-8-sig"))
    row = next(row for row in rows if "=1+1" in row[1])
    assert row[1] == "  '=1+1"
    assert "Politiet,'=HYPERLINK(\"http://evil\");'@SUM(A1)\n'-2\t'+3" in row


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_quotes_every_formula_start(value):
    assert neutralise(value) == "'" + value
    assert neutralise("Kari Nordmann") == "Kari Nordmann"
    assert neutralise(Decimal("-3000")) == Decimal("-3000")


def test_needs_are_counted_with_who_has_them(trip, clients):
    response = clients["ks_adviser"].get(url("needs_export", trip, format="xlsx"))
    rows = table(read_xlsx(response.content).active, nb("Kind"))
    for field_name, kind in (("dietary_needs", nb("Dietary")), ("accessibility_needs", nb("Accessibility"))):
        expected = {}
        for registration in confirmed(trip).exclude(**{field_name: ""}):
            expected.setdefault(getattr(registration, field_name), []).append(registration.name)
        found = {row[1]: row for row in rows if row[0] == kind}
        assert {need: row[2] for need, row in found.items()} == {need: len(w) for need, w in expected.items()}
        for need, who in expected.items():
            assert all(name in found[need][3] for name in who)


def test_rooming_list_has_those_who_need_a_room(trip, clients):
    response = clients["ks_adviser"].get(url("rooming_export", trip, format="xlsx"))
    rows = table(read_xlsx(response.content).active, nb("Name"))
    assert len(rows) == confirmed(trip).filter(overnight=True).count()
    assert 0 < len(rows) < confirmed(trip).count()
    first, last = FIRST_DAY, FIRST_DAY + dt.timedelta(days=1)
    stay = (dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time()), 1)
    assert {(row[3], row[4], row[5]) for row in rows} == {stay}
    csv_rows = read_csv(clients["ks_adviser"].get(url("rooming_export", trip, format="csv")).content)
    assert csv_rows[0] == [nb("Rooming list"), trip.title]
    assert csv_rows[4][3:5] == ["Ankomst", "Avreise"]  # the hotel's words, not the programme's 'Hjemreise'
    assert {tuple(row[3:6]) for row in csv_rows[5:]} == {(first.isoformat(), last.isoformat(), "1")}


def test_invoice_basis_per_municipality_with_grand_total(trip, clients):
    response = clients["ks_admin"].get(url("invoice_export", trip, format="xlsx"))
    worksheet = read_xlsx(response.content).active
    assert worksheet["B1"].value == trip.title
    assert "Overnatting med frokost" in worksheet["B3"].value
    *lines, total = table(worksheet, nb("Municipality or organisation"))
    counts = {row[0]: row[2] for row in lines}
    for name, count in counts.items():
        assert count == confirmed(trip).filter(municipality__name=name).count()
    assert all(row[3] == 3000 and row[4] == row[2] * 3000 for row in lines)
    assert total[2] == sum(counts.values()) == 41
    assert total[4] == 41 * 3000
    total_cell = next(row[4] for row in worksheet.iter_rows() if row[4].value == 41 * 3000)
    assert total_cell.number_format == "#,##0.00"
    rows = read_csv(clients["ks_admin"].get(url("invoice_export", trip, format="csv")).content)
    assert rows[-1] == [nb("Total"), "", "41", "", "123000,00"]
    assert ["Bergen", "4601", str(counts["Bergen"]), "3000,00", f"{counts['Bergen'] * 3000},00"] in rows


def test_an_event_without_delegates_or_dates_still_exports(municipalities, clients, tmp_path):
    event = Event.objects.create(title="Nettverksmøte", city="Hamar", status=Event.Status.PLANNED)
    client = clients["ks_admin"]
    badges = client.get(url("badges_pdf", event)).content
    assert pdf_pages(badges, tmp_path) == 1
    assert nb("No confirmed participants yet.") in pdf_text(badges, tmp_path)
    participants = read_xlsx(client.get(url("participants_export", event, format="xlsx")).content)
    assert [sheet.max_row for sheet in participants.worksheets] == [1, 1]
    rooming = read_csv(client.get(url("rooming_export", event, format="csv")).content)
    assert rooming[-1][:3] == [nb("Name"), nb("Municipality"), nb("Organisation")]
    invoice = read_csv(client.get(url("invoice_export", event, format="csv")).content)
    assert invoice[-1] == [nb("Total"), "", "0", "", "0,00"]


def test_unknown_format_is_not_found(trip, users, clients):
    for name in [*PERSONAL, "invoice_export"]:
        assert clients["ks_admin"].get(url(name, trip, format="pdf")).status_code == 404
    assert not reads_of(trip, users["ks_admin"]).exists()


# Who may have what -----------------------------------------------------------------------------------------

OK, LOGIN, FORBIDDEN = 200, "login", 403
EXPECTED = {
    # URL name: anonymous, ks_admin, ks_adviser, municipal_contact, partner (mapping only)
    "programme_pdf": (OK, OK, OK, OK, OK),
    "programme_ics": (OK, OK, OK, OK, OK),
    "item_ics": (OK, OK, OK, OK, OK),
    "badges_pdf": (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN),
    "participants_export": (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN),
    "needs_export": (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN),
    "rooming_export": (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN),
    "invoice_export": (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_who_may_download_what(trip, users, clients, name):
    kwargs = {"format": "csv"} if name.endswith("_export") else {}
    if name == "item_ics":
        kwargs = {"item_pk": trip.programme.first().pk}
    for role, expected in zip(ROLES, EXPECTED[name], strict=True):
        response = clients[role].get(url(name, trip, **kwargs))
        if expected == LOGIN:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("core:login"))
        else:
            assert response.status_code == expected, role


def test_refused_downloads_are_not_recorded(trip, users, clients):
    response = clients["municipal_contact"].get(url("participants_export", trip, format="xlsx"))
    assert response.status_code == 403
    assert not AuditEntry.objects.get_for_object(trip).filter(action=AuditEntry.Action.ACCESS).exists()


def test_a_draft_programme_is_for_ks_staff_only(trip, clients):
    trip.status = Event.Status.DRAFT
    trip.save()
    assert clients["anonymous"].get(url("programme_pdf", trip)).status_code == 302
    assert clients["municipal_contact"].get(url("programme_ics", trip)).status_code == 403
    assert clients["ks_adviser"].get(url("programme_pdf", trip)).status_code == 200


def test_a_partner_with_the_events_area_sees_lists_but_not_invoices(trip):
    client = logged_in_client(make_user(Role.PARTNER, username="police", partner_areas=[Area.EVENTS]))
    assert client.get(url("participants_export", trip, format="xlsx")).status_code == 200
    assert client.get(url("invoice_export", trip, format="xlsx")).status_code == 403
