"""The situation brief (web and PDF), the aggregate tables and the full export: suppressed, guarded, audited."""

import io
import subprocess

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import assert_no_cell_can_start_a_formula
from trygg.core.models import AuditEntry, Job
from trygg.mapping.exports import brief_data
from trygg.mapping.models import Report, ReportMeasure
from trygg.mapping.picture import national_picture

from .conftest import ANSWERS

pytestmark = pytest.mark.django_db

LOGGED_IN = ["ks_admin", "ks_adviser", "municipal_contact", "partner"]


@pytest.fixture
def english(clients):
    for client in clients.values():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return clients


@pytest.fixture
def round(make_round):
    return make_round()


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


@pytest.fixture
def brief_pdf(django_capture_on_commit_callbacks):
    """Ask for the PDF as a user does: the POST queues a job, the worker makes the file, the job page links to it."""

    def make(client, round):
        with django_capture_on_commit_callbacks(execute=True):
            queued = client.post(url("brief_pdf", round))
        assert queued.status_code == 302
        job = client.get(queued["Location"]).context["job"]
        assert job.state == "done", job.message
        response = client.get(job.result_url)
        response.pdf = response.getvalue()
        return response

    return make


def url(name: str, round, **kwargs) -> str:
    return reverse(f"mapping:{name}", kwargs={"round_pk": round.pk, **kwargs})


def workbook(response):
    return load_workbook(io.BytesIO(response.content))


def rows(worksheet) -> list[list]:
    return list(worksheet.iter_rows(values_only=True))


# The brief ---------------------------------------------------------------------------------------------


def test_brief_pdf_shows_round_and_response_rate(english, round, tmp_path, brief_pdf):
    response = brief_pdf(english["municipal_contact"], round)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.pdf.startswith(b"%PDF")
    text = pdf_text(response.pdf, tmp_path)
    assert "National situation brief" in text
    assert "Round 2011" in text
    assert "Response rate" in text and "80 %" in text  # 8 of the 10 asked municipalities answered
    assert "8 of 10 municipalities" in text
    assert "Page 1 of" in text
    assert "Fictional demo data" not in text


def test_brief_never_shows_a_figure_fewer_than_three_stand_behind(english, round, tmp_path, brief_pdf):
    text = pdf_text(brief_pdf(english["ks_admin"], round).pdf, tmp_path)
    figures = {figure["label"]: figure["value"] for figure in brief_data(round)["key_figures"]}

    # Oslo is the only municipality asked in its county: not even whether it answered is shown, even to KS staff.
    assert "Oslo 1 – – – – –" in text
    # Two municipalities have crews only (25 %), one reports weapons: both suppressed.
    assert figures["Have support groups only"] == "–"
    assert "25 %" not in text
    assert "Weapons – –" in text
    # Four of eight host a group and four must act.
    assert figures["Host a “1 %” group"] == figures["Say they must act"] == "50\u00a0%"
    assert "Narcotics 4 50 %" in text


def test_brief_page_shows_the_same_figures(english, round):
    response = english["municipal_contact"].get(url("brief", round))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="row">Oslo</th><td class="num">1</td><td class="num">–</td><td class="num">–</td>' in html
    assert "25\u00a0%" not in html
    assert response.context["brief"] == brief_data(round)
    assert url("brief_pdf", round) in html
    assert url("full_export", round) not in html
    assert ' style="' not in html and "<script>" not in html


def test_brief_page_offers_the_full_export_to_ks_advisers(english, round):
    html = english["ks_adviser"].get(url("brief", round)).content.decode()

    assert url("full_export", round) in html


def test_brief_of_demo_round_says_so(english, make_round, tmp_path, brief_pdf):
    round = make_round(name="Demo 2011")
    round.is_demo = True
    round.save()

    text = pdf_text(brief_pdf(english["partner"], round).pdf, tmp_path)

    assert "Fictional demo data" in text
    assert "Fictional demo data" in english["partner"].get(url("brief", round)).content.decode()


def test_brief_trends_cover_earlier_rounds(english, make_round):
    make_round(name="2010", answers=ANSWERS[:6])
    round = make_round(name="2011")

    trends = next(table for table in brief_data(round)["tables"] if table["key"] == "trends")

    assert [row[:2] for row in trends["rows"]] == [["2010", "6"], ["2011", "8"]]


# Aggregates --------------------------------------------------------------------------------------------


def test_aggregates_xlsx_match_the_suppressed_picture(english, round):
    response = english["ks_admin"].get(url("aggregates_export", round, format="xlsx"))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = workbook(response)
    picture = national_picture(round, AnonymousUser())
    dash = "–"
    by_county = {row[0]: row[1:] for row in rows(book["By county"])[1:]}
    for county in picture.counties:
        expected = [county.answered, county.hosts_group, county.crews_only, county.neither, county.must_act]
        marks = [county.hidden.get(name) for name in ("answered", "hosts_group", "crews_only", "neither", "must_act")]
        shown = [
            "(–)" if mark == "secondary" else dash if v is None else v for v, mark in zip(expected, marks, strict=True)
        ]
        assert by_county[county.name] == (county.asked, *shown)
    assert by_county["Oslo"] == (1, dash, dash, dash, dash, dash)
    kinds = dict(rows(book["Kinds of crime"])[1:])
    assert kinds == {count.label: dash if count.value is None else count.value for count in picture.crime_kinds}
    assert kinds["Narcotics"] == 4 and kinds["Weapons"] == dash
    districts = [row[0] for row in rows(book["By police district"])[1:]]
    assert districts == [district.name for district in picture.police_districts]
    trends = rows(book["Trends"])
    assert trends[1] == ("2011", 8, 50.0, dash, 50.0)
    summary = dict(rows(book["Summary"])[1:])
    assert summary["Answered"] == 8 and summary["Response rate (%)"] == 80.0
    assert "fewer than 3 municipalities" in summary["Note"]


def test_aggregates_csv_for_norwegian_excel(english, round):
    response = english["municipal_contact"].get(url("aggregates_export", round, format="csv"))

    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert '"Narcotics";4\r\n' in text
    assert '"Oslo";1;"–";"–";"–";"–";"–"\r\n' in text  # text in quotes, numbers bare
    assert '"2011";8;50,0;"–";50,0\r\n' in text


def test_unknown_aggregate_format_is_not_found(english, round):
    assert english["ks_admin"].get(url("aggregates_export", round, format="pdf")).status_code == 404


@pytest.mark.parametrize("name", ["brief", "aggregates_export"])
def test_suppressed_files_need_a_login(english, round, name):
    kwargs = {"format": "xlsx"} if name == "aggregates_export" else {}
    response = english["anonymous"].get(url(name, round, **kwargs))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
    for role in LOGGED_IN:
        assert english[role].get(url(name, round, **kwargs)).status_code == 200


def test_the_brief_pdf_is_made_in_the_background_for_whoever_asked(english, round, brief_pdf):
    anonymous = english["anonymous"].post(url("brief_pdf", round))
    assert anonymous["Location"].startswith(reverse("core:login"))
    assert english["partner"].get(url("brief_pdf", round)).status_code == 405  # asking changes state: POST only
    response = brief_pdf(english["partner"], round)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="situation-brief-2011.pdf"'
    job = Job.objects.get(owner__username="test_partner")
    assert (job.state, job.percent, job.language) == ("done", 100, "en")
    for role in ("ks_admin", "municipal_contact"):  # someone else's job is not found
        assert english[role].get(reverse("core:job", args=[job.pk])).status_code == 404
        assert english[role].get(job.result_url).status_code == 404


def test_missing_round_is_not_found(english):
    assert english["ks_admin"].get(reverse("mapping:brief", args=[999999])).status_code == 404


# Full export -------------------------------------------------------------------------------------------


def test_full_export_lists_every_report_and_is_marked(english, round, users):
    draft = Report.objects.create(round=round, situation="Utkast")
    response = english["ks_adviser"].get(url("full_export", round))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    book = workbook(response)
    assert book.sheetnames == ["Reports", "Groups", "Measures"]
    for sheet in book:
        assert sheet["A1"].value == "Unntatt offentlighet"
    reports = rows(book["Reports"])
    header, body = reports[2], reports[3:]
    assert header[:3] == ("Report", "Municipality numbers", "Municipalities")
    assert sorted(row[0] for row in body) == sorted(round.reports.values_list("pk", flat=True))
    assert draft.pk in [row[0] for row in body]
    oslo = next(row for row in body if row[2] == "Oslo")
    assert oslo[1] == "0301"
    assert oslo[5:7] == ("Yes", "Yes")
    assert oslo[9] == "Narcotics; Violence; Money laundering and economic crime"
    assert len(rows(book["Groups"])[3:]) == 4
    assert len(rows(book["Measures"])[3:]) == 5


def test_full_export_is_audited(english, round, users):
    english["ks_adviser"].get(url("full_export", round))

    entries = AuditEntry.objects.get_for_object(round).filter(action=AuditEntry.Action.ACCESS)
    assert entries.filter(actor=users["ks_adviser"]).count() == 1


@pytest.mark.parametrize("role", ["municipal_contact", "partner"])
def test_full_export_is_refused_to_others(english, round, role):
    assert english[role].get(url("full_export", round)).status_code == 403
    assert not AuditEntry.objects.get_for_object(round).filter(action=AuditEntry.Action.ACCESS).exists()


def test_full_export_needs_a_login(english, round):
    response = english["anonymous"].get(url("full_export", round))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_formulas_are_neutralised(english, round):
    oslo = round.reports.get(municipalities__name="Oslo")
    oslo.situation = '=HYPERLINK("http://example.org")'
    oslo.save()
    for report in round.reports.all()[:3]:
        ReportMeasure.objects.create(report=report, stage="activity", title="@SUM(A1:A9)", experience="worked")
    ReportMeasure.objects.create(report=oslo, stage="activity", title=" Tiltak;=1+1,-2", experience="worked")

    full = workbook(english["ks_adviser"].get(url("full_export", round)))
    aggregate = workbook(english["ks_adviser"].get(url("aggregates_export", round, format="xlsx")))
    csv_text = english["ks_adviser"].get(url("aggregates_export", round, format="csv")).content.decode()

    cells = [cell for sheet in full for row in sheet.iter_rows(values_only=True) for cell in row]
    assert '\'=HYPERLINK("http://example.org")' in cells
    assert "'@SUM(A1:A9)" in cells
    measures = [row[0] for row in rows(aggregate["Measures"])]
    assert "'@SUM(A1:A9)" in measures
    assert ";@SUM" not in csv_text and "\n@SUM" not in csv_text
    assert_no_cell_can_start_a_formula(csv_text)
    for sheet in [*full, *aggregate]:
        for row in sheet.iter_rows():
            assert not any(cell.data_type == "f" for cell in row)
