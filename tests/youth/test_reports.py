"""Reports: tallies kept as answers arrive, figures through core's disclosure control, Wilson intervals, and the
same published figures on the web page, in Excel and through the API."""

import io
import uuid

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import logged_in_client, page_queries
from tests.youth.conftest import codes
from trygg.core.models import Municipality
from trygg.questionnaires.services import latest_version
from trygg.youth import aggregates, reports, services
from trygg.youth.models import Response, Survey, Tally
from trygg.youth.synth import Generator

pytestmark = pytest.mark.django_db


def test_wilson_matches_the_textbook():
    low, high = reports.wilson(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    assert reports.wilson(0, 10)[0] == 0.0 and reports.wilson(10, 10)[1] == pytest.approx(1.0)


BIG = [(f"Skole {s}", f"{g}{c}", g, 25) for s in "AB" for g in (8, 9, 10) for c in "ABC"]


def closed_survey(name: str, seed: int, year: int = 2025, classes=BIG, shift: float = 0.0) -> Survey:
    """A closed survey of synthetic answers from about 90 % of ``classes``, loaded in bulk."""
    rng = np.random.default_rng(seed)
    generator = Generator(latest_version("ung-ungdomsskole"))
    grades = [grade for _s, _c, grade, size in classes for _pupil in range(size) if rng.random() < 0.9]
    municipality = Municipality.objects.select_related("county").get(name=name)
    earlier = aggregates.Earlier(municipality, year, classes, generator.answer_sets(rng, grades, 8, shift))
    aggregates.ingest([earlier])
    return Survey.objects.filter(municipality=municipality).latest("pk")


@pytest.fixture
def closed(standard, users):
    closed_survey("Askøy", 1)
    closed_survey("Oslo", 2)
    return closed_survey("Bergen", 3)


def test_tallies_equal_a_count_of_the_answer_sets(closed):
    for tally in Tally.objects.filter(survey=closed, indicator__code__in=["drunk", "lonely"]):
        rule = closed.versions.get(questionnaire__code="ung-ungdomsskole").indicator_rules.get(
            indicator=tally.indicator
        )
        sets = Response.objects.filter(survey=closed, gender=tally.gender, grade=tally.grade)
        counted = [rule.counts(r.answers.get(rule.item.code)) for r in sets]
        assert tally.denominator == sum(c for c, _h in counted) and tally.numerator == sum(h for _c, h in counted)


def test_every_published_figure_stands_on_enough_answers(closed):
    rows = reports.published_rows(closed)
    assert {row["area"] for row in rows} == {"municipality", "county", "country"}
    shown = [row["figure"] for row in rows if row["figure"].share is not None]
    assert shown, "a survey of 400 pupils shows figures"
    minimum = reports.min_answers()
    for figure in shown:
        hits = round(figure.share * figure.n)
        assert figure.n >= minimum and hits >= minimum and figure.n - hits >= minimum
        assert figure.low <= figure.share <= figure.high
    country = [row["figure"].n for row in rows if row["area"] == "country" and row["group"] == "all"]
    municipality = [row["figure"].n for row in rows if row["area"] == "municipality" and row["group"] == "all"]
    assert sum(filter(None, country)) > sum(filter(None, municipality))


def test_a_small_class_shows_nothing_that_tells_about_a_pupil(running, client, users):
    for index, code in enumerate(codes(running)):
        body = {"a-gender": "girl" if index % 2 else "boy", "a-safe_evening": "very_safe", "a-drunk": "never"}
        answers, _errors = services.read_answers(services.questionnaire_for(services.code_of(code)), _Form(body))
        assert services.submit(services.code_of(code), uuid.uuid4(), answers) == services.Outcome.ACCEPTED
    services.close_survey(users["ks_admin"], running)
    figures = [row["figure"] for row in reports.published_rows(running) if row["area"] == "municipality"]
    assert figures and all(figure.share is None for figure in figures)
    assert {figure.hidden for figure in figures if figure.n != 0} <= {"primary", "secondary"}
    page = logged_in_client(users["municipal_contact"]).get(reverse("youth:report", args=[running.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "100 % <span" not in html and "Skjult: for få svar" in html


class _Form(dict):
    def getlist(self, name):
        value = self.get(name)
        return [] if value is None else [value]


def test_the_report_page_excel_and_api_give_the_same_figures(closed, users):
    contact = logged_in_client(users["municipal_contact"])
    page = contact.get(reverse("youth:report", args=[closed.pk]))
    html = page.content.decode()
    assert (
        page.status_code == 200 and "Føler seg trygge i nabolaget om kvelden" in html and "data:image/svg+xml" in html
    )
    assert "Vestland" in html and "Norge" in html
    workbook = load_workbook(io.BytesIO(contact.get(reverse("youth:report_export", args=[closed.pk])).content))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    published = reports.published_rows(closed)
    assert sum(1 for row in sheet_rows if row[0] in ("lower",)) == len(published)
    api = contact.get(f"/api/youth/surveys/{closed.pk}/figures").json()
    assert len(api) == len(published)
    first = next(row for row in published if row["figure"].share is not None)
    match = next(row for row in api if (row["indicator"], row["group"], row["area"]) ==
                 (first["indicator"], first["group"], first["area"]))  # fmt: skip
    assert match["share"] == first["figure"].share and match["n"] == first["figure"].n
    assert closed.pk in [s["id"] for s in contact.get("/api/youth/surveys").json()["items"]]


def test_a_contact_sees_only_their_municipalities_surveys(closed, users):
    oslo = services.surveys_for(users["ks_admin"]).get(municipality__name="Oslo")
    contact = logged_in_client(users["municipal_contact"])
    assert contact.get(reverse("youth:report", args=[oslo.pk])).status_code == 403
    assert contact.get(f"/api/youth/surveys/{oslo.pk}/figures").status_code == 404
    assert oslo.pk not in [s["id"] for s in contact.get("/api/youth/surveys").json()["items"]]
    assert logged_in_client(users["partner"]).get(reverse("youth:index")).status_code == 403


def test_the_survey_list_is_paged_like_every_other_list(closed, users):
    """``limit``/``offset`` honoured with the total in ``count`` and each survey's codes; a hostile offset is a
    JSON 422."""
    staff = logged_in_client(users["ks_admin"])
    pages = [staff.get("/api/youth/surveys", {"limit": 2, "offset": n}).json() for n in (0, 2)]
    assert [page["count"] for page in pages] == [3, 3]
    listed = [s["municipality"] for page in pages for s in page["items"]]
    assert sorted(listed) == sorted(Survey.objects.values_list("municipality__number", flat=True))
    assert len(pages[1]["items"]) == 1
    bergen = next(s for page in pages for s in page["items"] if s["id"] == closed.pk)
    rate = services.response_rate(closed)
    assert (bergen["invited"], bergen["answered"]) == (rate.invited, rate.answered) and rate.answered > 0
    refused = staff.get("/api/youth/surveys", {"offset": 10**20})
    assert refused.status_code == 422 and refused["Content-Type"].startswith("application/json")


def test_the_survey_lists_cost_the_same_queries_for_many_more_surveys(closed, users):
    """The page and the API count every survey's codes in the query that lists them, not two queries a row."""
    staff = logged_in_client(users["ks_admin"])
    few = [page_queries(staff, path)[0] for path in (reverse("youth:index"), "/api/youth/surveys")]
    today = timezone.localdate()
    for name in ("Oslo", "Tromsø", "Bodø", "Molde"):
        survey = services.order_survey(
            users["ks_admin"], Municipality.objects.get(name=name), today, today, "Skolen; 8A; 8; 11"
        )
        services.approve_survey(users["ks_admin"], survey)
    many = [page_queries(staff, path) for path in (reverse("youth:index"), "/api/youth/surveys")]
    assert [count for count, _text in many] == few
    rate = services.response_rate(closed)
    assert f"{rate.answered} / {rate.invited}" in many[0][1] and "0 / 11" in many[0][1]
