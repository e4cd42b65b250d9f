"""Researchers' access: KS grants a named person the raw anonymous answer sets of some surveys, for a stated
purpose, until a day; only that person downloads them (CSV or Excel), each download in the audit trail; an expired
or revoked grant refuses; the file holds no code, class, school or day."""

import csv
import datetime as dt
import io
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from tests.conftest import logged_in_client
from tests.youth.conftest import codes
from trygg.core.models import AuditEntry, Municipality
from trygg.youth import research, services
from trygg.youth.models import ResearchGrant, Response

pytestmark = pytest.mark.django_db

ANSWERS = [
    {"a-gender": "girl", "a-safe_evening": "very_safe", "a-drunk": "once", "a-drunk_where": "party"},
    {"a-gender": "boy", "a-safe_evening": "_declined", "a-drunk": "never"},
    {"a-gender": "other", "a-drunk": "several", "a-drunk_where": ["home", "outdoors"]},
]


class _Form(dict):
    def getlist(self, name):
        value = self.get(name)
        return [] if value is None else value if isinstance(value, list) else [value]


@pytest.fixture
def closed(running, users):
    """Bergen's survey with three answer sets, closed: the answers are counted and published."""
    for code, body in zip(codes(running), ANSWERS, strict=False):
        questionnaire = services.questionnaire_for(services.code_of(code))
        answers, errors = services.read_answers(questionnaire, _Form(body))
        assert not errors
        assert services.submit(services.code_of(code), uuid.uuid4(), answers) == services.Outcome.ACCEPTED
    return services.close_survey(users["ks_admin"], running)


def _grant(client, survey, researcher, **changes):
    data = {
        "user": researcher.pk,
        "purpose": "Trygghet i nabolaget over tid (masteroppgave)",
        "surveys": [survey.pk],
        "year": "",
        "level": "",
        "until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        **changes,
    }
    return client.post(reverse("youth:grant_new"), data)


def test_ks_grants_and_the_researcher_downloads_the_anonymous_answer_sets(closed, users, clients):
    researcher = users["partner"]
    with translation.override("nb"):
        granted = _grant(clients["ks_adviser"], closed, researcher)
    assert granted.status_code == 302, granted.content.decode()[-1500:]
    grant = ResearchGrant.objects.get()
    assert grant.granted_by == users["ks_adviser"] and list(grant.surveys.all()) == [closed]

    page = clients["partner"].get(reverse("youth:grants")).content.decode()
    csv_url = reverse("youth:grant_export", args=[grant.pk, "csv"])
    assert "masteroppgave" in page and f'href="{csv_url}"' in page

    response = clients["partner"].get(csv_url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:6] == ["year", "municipality_number", "municipality", "level", "grade", "gender"]
    assert "safe_evening" in header and "drunk_where" in header and "gender" not in header[6:]
    assert len(body) == Response.objects.filter(survey=closed).count() == 3
    by_gender = {row[5]: dict(zip(header, row, strict=True)) for row in body}
    assert by_gender["girl"]["year"] == str(closed.year) and by_gender["girl"]["municipality"] == "Bergen"
    assert by_gender["girl"]["drunk_where"] == "party" and by_gender["other"]["drunk_where"] == "home|outdoors"
    assert by_gender["boy"]["safe_evening"] == "_declined" and by_gender["boy"]["drunk_where"] == ""  # not asked
    assert by_gender["other"]["safe_evening"] == "_skipped"
    # Nothing that could tie a row to a pupil: no code, class, school, submission id or day.
    for secret in [*codes(closed), "Nordnes", "9A"]:
        assert secret not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not any(str(response.submission_id) in text for response in Response.objects.all())

    reads = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, content_type__model="researchgrant")
    assert reads.count() == 1 and reads.get().actor == researcher and "masteroppgave" in reads.get().object_repr


def test_the_excel_file_neutralises_formulas_and_is_in_the_audit_trail(closed, users, clients):
    grant = research.grant(users["ks_admin"], users["partner"], "Formelprøve", timezone.localdate(), [closed])
    Municipality.objects.filter(pk=closed.municipality_id).update(name='=HYPERLINK("x")')
    response = clients["partner"].get(reverse("youth:grant_export", args=[grant.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert '\'=HYPERLINK("x")' in values
    assert not any(value.startswith(("=", "+", "-", "@")) for value in values)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(grant.pk)).count() == 1


def test_an_expired_or_revoked_grant_refuses_and_records_nothing(closed, users, clients):
    grant = research.grant(users["ks_admin"], users["partner"], "Utløper", timezone.localdate(), [closed])
    url = reverse("youth:grant_export", args=[grant.pk, "csv"])
    ResearchGrant.objects.filter(pk=grant.pk).update(until=timezone.localdate() - dt.timedelta(days=1))
    with translation.override("nb"):
        expired = clients["partner"].get(url)
        assert expired.status_code == 403 and "utløpt" in expired.content.decode()
        ResearchGrant.objects.filter(pk=grant.pk).update(until=timezone.localdate())
        assert clients["ks_adviser"].post(reverse("youth:grant_revoke", args=[grant.pk])).status_code == 302
        revoked = clients["partner"].get(url)
        assert revoked.status_code == 403 and "trukket tilbake" in revoked.content.decode()
    page = clients["partner"].get(reverse("youth:grants")).content.decode()
    assert url not in page
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, content_type__model="researchgrant").exists()


def test_nobody_but_the_researcher_downloads_not_even_ks_or_the_municipality(closed, users, clients):
    grant = research.grant(users["ks_admin"], users["partner"], "Bare forskeren", timezone.localdate(), [closed])
    for role in ("ks_admin", "ks_adviser", "municipal_contact"):
        assert clients[role].get(reverse("youth:grant_export", args=[grant.pk, "csv"])).status_code == 403, role
    assert clients["partner"].get(reverse("youth:grant_export", args=[grant.pk, "pdf"])).status_code == 404
    other = logged_in_client(users["municipal_contact"])
    assert other.get(reverse("youth:grants")).status_code == 403
    assert other.get(reverse("youth:grant_new")).status_code == 403


def test_a_year_grant_covers_every_closed_survey_of_that_year_and_level(closed, users):
    grant = research.grant(users["ks_admin"], users["partner"], "Hele året", timezone.localdate(), year=closed.year)
    assert list(research.surveys_of(grant)) == [closed] and research.responses_of(grant).count() == 3
    upper = research.grant(users["ks_admin"], users["partner"], "VGS", timezone.localdate(), year=closed.year,
                           level="upper")  # fmt: skip
    assert research.responses_of(upper).count() == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"purpose": "  "}, "Feltet er påkrevet"),
        ({"surveys": []}, "Velg undersøkelser, eller et år"),
        ({"year": "2025"}, "enten undersøkelser eller"),
        ({"until": "2020-01-01"}, "kan ikke være passert"),
    ],
)
def test_a_grant_without_purpose_scope_or_future_says_why(closed, users, clients, changes, message):
    with translation.override("nb"):
        refused = _grant(clients["ks_adviser"], closed, users["partner"], **changes)
    assert refused.status_code == 400 and message in refused.content.decode()
    assert not ResearchGrant.objects.exists()
