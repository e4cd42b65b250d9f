"""Trends, county and country tallies and the PDF: each indicator over the municipality's surveys, by code, with the
same suppression as each year's own report, and the PDF made by the worker with the same figures."""

import subprocess
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import logged_in_client
from trygg.youth import aggregates, reports, services
from trygg.youth.models import AccessCode, AreaTally, Response, Tally

from .conftest import codes
from .test_reports import closed_survey

pytestmark = pytest.mark.django_db
SMALL = [("Liten skole", "9A", 9, 12)]


@pytest.fixture
def history(standard):
    """Bergen in 2019 (one small class: little is published), 2022 and 2025; Askøy and Oslo for comparison."""
    for year in (2019, 2022, 2025):
        closed_survey("Askøy", year, year=year, shift=0.02)
        closed_survey("Oslo", year + 1, year=year)
    closed_survey("Bergen", 1, year=2019, classes=SMALL)
    closed_survey("Bergen", 2, year=2022, shift=0.05)
    return closed_survey("Bergen", 3, year=2025)


def _indicator(survey, code: str) -> dict:
    with translation.override("en"):
        levels = reports.report(survey)
    return next(indicator for indicator in levels[0]["indicators"] if indicator["code"] == code)


def test_the_trend_follows_the_indicator_over_the_municipalitys_surveys(history):
    trend = _indicator(history, "drunk")["trend"]
    assert [point["year"] for point in trend] == [2019, 2022, 2025]
    later, latest = trend[1]["figures"][0], trend[2]["figures"][0]
    assert later.share is not None and latest.share is not None
    assert trend[2]["change"] == latest.percent - later.percent


def test_a_year_hidden_in_its_own_report_stays_hidden_in_the_trend_and_in_every_change(history):
    small = reports.earlier_surveys(history)[0]
    with translation.override("en"):
        own = reports.report(small)[0]["indicators"]
    for indicator in own:
        trend = _indicator(history, indicator["code"])["trend"]
        assert trend[0]["figures"] == indicator["rows"][0]["figures"], "the trend shows what that year's report did"
        if indicator["rows"][0]["figures"][0].share is None:
            assert trend[0]["change"] is None and trend[1]["change"] is None
    hidden = [indicator for indicator in own if indicator["rows"][0]["figures"][0].share is None]
    assert hidden, "twelve pupils leave some figure hidden"


def test_county_and_country_tallies_are_the_sum_of_the_closed_surveys(history):
    for area, tallies in (("46", Tally.objects.filter(survey__municipality__county__number="46")),
                          ("NO", Tally.objects.all())):  # fmt: skip
        expected = sum(tallies.filter(survey__starts_on__year=2025).values_list("numerator", flat=True))
        got = sum(AreaTally.objects.filter(year=2025, area=area).values_list("numerator", flat=True))
        assert got == expected > 0


def test_a_survey_closing_adds_its_answers_to_its_county_and_the_country(running, users):
    code = services.code_of(codes(running)[0])
    assert services.submit(code, uuid.uuid4(), {"gender": "girl", "drunk": "once"}) == services.Outcome.ACCEPTED
    year = running.year
    assert not AreaTally.objects.filter(year=year).exists(), "nothing is published while the survey runs"
    services.close_survey(users["ks_admin"], running)
    for area in ("46", "NO"):
        cell = AreaTally.objects.get(year=year, area=area, indicator__code="drunk", gender="girl", grade=9)
        assert (cell.numerator, cell.denominator) == (1, 1)


def test_ingested_answer_sets_spend_codes_and_carry_the_submission_digest(history):
    rate = services.response_rate(history)
    assert rate.answered == Response.objects.filter(survey=history).count() and rate.invited == 18 * 25
    response = Response.objects.filter(survey=history).first()
    assert response.content_hash == services._digest(response.version_id, response.answers)
    assert {"girl", "boy", "other", ""} == aggregates.GENDERS


def test_a_drawn_code_another_class_has_is_drawn_again(standard, monkeypatch):
    first = closed_survey("Askøy", 1, classes=SMALL)
    taken = set(AccessCode.objects.filter(school_class__school__survey=first).values_list("code", flat=True)[:3])
    draw, draws = aggregates._draw, []

    def unlucky(count: int, length: int) -> set[str]:
        """The first draw brings three codes Askøy's class has (the random source cannot be told to)."""
        drawn = draw(count, length)
        if not draws:
            drawn = set(sorted(drawn)[: count - len(taken)]) | taken
        draws.append(count)
        return drawn

    monkeypatch.setattr(aggregates, "_draw", unlucky)
    second = closed_survey("Oslo", 2, classes=SMALL)
    assert len(draws) == 2 and draws[1] == 12, "the class left short draws all its codes again"
    codes = AccessCode.objects.filter(school_class__school__survey=second)
    assert codes.count() == 12 and not taken & set(codes.values_list("code", flat=True))
    assert codes.filter(used=True).count() == Response.objects.filter(survey=second).count()
    assert AccessCode.objects.filter(school_class__school__survey=first).count() == 12


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def test_the_pdf_report_is_made_by_the_worker_with_the_web_reports_figures(
    history, users, tmp_path, django_capture_on_commit_callbacks
):
    client = logged_in_client(users["municipal_contact"])
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(reverse("youth:report_pdf", args=[history.pk]))
    assert queued.status_code == 302
    job = client.get(queued["Location"]).context["job"]
    assert job.state == "done", job.message
    text = pdf_text(client.get(job.result_url).getvalue(), tmp_path)
    assert "Ungdomsundersøkelse 2025, Bergen" in text and "Vestland" in text and "Norge" in text
    assert "Føler seg trygge i nabolaget om kvelden" in text and "2019" in text and "2022" in text
    latest = _indicator(history, "drunk")["rows"][0]["figures"][0]
    assert f"{latest.percent} % ({latest.interval[0]}–{latest.interval[1]}, n={latest.n})" in text
    assert "Side 1 av" in text


def test_only_a_closed_survey_has_a_pdf_and_only_for_those_who_see_it(history, running, users):
    contact = logged_in_client(users["municipal_contact"])
    assert contact.post(reverse("youth:report_pdf", args=[running.pk])).status_code == 404
    assert logged_in_client(users["partner"]).post(reverse("youth:report_pdf", args=[history.pk])).status_code == 403


# KS's overviews -------------------------------------------------------------------------------------------------


def test_the_national_overview_shows_every_county_and_the_countrys_trend(history, users):
    page = logged_in_client(users["ks_adviser"]).get(reverse("youth:overview"))
    html = page.content.decode()
    assert page.status_code == 200 and "Vestland" in html and "Oslo" in html and "data:image/svg+xml" in html
    with translation.override("en"):
        levels = reports.national_overview()
    indicators = levels[0]["indicators"]
    assert len(indicators) == 10 and [point["year"] for point in indicators[0]["trend"]] == [2019, 2022, 2025]
    vestland = next(row for row in levels[0]["counties"] if row["county"].number == "46")
    assert vestland["year"] == 2025 and all(figure.share is not None for figure in vestland["figures"][:3])


def test_the_county_overview_shows_the_county_beside_the_country_through_the_same_suppression(history, users):
    page = logged_in_client(users["ks_admin"]).get(reverse("youth:county", args=["46"]))
    assert page.status_code == 200 and "Vestland" in page.content.decode()
    with translation.override("en"):
        drunk = next(
            i for i in reports.county_overview(history.municipality.county)[0]["indicators"] if i["code"] == "drunk"
        )
    assert [point["year"] for point in drunk["trend"]] == [2019, 2022, 2025]
    assert drunk["trend"][-1]["figures"] == _indicator(history, "drunk")["rows"][0]["figures"][1:]
    assert logged_in_client(users["ks_admin"]).get(reverse("youth:county", args=["99"])).status_code == 404
