"""A round on another topic, end to end through HTTP: KS imports a questionnaire definition and opens a round on
it; a municipal contact fills in the form generated from it (skip logic, any question skipped, free text screened),
submits; the round's summary and exports count the answers, small figures hidden from those who may not see them."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.mapping.test_api import bearer
from tests.mapping.test_reports import english
from trygg.core.models import AuditEntry, Municipality
from trygg.mapping.models import Report
from trygg.mapping.picture import national_picture
from trygg.mapping.situation import latest_report
from trygg.questionnaires.models import Version

pytestmark = pytest.mark.django_db
FNR = "01019012480"


def start(clients, round, name="Bergen") -> Report:
    number = Municipality.objects.get(name=name).number
    clients["municipal_contact"].post(reverse("mapping:report_start", args=[round.pk]), {"municipality": number})
    return Report.objects.get(round=round, municipalities__name=name)


def post(client, report, **answers):
    return client.post(reverse("mapping:report_edit", args=[report.pk]), {"revision": report.revision, **answers})


def test_a_contact_answers_the_generated_form_and_submits(topic_round, clients):
    client = clients["municipal_contact"]
    report = start(clients, topic_round)
    with translation.override("nb"):
        page = client.get(reverse("mapping:report_edit", args=[report.pk])).content.decode()
    assert "Har kommunen steder der innbyggerne opplever utrygghet?" in page
    assert "Unntatt offentlighet" in page
    assert "1 %" not in page  # none of the deck's MC questions
    with translation.override("en"):
        refused = post(english(client), report, q_unsafe_places="no", q_staff_years="9999", q_comments=f"Ring {FNR}")
    text = refused.content.decode()
    assert refused.status_code == 200
    assert "from 0 to 500" in text and "national identity number" in text
    response = post(
        client,
        report,
        q_unsafe_places="no",
        q_place_kinds=["parks"],  # a follow-up to "yes": not asked, so not saved
        q_development="worse",
        q_measures=["lighting", "outreach"],
        q_staff_years="3",
        q_comments="Mer lys i parken ved stasjonen.",
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.answers == {
        "unsafe_places": "no",
        "development": "worse",
        "measures": ["lighting", "outreach"],
        "staff_years": 3,
        "comments": "Mer lys i parken ved stasjonen.",
    }
    shown = client.get(report.get_absolute_url()).content.decode()
    assert "Better lighting, Outreach youth workers" in shown and "Somewhat worse" in shown
    assert AuditEntry.objects.filter(object_id=str(report.pk)).exists()
    client.post(reverse("mapping:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_an_empty_report_is_not_submitted(topic_round, clients):
    client = english(clients["municipal_contact"])
    report = start(clients, topic_round)
    with translation.override("en"):
        response = client.post(reverse("mapping:report_submit", args=[report.pk]), follow=True)
    assert "Answer at least one question" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def _submitted(round, name, **answers):
    report = Report.objects.create(round=round, status="submitted", submitted_at=timezone.now(), answers=answers)
    report.municipalities.add(Municipality.objects.get(name=name))


def test_the_summary_and_exports_hide_small_figures_from_contacts(topic_round, clients):
    _submitted(topic_round, "Bergen", unsafe_places="yes", staff_years=4)
    _submitted(topic_round, "Drammen", unsafe_places="yes")
    _submitted(topic_round, "Oslo", unsafe_places="no", comments="Stille")
    with translation.override("en"):
        full = english(clients["ks_adviser"]).get(topic_round.get_absolute_url()).content.decode()
        hidden = english(clients["municipal_contact"]).get(topic_round.get_absolute_url()).content.decode()
    assert "Answers per question" in full and "3 reports answered." in full
    assert '<th scope="row">Yes</th><td class="num">2</td>' in full
    assert '<th scope="row">Yes</th><td class="num">2</td>' not in hidden
    assert '<th scope="row">No</th><td class="num">–</td>' in hidden
    assert "The answers: 4" in full and "The answers: 4" not in hidden
    workbook = openpyxl.load_workbook(
        io.BytesIO(clients["ks_adviser"].get(reverse("mapping:full_export", args=[topic_round.pk])).content)
    )
    reports = [list(row) for row in workbook["Reports"].iter_rows(values_only=True)]
    assert any("Stille" in row for row in reports)
    assert "Groups" not in workbook.sheetnames
    summary = clients["ks_adviser"].get(reverse("mapping:aggregates_export", args=[topic_round.pk, "xlsx"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(summary.content))["Questions"].iter_rows(values_only=True))
    assert not any(row[2] == 1 for row in rows)  # Oslo's lone "no" is hidden, whoever downloads


def test_the_api_gives_the_round_definition_and_the_report_answers(topic_round, client, users):
    _submitted(topic_round, "Bergen", unsafe_places="yes", measures=["lighting"])
    headers = bearer(users["ks_adviser"])
    rounds = client.get("/api/mapping/rounds", headers=headers).json()["items"]
    entry = next(r for r in rounds if r["id"] == topic_round.pk)
    assert entry["questionnaire"] is None
    assert entry["definition"] == {"code": "trygghet-offentlig-rom", "version": 1}
    definition = client.get(f"/api/mapping/rounds/{topic_round.pk}/definition", headers=headers).json()
    assert definition["modules"][0]["items"][1]["show_if"] == {"item": "unsafe_places", "any_of": ["yes"]}
    report = Report.objects.get(round=topic_round)
    body = client.get(f"/api/mapping/reports/{report.pk}", headers=headers).json()
    assert body["answers"] == {"unsafe_places": "yes", "measures": ["lighting"]}


def test_an_invalid_upload_gets_a_norwegian_message_and_changes_nothing(clients):
    ks = clients["ks_adviser"]
    bad = io.BytesIO(b"questionnaire: trygg\nversion: 1\ntitle: {nb: T}\nmodules: []\n")
    bad.name = "skjema.yaml"
    with translation.override("nb"):
        response = ks.post(reverse("mapping:definitions"), {"upload": bad}, follow=True)
    assert "Skjemaet ble ikke importert" in response.content.decode()
    assert not Version.objects.filter(questionnaire__code="trygg").exists()
    good = io.BytesIO(
        b'{"questionnaire": "trygg", "version": 1, "title": {"nb": "T"}, "audience": "municipality",'
        b' "modules": [{"code": "m", "kind": "own",'
        b' "title": {"nb": "M"}, "items": [{"code": "a", "kind": "number", "text": {"nb": "Antall?"}}]}]}'
    )
    good.name = "skjema.json"
    ks.post(reverse("mapping:definitions"), {"upload": good})
    version = Version.objects.get(questionnaire__code="trygg")
    exported = ks.get(reverse("mapping:definition_export", args=[version.pk, "yaml"])).content.decode()
    assert "kind: number" in exported


def test_a_topic_round_stays_out_of_the_mc_picture_and_the_latest_mc_answer(topic_round, make_round, users):
    mc = make_round(name="2011")
    topic_round.opens_at = mc.opens_at + dt.timedelta(hours=1)
    topic_round.save()
    _submitted(topic_round, "Bergen", unsafe_places="yes")
    picture = national_picture(mc, users["ks_adviser"])
    assert [point.round_name for point in picture.trends] == ["2011"]
    assert latest_report(Municipality.objects.get(name="Bergen")).round == mc


def test_the_mc_picture_and_brief_of_a_round_without_mc_questions_are_not_found(topic_round, clients):
    ks = clients["ks_adviser"]
    for name in ("mapping:picture", "mapping:brief"):
        assert ks.get(reverse(name, args=[topic_round.pk])).status_code == 404
    assert ks.post(reverse("mapping:brief_pdf", args=[topic_round.pk])).status_code == 404
    assert ks.get(reverse("mapping:aggregates_export", args=[topic_round.pk, "xlsx"])).status_code == 200
