"""The youth survey's Excel file starts no formula, whatever a municipality, school or question is called."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import assert_no_cell_can_start_a_formula, logged_in_client
from tests.youth.test_reports import closed_survey
from trygg.core.models import Municipality
from trygg.questionnaires.models import Indicator
from trygg.youth.models import School

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", " \u00a0=1", "a;=1\n-2"]


def test_no_cell_of_the_excel_file_can_start_a_formula(standard, users):
    survey = closed_survey("Bergen", 3)
    Municipality.objects.filter(pk=survey.municipality_id).update(name=HOSTILE[0])
    School.objects.filter(pk=School.objects.filter(survey=survey).first().pk).update(name=HOSTILE[1])
    indicators = list(Indicator.objects.filter(rules__version__in=survey.versions.all()).distinct())
    assert len(indicators) >= len(HOSTILE)
    for indicator, text in zip(indicators, HOSTILE, strict=False):
        indicator.title = {"nb": text, "en": text}  # as an own question's wording would be stored
        indicator.save()
    response = logged_in_client(users["ks_admin"]).get(reverse("youth:report_export", args=[survey.pk]))
    assert response.status_code == 200
    cells = [cell for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    unquoted = [text.replace("'", "") for text in texts]
    assert any(HOSTILE[0] in text for text in unquoted)  # in the title line, after the year
    for text in HOSTILE[2:]:
        assert text in unquoted, repr(text)  # each question's wording, quoted where it could start a formula
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    for text in texts:
        assert_no_cell_can_start_a_formula(text)
