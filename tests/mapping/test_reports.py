"""Filling in a situation report: start, draft, submit, reopen; access, audit, deadline, conflicts and screening."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import IDENTITY_NUMBER_DISGUISES
from tests.mapping.conftest import ANSWERS
from trygg.core.models import AuditEntry, Municipality
from trygg.mapping import reports
from trygg.mapping.models import TEXT_LIMIT, OutlawGroup, Report
from trygg.questionnaires.services import import_definition

pytestmark = pytest.mark.django_db

# A valid, made-up fødselsnummer (01.01.1990).
FNR = "01019012480"


def english(client):
    """Messages are asserted in English, the source language, so the tests hold once bokmål is filled in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def open_round(make_round):
    """An open round where Bergen and Drammen (the contact's municipalities) have not answered yet."""
    others = [answer for answer in ANSWERS if answer[0] not in ("Bergen", "Drammen")]
    return make_round(answers=others, asked=("Bergen", "Drammen", "Hamar"))


def municipality(name):
    return Municipality.objects.get(name=name)


@pytest.fixture
def bergen_report(open_round, users):
    return reports.start_report(users["municipal_contact"], open_round, [municipality("Bergen")])


def form_data(report, **answers):
    """A complete POST of the form: the report's answers, empty group and measure rows, and its revision."""
    data = {
        "revision": report.revision,
        "groups-TOTAL_FORMS": 2,
        "groups-INITIAL_FORMS": 0,
        "measures-TOTAL_FORMS": 2,
        "measures-INITIAL_FORMS": 0,
    }
    data.update(answers)
    return data


def edit_url(report):
    return reverse("mapping:report_edit", args=[report.pk])


# Services ----------------------------------------------------------------------------------------------------


def test_a_municipality_is_in_at_most_one_report_per_round(open_round, users, bergen_report):
    contact = users["municipal_contact"]
    with pytest.raises(reports.ReportError, match="Bergen"):
        reports.start_report(contact, open_round, [municipality("Drammen"), municipality("Bergen")])
    assert list(municipality("Drammen").situation_reports.filter(round=open_round)) == []


def test_a_region_report_covers_bergen_and_drammen_together(open_round, users, client):
    contact = users["municipal_contact"]
    client.force_login(contact)
    response = client.post(reverse("mapping:report_start", args=[open_round.pk]), {"municipality": ["4601", "3301"]})
    report = Report.objects.get(round=open_round, municipalities__name="Bergen")
    assert response.url == edit_url(report)
    assert sorted(report.municipalities.values_list("name", flat=True)) == ["Bergen", "Drammen"]
    assert report.status == Report.Status.DRAFT and report.created_by == contact


def test_start_is_refused_for_a_municipality_not_asked_or_a_closed_round(make_round, open_round, users):
    contact = users["municipal_contact"]
    contact.municipalities.add(municipality("Tromsø"))
    with translation.override("en"), pytest.raises(reports.ReportError, match="not asked"):
        reports.start_report(contact, open_round, [municipality("Tromsø")])
    closed = make_round(name="2010", answers=[], asked=("Bergen",), open=False)
    with pytest.raises(reports.ReportError):
        reports.start_report(contact, closed, [municipality("Bergen")])


def test_a_contact_cannot_start_a_report_for_a_municipality_they_do_not_act_for(open_round, clients):
    url = reverse("mapping:report_start", args=[open_round.pk])
    assert clients["municipal_contact"].post(url, {"municipality": ["0301"]}).status_code == 403
    assert clients["partner"].post(url, {"municipality": ["4601"]}).status_code == 403
    assert clients["anonymous"].post(url, {"municipality": ["4601"]}).status_code == 302
    assert not Report.objects.filter(round=open_round, municipalities__name="Bergen").exists()


# The form ----------------------------------------------------------------------------------------------------


def test_a_contact_saves_a_draft_and_submits(bergen_report, clients, users):
    client = english(clients["municipal_contact"])
    group = OutlawGroup.objects.get(name="Demo MC Nord")
    page = client.get(edit_url(bergen_report))
    assert b"Unntatt offentlighet" in page.content and b"never named persons" in page.content
    assert "offentleglova § 24 first and third paragraphs" in page.content.decode()  # core's one legal text
    response = client.post(
        edit_url(bergen_report),
        form_data(
            bergen_report,
            hosts_group="yes",
            crime_kinds=["narcotics", "violence"],
            **{"groups-0-group": group.pk, "groups-0-clubhouse": "yes", "groups-0-membership": "11-25"},
            **{"measures-0-stage": "establishment", "measures-0-title": "Nektet skjenkebevilling"},
            **{"measures-0-experience": "worked"},
        ),
    )
    assert response.status_code == 302
    bergen_report.refresh_from_db()
    assert (bergen_report.hosts_group, bergen_report.crime_kinds, bergen_report.revision) == (
        "yes",
        ["narcotics", "violence"],
        2,
    )
    assert bergen_report.groups.get().membership == "11-25"
    assert bergen_report.measures.get().experience == "worked"

    submit_url = reverse("mapping:report_submit", args=[bergen_report.pk])
    refused = client.post(submit_url, follow=True)
    assert "Answer these questions before you submit" in refused.content.decode()
    client.post(edit_url(bergen_report), form_data(bergen_report, hosts_group="yes", crews="no", assessment="must_act"))
    client.post(submit_url)
    bergen_report.refresh_from_db()
    assert bergen_report.status == Report.Status.SUBMITTED and bergen_report.submitted_at

    client.post(reverse("mapping:report_reopen", args=[bergen_report.pk]))
    bergen_report.refresh_from_db()
    assert bergen_report.status == Report.Status.DRAFT


def test_bad_input_gets_a_message_per_field_and_nothing_typed_is_lost(bergen_report, clients):
    client = english(clients["municipal_contact"])
    huge = "Beskrivelse av miljøet. " * 200
    response = client.post(
        edit_url(bergen_report),
        form_data(
            bergen_report,
            crews="yes",
            crews_count="-3",
            situation=huge,
            crime_other="Ulovlig spill",
            **{"groups-0-other_name": "Demo Crew Sør", "groups-0-membership": "9999"},
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "a whole number from 0 to 200" in html
    assert f"at most {TEXT_LIMIT} characters" in html
    assert "Select a valid choice" in html
    assert huge.strip() in html and "Ulovlig spill" in html and "Demo Crew Sør" in html and 'value="-3"' in html
    assert 'maxlength="' not in html  # a browser would cut a paste silently
    bergen_report.refresh_from_db()
    assert bergen_report.revision == 1 and bergen_report.situation == ""


def test_a_crews_count_above_200_is_refused(bergen_report, clients):
    response = english(clients["municipal_contact"]).post(
        edit_url(bergen_report), form_data(bergen_report, crews_count="201")
    )
    assert "a whole number from 0 to 200" in response.content.decode()


def test_an_identity_number_is_refused_and_contact_details_warned(bergen_report, clients):
    client = english(clients["municipal_contact"])
    refused = client.post(
        edit_url(bergen_report),
        form_data(bergen_report, situation=f"Lederen har fødselsnummer {FNR}.", **{"measures-0-title": FNR}),
    )
    assert refused.content.decode().count("looks like a national identity number") == 2
    assert FNR in refused.content.decode()  # shown back so it can be removed, but not saved
    bergen_report.refresh_from_db()
    assert bergen_report.revision == 1 and FNR not in bergen_report.situation

    client.post(edit_url(bergen_report), form_data(bergen_report, situation="Klubbens e-post: post@klubb.example.no"))
    bergen_report.refresh_from_db()
    assert "post@klubb.example.no" in bergen_report.situation
    page = client.get(reverse("mapping:report", args=[bergen_report.pk])).content.decode()
    assert "seems to contain an e-mail address" in page
    assert "seems to contain an e-mail address" in client.get(edit_url(bergen_report)).content.decode()


@pytest.mark.parametrize(
    "disguised",
    [
        "15.05.90 10023",
        "1505 9010 023",
        "010190\u00a012480",
        "0101\u200b9012480",
        "０１０１９０１２４８０",
        "010190-124 80",
    ],
)
def test_an_identity_number_in_disguise_is_refused_by_the_form(bergen_report, clients, disguised):
    response = english(clients["municipal_contact"]).post(
        edit_url(bergen_report), form_data(bergen_report, situation=f"Lederen: {disguised}.")
    )
    html = response.content.decode()
    assert "looks like a national identity number" in html
    assert "Situation reports describe organisations and phenomena" in html
    bergen_report.refresh_from_db()
    assert bergen_report.revision == 1 and not bergen_report.situation


def test_a_number_failing_the_check_digits_is_saved(bergen_report, clients):
    text = "Saksnummer 15.05.90 10024 og 1505 9010 022."
    response = clients["municipal_contact"].post(edit_url(bergen_report), form_data(bergen_report, situation=text))
    assert response.status_code == 302
    bergen_report.refresh_from_db()
    assert bergen_report.situation == text


def test_the_service_refuses_identity_numbers_too(bergen_report, users):
    with pytest.raises(reports.ReportError):
        reports.save_report(users["ks_admin"], bergen_report, {"situation": FNR}, [], [], bergen_report.revision)


def test_two_people_editing_at_once_the_second_gets_a_conflict_and_keeps_their_input(bergen_report, clients):
    first, second = english(clients["municipal_contact"]), english(clients["ks_adviser"])
    loaded_at = bergen_report.revision
    assert first.post(edit_url(bergen_report), form_data(bergen_report, situation="Først")).status_code == 302
    response = second.post(edit_url(bergen_report), form_data(bergen_report, revision=loaded_at, situation="Andre"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this report" in html and "Andre" in html
    assert f'href="{edit_url(bergen_report)}"' in html
    bergen_report.refresh_from_db()
    assert (bergen_report.situation, bergen_report.revision) == ("Først", 2)


def test_after_the_deadline_saving_and_submitting_are_refused_with_a_message(bergen_report, clients):
    client = english(clients["municipal_contact"])
    data = form_data(bergen_report, hosts_group="yes", crews="no", assessment="live_with", situation="Sent svar")
    bergen_report.round.deadline = timezone.now() - dt.timedelta(minutes=1)
    bergen_report.round.save()
    response = client.post(edit_url(bergen_report), data)
    html = response.content.decode()
    assert "The deadline for" in html and "Sent svar" in html
    followed = client.post(reverse("mapping:report_submit", args=[bergen_report.pk]), follow=True)
    assert "The deadline for" in followed.content.decode()
    assert "The deadline for" in client.get(edit_url(bergen_report), follow=True).content.decode()
    bergen_report.refresh_from_db()
    assert (bergen_report.status, bergen_report.situation, bergen_report.revision) == ("draft", "", 1)


def more_questions():
    """A definition of two further questions, as the migration makes of a questionnaire's extra questions."""
    return import_definition(
        {
            "questionnaire": "mc-tillegg",
            "version": 1,
            "title": {"en": "More questions"},
            "audience": "municipality",
            "modules": [
                {
                    "code": "tillegg",
                    "kind": "own",
                    "title": {"en": "More questions"},
                    "items": [
                        {
                            "code": "school",
                            "kind": "single",
                            "text": {"en": "Does the school know?"},
                            "options": [{"code": "yes", "label": {"en": "Yes"}}, {"code": "no", "label": {"en": "No"}}],
                        },
                        {"code": "notes", "kind": "text", "text": {"en": "Anything else?"}},
                    ],
                }
            ],
        }
    )


def test_the_round_definition_questions_are_asked_and_stored(make_round, users, clients):
    round = make_round(name="2012", answers=[], asked=("Bergen",))
    round.definition = more_questions()
    round.save()
    report = reports.start_report(users["municipal_contact"], round, [municipality("Bergen")])
    client = clients["municipal_contact"]
    assert "Does the school know?" in client.get(edit_url(report)).content.decode()
    client.post(edit_url(report), form_data(report, q_school="yes", q_notes=f"Nei {FNR}"))
    report.refresh_from_db()
    assert report.answers == {}
    client.post(edit_url(report), form_data(report, q_school="yes", q_notes="Nei"))
    report.refresh_from_db()
    assert report.answers == {"school": "yes", "notes": "Nei"}


def test_every_free_text_of_the_report_refuses_a_disguised_identity_number(make_round, users, clients):
    """Each text a contact writes, the round's own text questions too, refuses every disguise; nothing is saved."""
    round = make_round(name="2012", answers=[], asked=("Bergen",))
    round.definition = more_questions()
    round.save()
    report = reports.start_report(users["municipal_contact"], round, [municipality("Bergen")])
    client = english(clients["municipal_contact"])
    fields = {
        "crime_other": {},
        "guidance_topics": {},
        "situation": {},
        "q_notes": {},
        "groups-0-other_name": {"groups-0-membership": "member"},
        "measures-0-title": {"measures-0-stage": "establishment", "measures-0-experience": "worked"},
        "measures-0-description": {
            "measures-0-stage": "establishment",
            "measures-0-title": "Nektet skjenkebevilling",
            "measures-0-experience": "worked",
        },
    }
    for disguised in IDENTITY_NUMBER_DISGUISES:
        for field, companions in fields.items():
            response = client.post(edit_url(report), form_data(report, **companions, **{field: f"Om {disguised}"}))
            assert "looks like a national identity number" in response.content.decode(), (field, disguised)
    report.refresh_from_db()
    assert report.revision == 1


def test_the_service_screens_what_a_measure_did_too(bergen_report, users):
    measure = {"stage": "establishment", "title": "Nektet skjenkebevilling", "description": "Fnr 1505 9010 023"}
    save = reports.save_report
    assert (
        save(users["municipal_contact"], bergen_report, {}, [], [{**measure, "description": "Møter"}], 1).revision == 2
    )
    with translation.override("en"), pytest.raises(reports.ReportError, match="national identity number"):
        save(users["municipal_contact"], bergen_report, {}, [], [measure], 2)
    bergen_report.refresh_from_db()
    assert bergen_report.revision == 2


# Access and audit --------------------------------------------------------------------------------------------


def test_a_contact_cannot_see_or_edit_another_municipalitys_report(open_round, clients):
    oslo = Report.objects.get(round=open_round, municipalities__name="Oslo")
    client = clients["municipal_contact"]
    for name in ("report", "report_edit"):
        assert client.get(reverse(f"mapping:{name}", args=[oslo.pk])).status_code == 403
    for name in ("report_submit", "report_reopen"):
        assert client.post(reverse(f"mapping:{name}", args=[oslo.pk])).status_code == 403
    assert client.post(edit_url(oslo), form_data(oslo, situation="x")).status_code == 403


def test_a_partner_with_the_mapping_area_reads_but_does_not_edit(bergen_report, clients):
    partner = clients["partner"]
    assert partner.get(reverse("mapping:report", args=[bergen_report.pk])).status_code == 200
    assert partner.get(edit_url(bergen_report)).status_code == 403
    assert partner.post(edit_url(bergen_report), form_data(bergen_report, situation="x")).status_code == 403
    assert partner.post(reverse("mapping:report_submit", args=[bergen_report.pk])).status_code == 403


@pytest.mark.parametrize("role", ["ks_admin", "ks_adviser", "municipal_contact", "partner"])
def test_every_read_of_a_report_is_audited(bergen_report, clients, users, role):
    clients[role].get(reverse("mapping:report", args=[bergen_report.pk]))
    reads = AuditEntry.objects.get_for_object(bergen_report).filter(action=AuditEntry.Action.ACCESS, actor=users[role])
    assert reads.count() == 1
    if role != "partner":
        clients[role].get(edit_url(bergen_report))
        assert reads.count() == 2
