"""Creating and running an event through the web pages: programme, invitations, status, budget."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.conftest import logged_in_client
from trygg.core.models import Organisation
from trygg.events import emails
from trygg.events.models import Event, Invitation, ProgrammeItem

pytestmark = pytest.mark.django_db


def future(days):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_ks_creates_an_event_from_nothing(municipalities, users):
    ks = Organisation.objects.create(name="KS", kind=Organisation.Kind.KS)
    kripos = Organisation.objects.create(name="Kripos", kind=Organisation.Kind.NATIONAL_POLICE)
    admin = logged_in_client(users["ks_adviser"])
    response = admin.post(
        "/arrangementer/ny/",
        {
            "title": "Regionalt seminar om trygghet",
            "kind": "seminar",
            "city": "Hamar",
            "country": "NO",
            "start_date": future(30),
            "end_date": future(30),
            "price_per_person": "1500",
            "desired_composition": ["politician", "slt_coordinator"],
            "organisers": [ks.pk],
            "partners": [kripos.pk],
        },
    )
    event = Event.objects.get(title="Regionalt seminar om trygghet")
    assert response["Location"] == f"/arrangementer/{event.pk}/"
    assert event.status == Event.Status.DRAFT and event.created_by == users["ks_adviser"]
    assert (list(event.organisers.all()), list(event.partners.all())) == ([ks], [kripos])
    assert event.desired_composition == ["politician", "slt_coordinator"] and event.includes_overnight is False
    # A draft is KS staff's own until it is planned.
    assert logged_in_client(users["municipal_contact"]).get(f"/arrangementer/{event.pk}/").status_code == 403
    admin.post(f"/arrangementer/{event.pk}/status/", {"status": "planned"})
    assert logged_in_client(users["municipal_contact"]).get(f"/arrangementer/{event.pk}/").status_code == 200
    assert logged_in_client(None).get(f"/arrangementer/{event.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price_per_person", "-1", "større enn eller lik 0"),
        ("start_date", "2011-03-23", "er i fortiden"),
        ("capacity", "-5", "større enn eller lik 0"),
    ],
)
def test_bad_event_input_gets_a_clear_message(municipalities, users, field, value, message):
    data = {"title": "Seminar", "kind": "seminar", "city": "Bodø", "country": "NO", "price_per_person": "0"}
    data[field] = value
    response = logged_in_client(users["ks_admin"]).post("/arrangementer/ny/", data)
    assert response.status_code == 200
    assert message in response.text
    assert not Event.objects.exists()


def test_programme_overlap_and_gap_are_warned(trip, users):
    admin = logged_in_client(users["ks_admin"])
    lunch = trip.programme.get(title="Lunsj", start__date=trip.start_date)
    start = timezone.localtime(lunch.start)
    admin.post(
        f"/arrangementer/{trip.pk}/program/{lunch.pk}/endre/",
        {
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "kind": "meal",
            "title": "Lunsj",
        },
    )
    page = admin.get(f"/arrangementer/{trip.pk}/program/")
    assert "overlapper" in page.text and "Lunsj" in page.text
    admin.post(
        f"/arrangementer/{trip.pk}/program/{lunch.pk}/endre/",
        {
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "kind": "meal",
            "title": "Lunsj",
        },
    )
    assert "30 minutter mellom" in admin.get(f"/arrangementer/{trip.pk}/program/").text


def test_programme_item_with_a_placeholder_speaker(trip, users):
    admin = logged_in_client(users["ks_admin"])
    response = admin.post(
        f"/arrangementer/{trip.pk}/program/",
        {
            "start": f"{trip.end_date}T14:00",
            "kind": "talk",
            "title": "Ekstra innlegg",
            "speaker_placeholder": "Navngis senere – fra en dansk kommune",
        },
    )
    assert response.status_code == 302
    item = ProgrammeItem.objects.get(title="Ekstra innlegg")
    assert str(item.speakers.get()) == "Navngis senere – fra en dansk kommune"
    assert "Navngis senere" in logged_in_client(None).get(f"/arrangementer/{trip.pk}/").text
    bad = admin.post(
        f"/arrangementer/{trip.pk}/program/",
        {"start": f"{trip.end_date}T14:00", "end": f"{trip.end_date}T13:00", "kind": "talk", "title": "Baklengs"},
    )
    assert "Slutten må være etter starten" in bad.text


def test_the_deck_programme_is_shown_with_its_times(trip, client):
    page = client.get(f"/arrangementer/{trip.pk}/").text
    starts = re.findall(r'<td class="time"><time datetime="[^"]+">(\d\d\.\d\d)</time>', page)
    assert starts == [
        "11.30", "11.45", "12.45", "13.45", "14.45", "15.45", "16.15", "18.15", "19.30",
        "08.30", "09.30", "10.15", "10.45", "11.45", "12.45", "13.00",
    ]  # fmt: skip
    assert "Christian Klement" in page and "Tore Bjørgo" in page
    assert "3\xa0000" in page and "Fly tur/retur København" in page


def test_inviting_by_old_and_current_names(trip, users):
    admin = logged_in_client(users["ks_admin"])
    tier = trip.tiers.last()
    response = admin.post(
        f"/arrangementer/{trip.pk}/invitasjoner/",
        {"invite": "1", "invite-tier": tier.pk, "invite-municipalities": "Stokke, Bodø\nAtlantis"},
    )
    assert response.status_code == 200  # the unknown name is reported, the known ones invited
    assert "Atlantis" in response.text
    assert set(
        Invitation.objects.filter(event=trip, municipality__name__in=["Sandefjord", "Bodø"]).values_list(
            "municipality__name", flat=True
        )
    ) == {"Sandefjord", "Bodø"}


def test_budget_and_invoice_basis(trip, users):
    page = logged_in_client(users["ks_admin"]).get(f"/arrangementer/{trip.pk}/budsjett/")
    confirmed = trip.registrations.filter(status="confirmed", municipality__isnull=False).count()
    assert page.context["budget"].package_income == confirmed * 3000
    assert page.context["budget"].costs == 132500
    assert logged_in_client(users["municipal_contact"]).get(f"/arrangementer/{trip.pk}/budsjett/").status_code == 403


def test_dashboard_shows_the_trip_to_its_invited_contacts(trip, users):
    page = logged_in_client(users["municipal_contact"]).get("/oversikt/")
    assert trip.title in page.text


def test_reminder_goes_to_every_confirmed_delegate_with_the_programme(
    trip, users, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in_client(users["ks_admin"]).post(
            f"/arrangementer/{trip.pk}/deltakere/paminnelse/", follow=True
        )
    confirmed = set(trip.registrations.filter(status="confirmed").values_list("email", flat=True))
    assert {message.to[0] for message in mailoutbox} == confirmed
    assert all(message.attachments[0][0] == "program.ics" for message in mailoutbox)
    assert f"{len(confirmed)} deltakere" in response.text


def test_the_worker_reminds_confirmed_delegates_a_week_before_the_event_once(
    trip, mailoutbox, django_capture_on_commit_callbacks
):
    start = dt.datetime.combine(trip.start_date, dt.time(12), tzinfo=dt.UTC)
    confirmed = set(trip.registrations.filter(status="confirmed").values_list("email", flat=True))
    assert emails.remind_before_start(start - dt.timedelta(days=8)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.remind_before_start(start - dt.timedelta(days=6)) == len(confirmed)
        assert emails.remind_before_start(start - dt.timedelta(days=5)) == 0
    assert {m.to[0] for m in mailoutbox} == confirmed
    assert all(m.attachments[0][0] == "program.ics" for m in mailoutbox)
