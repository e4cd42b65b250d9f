"""The audit trail: writes and sensitive reads are recorded with who, what and from where; never edited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import assert_no_cell_can_start_a_formula, logged_in_client
from trygg.core.models import AuditEntry, Organisation, Person

pytestmark = pytest.mark.django_db


def entries_for(instance, action):
    return AuditEntry.objects.get_for_object(instance).filter(action=action)


def test_a_change_through_a_form_is_recorded_with_actor_and_view(users, clients):
    response = clients["ks_adviser"].post(
        "/organisasjoner/ny/",
        {"name": "Agder politidistrikt SLT", "kind": "police_district", "country": "NO"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Agder politidistrikt SLT")
    entry = entries_for(organisation, AuditEntry.Action.CREATE).get()
    assert entry.actor == users["ks_adviser"]
    assert "core:organisation_create" in entry.source
    clients["ks_adviser"].post(
        f"/organisasjoner/{organisation.pk}/endre/",
        {"name": "Agder politidistrikt", "kind": "police_district", "country": "NO"},
    )
    update = entries_for(organisation, AuditEntry.Action.UPDATE).get()
    assert update.changes_dict["name"] == ["Agder politidistrikt SLT", "Agder politidistrikt"]


def test_reading_a_person_is_recorded(users, clients):
    person = Person.objects.create(name="Ola Nordmann", email="ola@example.org")
    clients["ks_admin"].get(f"/personer/{person.pk}/")
    read = entries_for(person, AuditEntry.Action.ACCESS).get()
    assert read.actor == users["ks_admin"]
    assert "core:person" in read.source


def test_refused_reads_are_not_recorded_as_reads(users, clients):
    person = Person.objects.create(name="Ola Nordmann")
    assert clients["municipal_contact"].get(f"/personer/{person.pk}/").status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).exists()


def test_admins_filter_the_trail(users, clients):
    Person.objects.create(name="Kari Nordmann")
    Organisation.objects.create(name="Fjellby kommune", kind="municipality")
    page = clients["ks_admin"].get("/revisjonsspor/", {"q": "Kari"})
    assert "Kari Nordmann" in page.text and "Fjellby kommune" not in page.text
    by_action = clients["ks_admin"].get("/revisjonsspor/", {"action": "3"})
    assert "Kari Nordmann" not in by_action.text
    bad = clients["ks_admin"].get("/revisjonsspor/", {"date_from": "not-a-date"})
    assert bad.status_code == 200 and "gyldig dato" in bad.text


def test_the_trail_cannot_be_edited_in_the_admin(users, clients):
    Person.objects.create(name="Kari Nordmann")
    entry = AuditEntry.objects.latest()
    admin = clients["ks_admin"]
    assert admin.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code in (200, 403)
    assert admin.post(f"/admin/core/auditentry/{entry.pk}/change/", {"object_repr": "x"}).status_code == 403
    assert admin.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr == "Kari Nordmann"


def test_api_token_secrets_are_not_in_the_trail(users):
    client = logged_in_client(users["partner"])
    response = client.post("/konto/api-nokler/", {"name": "Eksport"})
    raw = response.context["new_token"]
    assert not any(raw in str(e.changes) for e in AuditEntry.objects.all())


@pytest.fixture
def delegates(municipalities):
    """A delegate each from Bergen and Oslo; Bergen's then changes her mind about the hotel and is cancelled."""
    from trygg.core.models import Municipality
    from trygg.events.models import Event, Registration

    event = Event.objects.create(title="Samling i Bergen", city="Bergen")
    bergen = Registration.objects.create(
        event=event, municipality=Municipality.objects.get(number="4601"), name="Bergensdelegat", email="b@example.org"
    )
    Registration.objects.create(
        event=event, municipality=Municipality.objects.get(number="0301"), name="Oslodelegat", email="o@example.org"
    )
    bergen.overnight = False
    bergen.status = Registration.Status.CANCELLED
    bergen.save()
    return event


def test_the_trail_reads_as_plain_norwegian(users, clients, delegates):
    person = Person.objects.create(name="Kari Nordmann")
    clients["ks_adviser"].post(f"/personer/{person.pk}/endre/", {"name": "Kari Nordmann-Berg", "kind": "other"})
    page = clients["ks_admin"].get("/revisjonsspor/").text
    assert "Trenger hotellrom:</span> ja → nei" in page
    assert "Status:</span> Bekreftet → Avmeldt" in page or "Status:</span> Bekreftet →" in page
    assert " endret " in page and " opprettet " in page
    assert f'<a href="/personer/{person.pk}/">Kari Nordmann-Berg</a>' in page, "the object as a link"
    assert "Fra Kjerne (nettside)" in page or "nettside" in page
    assert "(core:person_update)" in page, "the technical source stays, behind a disclosure"
    assert "Fra systemet" in page


def test_the_trail_names_related_objects_with_the_same_queries_however_many_entries(users, clients):
    """Each person names an organisation of its own: the page looks them up once per kind, not once per entry."""

    def add_people(first: int, count: int):
        for number in range(first, first + count):
            organisation = Organisation.objects.create(name=f"Etat nr. {number}", kind="other")
            Person.objects.create(name=f"Person {number}", organisation=organisation)

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = clients["ks_admin"].get("/revisjonsspor/")
        assert page.status_code == 200
        return len(captured), page.text

    add_people(0, 2)
    few, _page = queries()
    add_people(2, 20)
    many, page = queries()
    assert many == few
    assert "Etat nr. 21" in page and "Etat nr. 0" in page


def test_the_trail_is_paged_and_filtered_by_person_municipality_kind_and_period(users, clients, delegates):
    from trygg.events.models import Registration

    for number in range(120):
        Organisation.objects.create(name=f"Organisasjon {number}", kind="municipality")
    admin = clients["ks_admin"]
    first = admin.get("/revisjonsspor/")
    assert first.text.count('class="audit-entry"') == 50
    assert "Side 1 av" in first.text
    bergen = admin.get("/revisjonsspor/", {"municipality": "Bergen"}).text
    assert "Bergensdelegat" in bergen and "Oslodelegat" not in bergen and "Organisasjon 7" not in bergen
    assert "Oslodelegat" in admin.get("/revisjonsspor/", {"municipality": "0301"}).text
    unknown = admin.get("/revisjonsspor/", {"municipality": "Atlantis"})
    assert unknown.status_code == 200 and "Atlantis" in unknown.text and 'class="audit-entry"' not in unknown.text
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(Registration).pk
    registrations = admin.get("/revisjonsspor/", {"kind": kind}).text
    assert "Bergensdelegat" in registrations and "Organisasjon 7" not in registrations
    adviser = users["ks_adviser"]
    adviser.first_name, adviser.last_name = "Rita", "Rådgiver"
    adviser.save()
    clients["ks_adviser"].post("/organisasjoner/ny/", {"name": "Ritas organisasjon", "kind": "other", "country": "NO"})
    by_person = admin.get("/revisjonsspor/", {"person": "Rita Rådgiver"}).text
    assert "Ritas organisasjon" in by_person and "Organisasjon 7" not in by_person
    assert 'class="audit-entry"' not in admin.get("/revisjonsspor/", {"date_to": "2000-01-01"}).text


def test_the_filtered_trail_downloads_for_an_inspection(users, clients, delegates):
    import io

    from openpyxl import load_workbook

    admin = clients["ks_admin"]
    sheet = admin.get("/revisjonsspor/", {"municipality": "4601", "export": "xlsx"})
    assert sheet["Content-Disposition"].startswith("attachment")
    rows = [
        [str(c) for c in row] for row in load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
    ]
    assert any("Trenger hotellrom" in row and "ja" in row and "nei" in row for row in rows)
    assert not any("Oslodelegat" in row for row in rows)
    text = admin.get("/revisjonsspor/", {"export": "csv"}).content.decode("utf-8-sig")
    assert '"Trenger hotellrom";"ja";"nei"' in text


def test_the_trails_csv_starts_no_formula_whatever_was_typed(users, clients):
    """What people typed comes back in the trail's values: a formula in it stays text in every cell."""
    formula = 'Klubb,=HYPERLINK("http://evil");@SUM(A1)\n-2\t+3'
    clients["ks_adviser"].post("/organisasjoner/ny/", {"name": f"  ={formula}", "kind": "other", "country": "NO"})
    assert Organisation.objects.filter(name__contains="HYPERLINK").exists()
    text = clients["ks_admin"].get("/revisjonsspor/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "HYPERLINK" in text
    assert_no_cell_can_start_a_formula(text)
