"""The moment a survey closes: a class answers through the pupils' endpoint, KS closes the survey, and at once the
web report, the PDF, the Excel file and the API publish the same figures, cell by cell — the same suppression, the
same shares, intervals and counts — with the county, the country and the trend over the municipality's earlier
survey, whose own published figures the trend repeats."""

import io
import re
import uuid
from collections import Counter
from html.parser import HTMLParser

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import logged_in_client
from tests.youth.conftest import report_pdf_words
from tests.youth.test_reports import closed_survey
from trygg.core.models import Municipality
from trygg.questionnaires.models import DECLINED
from trygg.questionnaires.services import latest_version
from trygg.youth import aggregates, services
from trygg.youth.models import AccessCode, Survey
from trygg.youth.synth import Generator

pytestmark = pytest.mark.django_db
CLASSES = [("Nordnes skole", f"{grade}{letter}", grade, 30) for grade in (8, 9, 10) for letter in "AB"]


class Tables(HTMLParser):
    """Every table of a page as (caption, rows of cell texts); whitespace squeezed out of each cell."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._caption = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(["", []])
        elif tag == "tr":
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._caption = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append("".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption":
            self.tables[-1][0] = " ".join("".join(self._caption).split())
            self._caption = None

    def handle_data(self, data):
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def web_text(figure: dict) -> str:
    """A figure as the web page shows it, from the API's fields (whitespace removed)."""
    if figure["hidden"]:
        return ":s" if figure["hidden"] == "secondary" else ":"
    if figure["share"] is None:
        return "–"
    percent = [round(100 * figure[field]) for field in ("share", "ci_low", "ci_high")]
    return "{}%({}–{}%,n={})".format(*percent, figure["n"])


def pdf_text(figure: dict) -> str | None:
    if figure["share"] is None:
        return None
    percent = [round(100 * figure[field]) for field in ("share", "ci_low", "ci_high")]
    return "{}%({}–{},n={})".format(*percent, figure["n"])


def answer_fields(answers: dict) -> dict:
    """A generated answer set as the pupil's form sends it: skipped items absent, declined as DECLINED."""
    return {f"a-{code}": [str(v) for v in value] if isinstance(value, list) else str(value)
            for code, value in answers.items() if value is not None}  # fmt: skip


@pytest.fixture
def answered(standard, users):
    """Bergen three years ago, Askøy (same county) and Oslo this year, all closed; and Bergen's survey of this year,
    running, every code of its six classes spent by a pupil through the pupils' endpoint."""
    year = timezone.localdate().year
    closed_survey("Bergen", 1, year=year - 3)
    closed_survey("Askøy", 2, year=year)
    closed_survey("Oslo", 3, year=year)
    today = timezone.localdate()
    lines = "\n".join(f"{school}; {name}; {grade}; {size}" for school, name, grade, size in CLASSES)
    survey = services.order_survey(users["ks_admin"], Municipality.objects.get(name="Bergen"), today, today, lines)
    survey = services.approve_survey(users["ks_admin"], survey)
    generator = Generator(latest_version("ung-ungdomsskole"))
    spent = list(AccessCode.objects.filter(school_class__school__survey=survey).select_related("school_class"))
    sets = generator.answer_sets(np.random.default_rng(7), [code.school_class.grade for code in spent], 8, 0.0)
    pupil = Client()
    for code, (_grade, answers) in zip(spent, sets, strict=True):
        body = {"action": "send", "code": code.code, "sid": str(uuid.uuid4()), "lang": "nb", **answer_fields(answers)}
        assert pupil.post(reverse("youth:answer"), body, HTTP_X_REQUESTED_WITH="fetch").json()["status"] == "accepted"
    assert any(DECLINED in answers.values() for _grade, answers in sets)
    return survey


def test_the_report_is_published_everywhere_alike_the_moment_the_survey_closes(
    answered, users, tmp_path, django_capture_on_commit_callbacks
):
    adviser, contact = logged_in_client(users["ks_adviser"]), logged_in_client(users["municipal_contact"])
    assert contact.get(f"/api/youth/surveys/{answered.pk}/figures").status_code == 404, "nothing before closing"
    assert adviser.post(reverse("youth:close", args=[answered.pk])).status_code == 302
    assert Survey.objects.get(pk=answered.pk).status == Survey.Status.CLOSED

    api = contact.get(f"/api/youth/surveys/{answered.pk}/figures").json()
    assert {row["area"] for row in api} == {"municipality", "county", "country"}
    assert {row["hidden"] for row in api} == {"", "primary", "secondary"}, "shown, hidden and hidden to protect"
    assert all(row["ci_low"] <= row["share"] <= row["ci_high"] for row in api if row["share"] is not None)

    workbook = load_workbook(io.BytesIO(contact.get(reverse("youth:report_export", args=[answered.pk])).content))
    sheet = [row for row in workbook.active.iter_rows(values_only=True) if row[0] in ("junior", "lower", "upper")]
    assert len(sheet) == len(api)
    for row, figure in zip(sheet, api, strict=True):
        level, _title, _group, _area, n, share, low, high, note = row
        assert level == figure["level"] and n == figure["n"]
        assert (share, low, high) == tuple(
            None if figure[f] is None else round(figure[f], 4) for f in ("share", "ci_low", "ci_high")
        )
        assert bool(note) == bool(figure["hidden"]) and figure["hidden"] in (note or "")

    page = contact.get(reverse("youth:report", args=[answered.pk]))
    assert "Svarprosent 100 % (180 av 180 elever)" in page.content.decode()
    parser = Tables()
    parser.feed(page.content.decode())
    tables = dict(parser.tables)
    areas = ("municipality", "county", "country")
    for row, figure in zip(sheet, api, strict=True):
        title, group, area = row[1], row[2], areas.index(figure["area"])
        cells = next(cells for cells in tables[title] if cells and cells[0] == "".join(group.split()))
        assert cells[1 + area] == web_text(figure), (title, group, figure["area"])

    earlier = earlier_figures(contact, answered)
    trend_cells = []
    for title in {row[1] for row in sheet}:
        trend = tables[f"{title}: utvikling, alle elever"]
        year_rows = trend[1:]
        assert [cells[0] for cells in year_rows] == [str(answered.year - 3), str(answered.year)]
        for cells, figures in zip(year_rows, (earlier[title], current_all(api, sheet, title)), strict=True):
            assert [cells[1], cells[3], cells[4]] == [web_text(figure) for figure in figures]
            trend_cells += [pdf_text(figure) for figure in figures]

    pdf = report_pdf_words(contact, answered, tmp_path, django_capture_on_commit_callbacks)
    printed = Counter(
        "{}%({}–{},n={})".format(*found) for found in re.findall(r"(\d+) % \((\d+)–(\d+), n=(\d+)\)", pdf)
    )
    expected = Counter(filter(None, [*(pdf_text(figure) for figure in api), *trend_cells]))
    assert printed == expected, "the PDF prints every published figure, and no other"


def current_all(api: list[dict], sheet: list, title: str) -> list[dict]:
    """This year's "all pupils" figures of an indicator for the municipality, the county and the country."""
    return [figure for row, figure in zip(sheet, api, strict=True) if row[1] == title and figure["group"] == "all"]


def earlier_figures(client, survey) -> dict[str, list[dict]]:
    """The earlier survey's own published "all pupils" figures per indicator title, through its own API and Excel."""
    (earlier,) = Survey.objects.filter(municipality=survey.municipality).exclude(pk=survey.pk)
    api = client.get(f"/api/youth/surveys/{earlier.pk}/figures").json()
    workbook = load_workbook(io.BytesIO(client.get(reverse("youth:report_export", args=[earlier.pk])).content))
    sheet = [row for row in workbook.active.iter_rows(values_only=True) if row[0] in ("junior", "lower", "upper")]
    return {title: current_all(api, sheet, title) for title in {row[1] for row in sheet}}


def test_a_survey_of_two_levels_reports_each_indicator_once_per_level(standard, users):
    """Each level's questionnaire has its own rule for an indicator: the report takes the level's own."""
    upper = [("Bergen katedralskole", f"VG{year}A", 10 + year, 25) for year in (1, 2, 3)]
    survey = closed_survey("Bergen", 4, classes=[*CLASSES, *upper])
    contact = logged_in_client(users["municipal_contact"])
    figures = contact.get(f"/api/youth/surveys/{survey.pk}/figures").json()
    for level, code in (("lower", "ung-ungdomsskole"), ("upper", "ung-vgs")):
        indicators = [row["indicator"] for row in figures if row["level"] == level and row["area"] == "country"]
        groups = 3 + 3  # all, girls, boys and the level's three grades
        rules = latest_version(code).indicator_rules.values_list("indicator__code", flat=True)
        assert sorted(indicators) == sorted(code for code in rules for _group in range(groups)), level


@pytest.mark.parametrize(("pupils", "shown"), [(15, False), (25, True)])
def test_all_of_a_small_group_answering_alike_is_hidden_everywhere(standard, users, pupils, shown):
    """15 girls of one class who all feel safe: 100 % of fewer than twice the minimum tells each girl's answer, so
    it is hidden, though 15 answers are more than the minimum; 25 alike may be shown."""
    municipality = Municipality.objects.select_related("county").get(name="Bergen")
    answers = [(9, {"gender": "girl", "safe_evening": "very_safe"}) for _pupil in range(pupils)]
    aggregates.ingest([aggregates.Earlier(municipality, 2025, [("Nordnes skole", "9A", 9, pupils)], answers)])
    survey = Survey.objects.get()
    contact = logged_in_client(users["municipal_contact"])
    figures = contact.get(f"/api/youth/surveys/{survey.pk}/figures").json()
    safe = [row for row in figures if row["indicator"] == "safe_evening" and row["area"] == "municipality"]
    for group in ("all", "gender:girl", "grade:9"):
        (row,) = [row for row in safe if row["group"] == group]
        assert (row["share"], row["hidden"]) == ((1.0, "") if shown else (None, "primary")), group
    page = contact.get(reverse("youth:report", args=[survey.pk])).content.decode()
    assert ("100 % <span" in page) is shown  # a share with its interval; the intro names 0 % and 100 % too
