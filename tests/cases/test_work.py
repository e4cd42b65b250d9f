"""KS works a case: triage, experts, internal and shared notes; the municipality sees only what is shared.

Each channel the municipality has — the page, e-mail and the API — is checked for the internal note's text.
"""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import FNR, INTERNAL
from tests.conftest import IDENTITY_NUMBER_DISGUISES, INVISIBLE_NAMES, SCREENING_REFUSAL, logged_in_client, make_user
from trygg.cases import services
from trygg.cases.models import Case, Note, Pause, ReplyTemplate
from trygg.core.models import APIToken, Area, AuditEntry, Municipality, Organisation, Person, Role, SupportMember
from trygg.events.models import Event
from trygg.events.services import support_team_of
from trygg.mapping.models import Questionnaire, Report, Round

pytestmark = pytest.mark.django_db

SHARED = "Vi anbefaler et møte i politirådet neste uke."


def _triage(client, case, assignee, category="establishment", urgency="acute"):
    data = {"category": category, "urgency": urgency, "assignee": assignee.pk if assignee else ""}
    return client.post(reverse("cases:triage", args=[case.pk]), data)


def _note(client, case, body, visibility="internal"):
    return client.post(reverse("cases:add_note", args=[case.pk]), {"body": body, "visibility": visibility})


def test_the_municipality_never_sees_an_internal_note(
    users, clients, make_case, expert, mailoutbox, django_capture_on_commit_callbacks
):
    case = make_case()
    admin, contact = clients["ks_admin"], clients["municipal_contact"]
    with django_capture_on_commit_callbacks(execute=True):
        assert _triage(admin, case, users["ks_adviser"]).status_code == 302
        services.add_expert(users["ks_admin"], case, expert)
        assert _note(admin, case, INTERNAL).status_code == 302
        assert _note(admin, case, SHARED, "shared").status_code == 302
    # The page.
    mine = contact.get(case.get_absolute_url()).content.decode()
    assert SHARED in mine and INTERNAL not in mine
    assert expert.get_full_name() not in mine and "Internt" not in mine
    ks = admin.get(case.get_absolute_url()).content.decode()
    assert SHARED in ks and INTERNAL in ks and expert.get_full_name() in ks
    # E-mail: the municipality gets the shared reply; nobody gets an internal note's text.
    to_municipality = [m for m in mailoutbox if users["municipal_contact"].email in m.to]
    assert len(to_municipality) == 1 and SHARED in to_municipality[0].body
    assert all(INTERNAL not in m.body and INTERNAL not in m.subject for m in mailoutbox)
    # The API.
    _, token = APIToken.issue(users["municipal_contact"], "test")
    answer = logged_in_client(None).get(f"/api/cases/{case.pk}", headers={"authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    texts = [note["text"] for note in answer.json()["notes"]]
    assert SHARED in texts and INTERNAL not in json.dumps(answer.json(), ensure_ascii=False)
    assert {note["visibility"] for note in answer.json()["notes"]} == {"shared"}
    _, staff_token = APIToken.issue(users["ks_admin"], "test")
    staff = logged_in_client(None).get(f"/api/cases/{case.pk}", headers={"authorization": f"Bearer {staff_token}"})
    assert INTERNAL in [note["text"] for note in staff.json()["notes"]]
    # Every read is in the audit trail: the page's and the API's.
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, content_type__model="case")
    assert reads.filter(actor=users["municipal_contact"]).count() == 2


def test_the_first_shared_reply_meets_the_first_response_target(users, clients, make_case):
    case = make_case()
    _note(clients["ks_admin"], case, INTERNAL)
    case.refresh_from_db()
    assert case.first_response_at is None
    _note(clients["ks_admin"], case, SHARED, "shared")
    case.refresh_from_db()
    assert case.first_response_at is not None and case.last_update_at == case.first_response_at


def test_a_shared_note_that_repeats_an_internal_one_is_refused(clients, make_case):
    case = make_case()
    _note(clients["ks_admin"], case, INTERNAL)
    response = _note(clients["ks_admin"], case, f"Til kommunen: {INTERNAL.lower()}.", "shared")
    assert response.status_code == 200
    assert "gjentar et internt notat" in response.content.decode()
    assert "Til kommunen" in response.content.decode()  # nothing lost
    assert case.notes.filter(visibility=Note.Visibility.SHARED).count() == 0


def test_a_note_on_a_closed_case_is_refused_with_a_clear_message(users, clients, make_case):
    case = make_case()
    services.set_status(users["ks_admin"], case, Case.Status.CLOSED)
    page = clients["ks_admin"].get(case.get_absolute_url()).content.decode()
    assert "Saken er lukket" in page and 'id="note-form"' not in page
    response = _note(clients["ks_admin"], case, "Et notat til")
    assert response.status_code == 200 and "Saken er lukket. Gjenåpne den" in response.content.decode()
    _, token = APIToken.issue(users["municipal_contact"], "test")
    answer = logged_in_client(None).post(
        f"/api/cases/{case.pk}/notes",
        {"body": "Hei"},
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 422 and "lukket" in answer.content.decode()
    assert case.notes.filter(action="").count() == 0


def test_an_identity_number_in_a_note_is_refused(clients, make_case):
    case = make_case()
    response = _note(clients["municipal_contact"], case, f"Det gjelder {FNR}.")
    assert response.status_code == 200 and "fødselsnummer eller D-nummer" in response.content.decode()
    assert not case.notes.exists()


def test_a_note_refuses_disguised_identity_numbers_and_invisible_text_on_the_page_and_in_the_api(
    users, clients, make_case
):
    case = make_case()
    _, token = APIToken.issue(users["municipal_contact"], "test")
    api = logged_in_client(None)

    def api_note(body):
        return api.post(
            f"/api/cases/{case.pk}/notes",
            {"body": body},
            content_type="application/json",
            headers={"authorization": f"Bearer {token}"},
        )

    for disguise in IDENTITY_NUMBER_DISGUISES:
        response = _note(clients["municipal_contact"], case, f"Det gjelder {disguise}.")
        assert response.status_code == 200 and SCREENING_REFUSAL in response.content.decode(), disguise
        answer = api_note(f"Det gjelder {disguise}.")
        assert answer.status_code == 422 and SCREENING_REFUSAL in answer.json()["detail"][0]["msg"], disguise
    for body in INVISIBLE_NAMES:
        assert _note(clients["municipal_contact"], case, body).status_code == 200
        assert api_note(body).status_code == 422, repr(body)
    assert not case.notes.exists()
    assert api_note("Vi møtes i A\u030asane").status_code == 201
    assert case.notes.get().body == "Vi møtes i Åsane"


def test_an_assignee_or_expert_without_access_is_refused(users, clients, make_case, expert):
    case = make_case()
    with pytest.raises(ValidationError, match="ansatte i KS"):
        services.triage(users["ks_admin"], case, category="other", urgency="soon", assignee=users["partner"])
    no_area = make_user(Role.PARTNER, username="uten_tilgang")
    with pytest.raises(ValidationError, match="ikke tilgang til saker"):
        services.add_expert(users["ks_admin"], case, no_area)
    with pytest.raises(ValidationError, match="ikke tilgang til saker"):
        services.add_expert(users["ks_admin"], case, users["municipal_contact"])
    # Through the page: the choice is not offered, and a forged one is refused with the form.
    page = clients["ks_admin"].get(case.get_absolute_url()).content.decode()
    assert expert.username in page and "uten_tilgang" not in page
    response = clients["ks_admin"].post(reverse("cases:add_expert", args=[case.pk]), {"expert": no_area.pk})
    assert response.status_code == 200 and "Velg et gyldig valg" in response.content.decode()
    assert _triage(clients["ks_admin"], case, users["partner"]).status_code == 200
    assert not case.experts.exists() and Case.objects.get(pk=case.pk).assignee is None
    # Neither the municipality nor a partner triages.
    for role in ("municipal_contact", "partner"):
        assert _triage(clients[role], case, users["ks_adviser"]).status_code == 403
    with pytest.raises(PermissionDenied):
        services.triage(users["municipal_contact"], case, category="other", urgency="soon", assignee=None)


def test_the_municipalitys_answer_ends_the_wait(users, clients, make_case, django_capture_on_commit_callbacks):
    case = make_case()
    services.triage(users["ks_admin"], case, category="violence", urgency="acute", assignee=users["ks_adviser"])
    response = clients["ks_adviser"].post(reverse("cases:change_status", args=[case.pk]), {"status": "waiting"})
    assert response.status_code == 302
    assert Pause.objects.get(case=case).ended_at is None
    page = clients["municipal_contact"].get(case.get_absolute_url()).content.decode()
    assert "Venter på kommunen" in page and "står stille" in page
    _note(clients["municipal_contact"], case, "Politiet har bekreftet kjøpet.")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and Pause.objects.get(case=case).ended_at is not None
    # The municipality's note is shared whatever it asked for.
    assert case.notes.get(action="").visibility == Note.Visibility.SHARED


def test_confidential_cases_are_open_only_to_those_on_them(users, clients, make_case, expert):
    case = make_case(confidential=True)
    url = case.get_absolute_url()
    oslo = make_user(Role.MUNICIPAL_CONTACT, username="oslo")
    oslo.municipalities.set(Municipality.objects.filter(name="Oslo"))
    assert clients["ks_adviser"].get(url).status_code == 403
    assert logged_in_client(oslo).get(url).status_code == 403
    assert clients["ks_admin"].get(url).status_code == 200  # the triage desk
    assert clients["municipal_contact"].get(url).status_code == 200
    assert case not in services.visible_cases(users["ks_adviser"])
    assert _triage(clients["ks_admin"], case, users["ks_adviser"]).status_code == 302
    services.add_expert(users["ks_admin"], case, expert)
    assert clients["ks_adviser"].get(url).status_code == 200
    assert logged_in_client(expert).get(url).status_code == 200
    assert list(services.visible_cases(expert)) == [case]
    assert clients["partner"].get(url).status_code == 403
    changes = AuditEntry.objects.filter(content_type__model="case", object_pk=str(case.pk))
    assert changes.filter(action=AuditEntry.Action.UPDATE, actor=users["ks_admin"]).exists()


def test_ks_sees_open_cases_by_time_to_target(users, clients, make_case):
    planning = make_case(urgency="planning", title="Planlegging")
    acute = make_case(urgency="acute", title="Akutt sak")
    for title in ("Ferdig sak", "Også ferdig"):
        services.set_status(users["ks_admin"], make_case(title=title), Case.Status.CLOSED)
    page = clients["ks_adviser"].get(reverse("cases:index")).content.decode()
    assert page.index("Akutt sak") < page.index("Planlegging") and "Ferdig sak" not in page
    by_age = clients["ks_adviser"].get(reverse("cases:index"), {"sort": "age"}).content.decode()
    assert by_age.index("Planlegging") < by_age.index("Akutt sak")
    with_closed = clients["ks_adviser"].get(reverse("cases:index"), {"lukket": "1"}).content.decode()
    assert with_closed.index("Planlegging") < with_closed.index("Ferdig sak")  # no clock: last
    assert {planning, acute} <= set(services.visible_cases(users["municipal_contact"]))
    assert "Ingen saker" in clients["partner"].get(reverse("cases:index")).content.decode()


def test_ks_sees_the_municipalitys_latest_report_and_the_read_is_audited(users, clients, make_case, bergen):
    now = timezone.now()
    questionnaire = Questionnaire.objects.order_by("-version").first() or Questionnaire.objects.create(
        version=1, title="Situasjonsrapport"
    )
    survey = Round.objects.create(name="Runde 2026", questionnaire=questionnaire, opens_at=now, deadline=now)
    report = Report.objects.create(round=survey, status=Report.Status.SUBMITTED)
    report.municipalities.set([bergen])
    case = make_case()
    ks = clients["ks_adviser"].get(case.get_absolute_url()).content.decode()
    assert "Siste situasjonsrapport: runden «Runde 2026»" in ks and report.get_absolute_url() in ks
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, content_type__model="report")
    assert reads.filter(actor=users["ks_adviser"], object_pk=str(report.pk)).count() == 1
    mine = clients["municipal_contact"].get(case.get_absolute_url()).content.decode()
    assert "Runde 2026" not in mine


def test_a_reply_template_starts_a_shared_note(clients, make_case):
    template = ReplyTemplate.objects.create(title="Takk", body="Takk for henvendelsen, vi ser på saken.")
    case = make_case()
    page = clients["ks_adviser"].get(case.get_absolute_url()).content.decode()
    assert f"?mal={template.pk}" in page
    filled = clients["ks_adviser"].get(case.get_absolute_url(), {"mal": template.pk}).content.decode()
    assert "Takk for henvendelsen, vi ser på saken.</textarea>" in filled
    assert 'value="shared" required id="id_visibility_1" checked' in filled
    assert "?mal=" not in clients["municipal_contact"].get(case.get_absolute_url()).content.decode()


def test_a_reply_template_with_an_identity_number_is_refused_in_the_admin(clients):
    """Templates go into many cases' shared notes, so the admin screens them as every other free text is."""
    add = "/admin/cases/replytemplate/add/"
    for field in ("title", "body"):
        for disguise in (FNR, *IDENTITY_NUMBER_DISGUISES):
            data = {"title": "Takk", "body": "Takk for henvendelsen.", field: f"Gjelder {disguise}."}
            page = clients["ks_admin"].post(add, data).content.decode()
            assert SCREENING_REFUSAL in page and "uten å nevne noen" in page, (field, disguise)
    assert not ReplyTemplate.objects.exists()
    assert clients["ks_admin"].post(add, {"title": "Takk", "body": "Takk for henvendelsen."}).status_code == 302
    assert ReplyTemplate.objects.get().body == "Takk for henvendelsen."


def test_experts_are_drawn_from_the_support_teams_first(users, clients, make_case, expert):
    event = Event.objects.create(title="Studietur til København", city="København")
    bjorgo = Person.objects.create(name="Tore Bjørgo", email="tore@phs.invalid")
    kripos = Organisation.objects.create(name="Kripos (test)", kind=Organisation.Kind.NATIONAL_POLICE)
    SupportMember.objects.create(team=support_team_of(event), organisation=kripos)  # a placeholder: no one named
    SupportMember.objects.create(team=support_team_of(event), person=bjorgo, role="Professor")
    on_team = make_user(Role.PARTNER, username="bjorgo", partner_areas=[Area.CASES])
    on_team.email = "tore@phs.invalid"
    on_team.save()
    case = make_case()
    labels = [label for _user, label in services.expert_candidates(case)]
    assert labels[0] == "bjorgo (Studietur til København: Professor)"
    assert "Eva Ekspert" in labels
    page = clients["ks_admin"].get(case.get_absolute_url()).content.decode()
    assert "bjorgo (Studietur til København: Professor)" in page
    response = clients["ks_admin"].post(reverse("cases:add_expert", args=[case.pk]), {"expert": on_team.pk})
    assert response.status_code == 302 and list(case.experts.all()) == [on_team]
    assert "bjorgo" not in [label for _user, label in services.expert_candidates(case)]


def test_the_dashboard_shows_open_cases_with_the_first_target_to_run_out(clients, make_case):
    make_case(urgency="planning", title="Planlegging")
    make_case(urgency="acute", title="Akutt sak")
    for role in ("municipal_contact", "ks_adviser"):
        page = clients[role].get(reverse("core:dashboard")).content.decode()
        assert "2 åpne saker" in page and page.index("Akutt sak") < page.index("Planlegging")
        assert "Første svar: 3 timer 59 min igjen" in page or "Første svar: 4 timer igjen" in page
    assert "Ingen åpne saker." in clients["partner"].get(reverse("core:dashboard")).content.decode()
