"""Dates, deadlines and the package: the programme moves with the event, deadlines hold, the form follows it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import logged_in_client
from trygg.core.models import Municipality, Person
from trygg.events.models import Event, Invitation, InvitationTier, ProgrammeItem, Registration, Speaker

pytestmark = pytest.mark.django_db


def at(day: dt.date, clock: str) -> dt.datetime:
    hours, minutes = map(int, clock.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hours, minutes)))


@pytest.fixture
def seminar(municipalities):
    start = timezone.localdate() + dt.timedelta(days=40)
    event = Event.objects.create(
        title="Seminar i Hamar",
        city="Hamar",
        start_date=start,
        end_date=start + dt.timedelta(days=1),
        status=Event.Status.REGISTRATION_OPEN,
        registration_deadline=timezone.now() + dt.timedelta(days=20),
        price_per_person=Decimal("900"),
    )
    ProgrammeItem.objects.create(event=event, start=at(start, "09:00"), title="Velkommen")
    ProgrammeItem.objects.create(event=event, start=at(start + dt.timedelta(days=1), "14:00"), title="Avslutning")
    tier = InvitationTier.objects.create(event=event, name="Alle", quota=3)
    hamar = Municipality.objects.get(name="Hamar")
    Invitation.objects.create(event=event, municipality=hamar, tier=tier)
    Registration.objects.create(event=event, municipality=hamar, name="Hanne", email="hanne@hamar.invalid")
    return event


def edit_data(event, **changes):
    data = {
        "title": event.title,
        "kind": event.kind,
        "city": event.city,
        "country": "NO",
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "registration_deadline": timezone.localtime(event.registration_deadline).strftime("%Y-%m-%dT%H:%M"),
        "price_per_person": "900",
        "includes_overnight": "on",
    }
    return {**data, **changes}


def test_new_dates_first_show_what_moves_then_move_the_programme_and_tell_the_registered(
    seminar, users, django_capture_on_commit_callbacks
):
    client = logged_in_client(users["ks_adviser"])
    later = seminar.start_date + dt.timedelta(days=7)
    data = edit_data(seminar, start_date=later.isoformat(), end_date=(later + dt.timedelta(days=1)).isoformat())

    preview = client.post(f"/arrangementer/{seminar.pk}/endre/", data)
    assert preview.status_code == 200
    assert "Programmet flyttes 7 dager" in preview.text and "Velkommen" in preview.text
    assert "1 påmeldt person får beskjed" in preview.text
    seminar.refresh_from_db()
    assert seminar.programme.first().start == at(seminar.start_date, "09:00")  # nothing moved yet

    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(
            f"/arrangementer/{seminar.pk}/endre/", {**data, "confirm_dates": f"{later}:{later + dt.timedelta(days=1)}"}
        )
    assert saved.status_code == 302
    seminar.refresh_from_db()
    assert seminar.start_date == later
    starts = [timezone.localtime(item.start) for item in seminar.programme.order_by("start")]
    assert [(s.date(), s.time()) for s in starts] == [
        (later, dt.time(9, 0)),
        (later + dt.timedelta(days=1), dt.time(14, 0)),
    ]
    [message] = mail.outbox
    assert message.to == ["hanne@hamar.invalid"] and "Nye datoer" in message.subject
    assert message.attachments[0][0] == "program.ics"


def test_shortening_the_event_below_its_programme_is_refused(seminar, users):
    client = logged_in_client(users["ks_adviser"])
    response = client.post(f"/arrangementer/{seminar.pk}/endre/", edit_data(seminar, end_date=seminar.start_date))
    assert "Avslutning" in response.text and "utenfor de nye datoene" in response.text
    seminar.refresh_from_db()
    assert seminar.end_date == seminar.start_date + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (lambda start: f"{(start + dt.timedelta(days=1)).isoformat()}T10:00", "må være før arrangementet begynner"),
        (lambda start: "2020-01-01T10:00", "er passert"),
    ],
)
def test_a_deadline_after_the_start_or_in_the_past_is_refused(municipalities, users, deadline, message):
    start = timezone.localdate() + dt.timedelta(days=30)
    response = logged_in_client(users["ks_adviser"]).post(
        "/arrangementer/ny/",
        {
            "title": "Konferanse",
            "kind": "conference",
            "city": "Bergen",
            "country": "NO",
            "start_date": start.isoformat(),
            "end_date": start.isoformat(),
            "registration_deadline": deadline(start),
            "price_per_person": "0",
        },
    )
    assert response.status_code == 200 and message in response.text
    assert not Event.objects.exists()


def test_a_programme_item_outside_the_event_days_is_refused(seminar, users):
    client = logged_in_client(users["ks_adviser"])
    outside = seminar.end_date + dt.timedelta(days=1)
    response = client.post(
        f"/arrangementer/{seminar.pk}/program/",
        {"start": f"{outside.isoformat()}T10:00", "kind": "talk", "title": "For sent"},
    )
    assert response.status_code == 200
    assert "må ligge innenfor arrangementets dager" in response.text
    assert not seminar.programme.filter(title="For sent").exists()


def test_after_the_deadline_contacts_cannot_register_but_ks_can_and_the_page_says_so(seminar, users):
    Event.objects.filter(pk=seminar.pk).update(registration_deadline=timezone.now() - dt.timedelta(hours=1))
    contact = users["municipal_contact"]
    contact.municipalities.add(Municipality.objects.get(name="Hamar"))
    url = f"/arrangementer/{seminar.pk}/kommuner/3403/"
    page = logged_in_client(contact).get(url)
    assert "Påmeldingsfristen er ute" in page.text and 'name="email"' not in page.text
    assert logged_in_client(contact).post(url, {"name": "X", "email": "x@x.no", "role": "other"}).status_code == 403

    staff = logged_in_client(users["ks_adviser"])
    assert "men KS kan fortsatt" in staff.get(url).text
    staff.post(url, {"name": "Sen Deltaker", "email": "sen@hamar.invalid", "role": "other", "overnight": "on"})
    assert seminar.registrations.filter(email="sen@hamar.invalid").exists()
    assert "Påmeldingsfrist" in logged_in_client(None).get(f"/arrangementer/{seminar.pk}/").text


def test_the_hotel_question_follows_the_package(seminar, users):
    client = logged_in_client(users["ks_adviser"])
    url = f"/arrangementer/{seminar.pk}/kommuner/3403/"
    assert "Trenger hotellrom" in client.get(url).text
    Event.objects.filter(pk=seminar.pk).update(includes_overnight=False)
    assert "Trenger hotellrom" not in client.get(url).text
    client.post(url, {"name": "Dagbesøk", "email": "dag@hamar.invalid", "role": "other", "overnight": "on"})
    assert seminar.registrations.get(email="dag@hamar.invalid").overnight is False


def test_an_alternative_speaker_is_named_and_saving_keeps_the_link(seminar, users):
    client = logged_in_client(users["ks_adviser"])
    jonas = Person.objects.create(name="Jonas Markus Lindstad")
    maria = Person.objects.create(name="Maria Libak Pedersen")
    item = seminar.programme.get(title="Velkommen")
    url = f"/arrangementer/{seminar.pk}/program/{item.pk}/endre/"
    start = timezone.localtime(item.start).strftime("%Y-%m-%dT%H:%M")
    client.post(
        url,
        {
            "start": start,
            "kind": "talk",
            "title": "Velkommen",
            "speaker_people": [jonas.pk],
            "alternative_person": maria.pk,
            "alternative_to": jonas.pk,
        },
    )
    alternative = Speaker.objects.get(item=item, person=maria)
    assert alternative.alternative_to == jonas
    assert (
        "Maria Libak Pedersen (alternativ til Jonas Markus Lindstad)"
        in client.get(f"/arrangementer/{seminar.pk}/").text
    )

    # Saving the item as the form shows it keeps the alternative.
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data = {
        **data,
        "start": start,
        "speaker_people": [p.pk for p in data["speaker_people"]],
        "alternative_person": maria.pk,
        "alternative_to": jonas.pk,
    }
    client.post(url, data)
    assert Speaker.objects.get(item=item, person=maria).alternative_to == jonas
