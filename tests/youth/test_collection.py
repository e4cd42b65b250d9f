"""Collection through the public surface: ordering and approval, code sheets, the pupil's pages without script,
duplicate-safe submission, and anonymity by construction (nothing logged, audited or stored that links)."""

import datetime as dt
import logging
import re
import subprocess
import uuid

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import IDENTITY_NUMBER_DISGUISES, INVISIBLE_NAMES, SCREENING_REFUSAL, logged_in_client
from tests.youth.conftest import codes
from trygg.core.models import AuditEntry, Municipality
from trygg.core.observability import RequestIdFilter
from trygg.questionnaires import services as questionnaires
from trygg.youth import services
from trygg.youth.models import QUESTIONNAIRES, AccessCode, Inbox, Level, Response, Survey, Tally

pytestmark = pytest.mark.django_db
ANSWER = reverse("youth:answer")


def test_a_contact_orders_ks_approves_and_every_pupil_gets_a_code(standard, users):
    contact = logged_in_client(users["municipal_contact"])
    today = timezone.localdate()
    form = {
        "municipality": Municipality.objects.get(name="Bergen").pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=20)).isoformat(),
        "themes": ["skole"],
        "classes": "Nordnes skole; 8A; 8; 24\nNordnes skole; 9A; 9; 22\nBergen katedralskole; VG1A; 11; 30",
    }
    response = contact.post(reverse("youth:order"), form)
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.status == Survey.Status.ORDERED
    assert contact.post(reverse("youth:approve", args=[survey.pk])).status_code == 403
    oslo = {**form, "municipality": Municipality.objects.get(name="Oslo").pk}
    assert contact.post(reverse("youth:order"), oslo).status_code == 400  # not the contact's municipality
    adviser = logged_in_client(users["ks_adviser"])
    assert adviser.post(reverse("youth:approve", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.APPROVED
    assert {v.questionnaire.code for v in survey.versions.all()} == {"ung-ungdomsskole", "ung-vgs"}
    assert all(v.frozen for v in survey.versions.all())
    all_codes = codes(survey)
    assert len(all_codes) == len(set(all_codes)) == 24 + 22 + 30
    assert all(len(code) == services.CODE_LENGTH and set(code) <= set(services.CODE_ALPHABET) for code in all_codes)
    pdf = contact.get(reverse("youth:codes_pdf", args=[survey.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    # The codes are set with letter spacing, which pdftotext sometimes reads as a space between two letters.
    letters = re.sub(r"\s+", "", text)
    assert all(code in letters for code in all_codes[:10]) and "Nordnes skole" in text


def test_ks_cannot_approve_a_survey_on_a_questionnaire_with_free_text(standard, users):
    lower = questionnaires.latest_version(QUESTIONNAIRES[Level.LOWER])
    data = questionnaires.export_definition(lower)
    data["version"] = lower.number + 1
    own_words = {"code": "own_words", "kind": "text", "text": {"nb": "Med egne ord", "en": "In your own words"}}
    data["modules"][0]["items"].append(own_words)
    questionnaires.import_definition(data)
    survey = services.order_survey(
        users["municipal_contact"], Municipality.objects.get(name="Bergen"), timezone.localdate(),
        timezone.localdate(), "Nordnes skole; 8A; 8; 24",
    )  # fmt: skip
    adviser = logged_in_client(users["ks_adviser"])
    with translation.override("nb"):
        response = adviser.post(reverse("youth:approve", args=[survey.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="nb")
    assert "har fritekstspørsmål" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.ORDERED and not AccessCode.objects.exists()


def test_an_order_with_a_bad_line_says_which(standard, users):
    contact = logged_in_client(users["municipal_contact"])
    today = timezone.localdate().isoformat()
    form = {"municipality": Municipality.objects.get(name="Bergen").pk, "starts_on": today, "ends_on": today,
            "classes": "Nordnes skole; 8A; 8; 24\nNordnes skole 9A 22"}  # fmt: skip
    response = contact.post(reverse("youth:order"), form)
    assert response.status_code == 400 and "Linje 2" in response.content.decode()


def _page(client, data):
    response = client.post(ANSWER, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def _fields(response) -> dict:
    """The form's hidden fields, as a browser without script would send them back."""
    import re

    html = response.content.decode()
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    data: dict = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def answer_everything(client, code: str, choices: dict) -> tuple:
    """Walk the pages without script, answering from ``choices`` (item code -> value); returns the last response."""
    response = _page(client, {"action": "start", "code": code, "lang": "nb", "sid": ""})
    for _step in range(30):
        html = response.content.decode()
        data = _fields(response)
        data.pop("csrfmiddlewaretoken", None)
        for item, value in choices.items():
            if f'name="a-{item}"' in html and f'type="hidden" name="a-{item}"' not in html:
                data[f"a-{item}"] = value
        if 'value="send"' in html:
            return client.post(ANSWER, {**data, "action": "send"}), data
        response = _page(client, {**data, "action": "next"})
    raise AssertionError("never reached the last page")


def test_a_pupil_answers_page_by_page_without_script(running, client, users):
    code = codes(running)[0]
    final, _data = answer_everything(
        client,
        code,
        {
            "gender": "girl",
            "safe_evening": "quite_safe",
            "drunk": "once",
            "drunk_where": ["party", "home"],
            "lonely": "_declined",
            "close_friends": "3",
        },
    )
    assert final.status_code == 302 and final["Location"].startswith(reverse("youth:thanks"))
    assert "at the latest when the survey closes" in client.get(reverse("youth:thanks") + "?lang=en").content.decode()
    assert AccessCode.objects.get(code=code).used and not Response.objects.exists()
    safe = Tally.objects.get(survey=running, indicator__code="safe_evening", gender="girl", grade=9)
    assert safe.denominator == 0  # waiting in the inbox: counted with a batch of others, or on closing
    adviser = logged_in_client(users["ks_adviser"])
    assert adviser.post(reverse("youth:close", args=[running.pk])).status_code == 302
    assert not Inbox.objects.exists()
    stored = Response.objects.get()
    assert stored.answers["gender"] == "girl" and stored.answers["drunk_where"] == ["home", "party"]
    assert stored.answers["lonely"] == "_declined" and stored.answers["close_friends"] == 3
    assert stored.answers["cannabis"] is None  # shown, skipped
    assert "threatened" in stored.answers and "school_thrive" not in stored.answers  # chosen theme only
    assert (stored.grade, stored.level, stored.gender) == (9, "lower", "girl")
    safe.refresh_from_db()
    assert (safe.numerator, safe.denominator) == (1, 1)
    lonely = Tally.objects.get(survey=running, indicator__code="lonely", gender="girl", grade=9)
    assert lonely.denominator == 0  # declined is not an answer
    again = client.post(ANSWER, {"action": "start", "code": code, "lang": "nb"})
    assert again.status_code == 400 and "allerede" in again.content.decode()


def test_skip_logic_leaves_a_follow_up_unasked(running, client):
    answer_everything(client, codes(running)[0], {"drunk": "never", "drunk_where": ["party"]})
    assert "drunk_where" not in Inbox.objects.get().answers


def test_a_retry_is_accepted_once_other_content_is_a_conflict_and_a_used_code_is_refused(running, client, users):
    first, second, third = codes(running)[:3]
    sid = str(uuid.uuid4())
    body = {"action": "send", "code": first, "sid": sid, "lang": "nb", "a-gender": "boy", "a-drunk": "never"}
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch"}

    def outcomes():
        retry = client.post(ANSWER, body, **fetch)
        assert retry.status_code == 200 and retry.json()["status"] == "duplicate"
        retry_other_code = client.post(ANSWER, {**body, "code": third}, **fetch)  # one submission, whatever code
        assert retry_other_code.json()["status"] == "duplicate"
        conflict = client.post(ANSWER, {**body, "a-drunk": "once"}, **fetch)
        assert conflict.status_code == 409 and conflict.json()["status"] == "conflict"
        reused = client.post(ANSWER, {**body, "sid": str(uuid.uuid4())}, **fetch)
        assert reused.status_code == 403 and reused.json()["status"] == "used"

    assert client.post(ANSWER, body, **fetch).json()["status"] == "accepted"
    outcomes()  # while it waits in the inbox
    assert Inbox.objects.count() == 1 and not AccessCode.objects.get(code=third).used
    other = client.post(ANSWER, {**body, "code": second, "sid": str(uuid.uuid4())}, **fetch)
    assert other.json()["status"] == "accepted" and Inbox.objects.count() == 2
    services.close_survey(users["ks_admin"], running)
    assert Response.objects.count() == 2 and not Inbox.objects.exists()
    assert sum(Tally.objects.filter(survey=running, indicator__code="drunk").values_list("denominator", flat=True)) == 2
    Survey.objects.filter(pk=running.pk).update(status=Survey.Status.APPROVED)  # reopened: retries after counting
    outcomes()
    assert Response.objects.count() == 2 and not Inbox.objects.exists()
    assert not AccessCode.objects.get(code=third).used


def test_a_class_sending_at_once_costs_the_database_a_few_statements_per_pupil(
    running, client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """What a class of 30 sending in the same minute costs: the questionnaire is read once per process, and each
    pupil's answers take the code's lookup, one transaction of three statements (here in a savepoint), and after
    the commit one question — is the batch full, or the survey closed meanwhile?"""
    first, second = codes(running)[:2]
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch"}

    def body(code):
        return {"action": "send", "code": code, "sid": str(uuid.uuid4()), "lang": "nb", "a-gender": "girl",
                "a-drunk": "never", "a-close_friends": "3"}  # fmt: skip

    assert client.post(ANSWER, body(first), **fetch).json()["status"] == "accepted"
    with django_assert_num_queries(7), django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(ANSWER, body(second), **fetch).json()["status"] == "accepted"
    assert len(callbacks) == 1 and Inbox.objects.count() == 2


def test_unknown_code_and_closed_survey_are_told_plainly(running, client, users):
    assert "kjenner ikke" in client.post(ANSWER, {"action": "start", "code": "XXXX"}).content.decode()
    services.close_survey(users["ks_admin"], running)
    response = client.post(ANSWER, {"action": "start", "code": codes(running)[0]})
    assert response.status_code == 400 and "ikke åpen" in response.content.decode()


class Collect(logging.Handler):
    """What the console handler would write: the same filter, applied as each record is emitted."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.lines = []

    def emit(self, record):
        self.lines.append(f"{record.name} {record.getMessage()} {record.__dict__}")


@pytest.fixture
def written():
    handler, root = Collect(), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(level)


def test_the_pupil_pages_leave_no_trace_in_logs_audit_or_axes(running, client, written):
    audit_before = AuditEntry.objects.count()
    code = codes(running)[0]
    client.get(reverse("youth:start"), REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="PupilPhone/1.0")
    answer_everything(client, code, {"gender": "boy"})
    body = {"action": "send", "code": code, "sid": str(uuid.uuid4()), "a-gender": "girl"}
    client.post(ANSWER, body, REMOTE_ADDR="203.0.113.7", HTTP_X_REQUESTED_WITH="fetch")  # a 403: Django logs 4xx
    client.post(ANSWER, {"action": "start", "code": "NOPE"})  # a 400
    client.get(ANSWER)
    assert written == []
    client.get(reverse("core:home"))
    assert any("GET / 200" in line for line in written), "other pages are still logged"
    assert AuditEntry.objects.count() == audit_before
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()
    stored = Inbox.objects.get()
    for model in (Inbox, Response):
        fields = {field.name for field in model._meta.get_fields()}
        assert fields == {"id", "survey", "version", "submission_id", "content_hash", "submitted_on", "level", "grade",
                          "gender", "answers"}  # fmt: skip
        assert model._meta.get_field("submitted_on").get_internal_type() == "DateField"
    assert isinstance(stored.submitted_on, dt.date) and not isinstance(stored.submitted_on, dt.datetime)
    assert {field.name for field in AccessCode._meta.get_fields()} == {"id", "school_class", "code", "used"}
    assert code not in str(stored.answers) and "203.0.113.7" not in str(stored.answers)


def test_the_workers_tick_counts_full_batches_and_the_rest_once_the_survey_is_over(running, client, settings):
    settings.YOUTH_INBOX_BATCH = 3
    (sweep,) = apps.get_app_config("youth").periodic_work
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch"}
    for code in codes(running)[:5]:
        body = {"action": "send", "code": code, "sid": str(uuid.uuid4()), "a-gender": "girl", "a-drunk": "never"}
        assert client.post(ANSWER, body, **fetch).json()["status"] == "accepted"
    sweep(timezone.now())
    assert Response.objects.count() == 5 and not Inbox.objects.exists()  # five waiting make a batch of three or more
    for code in codes(running)[5:7]:
        body = {"action": "send", "code": code, "sid": str(uuid.uuid4()), "a-gender": "boy", "a-drunk": "once"}
        assert client.post(ANSWER, body, **fetch).json()["status"] == "accepted"
    sweep(timezone.now())
    assert Inbox.objects.count() == 2  # too few to mix while the survey runs
    sweep(timezone.now() + dt.timedelta(days=31))  # the last day has passed, nobody closed it
    assert Response.objects.count() == 7 and not Inbox.objects.exists()
    drunk = Tally.objects.filter(survey=running, indicator__code="drunk")
    assert sum(drunk.values_list("denominator", flat=True)) == 7 and sum(drunk.values_list("numerator", flat=True)) == 2


def _order(client, classes: str, **changes):
    today = timezone.localdate()
    form = {"municipality": Municipality.objects.get(name="Bergen").pk, "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=20)).isoformat(), "classes": classes, **changes}  # fmt: skip
    return client.post(reverse("youth:order"), form)


def test_school_and_class_names_are_screened_need_visible_characters_and_are_stored_in_nfc(standard, users):
    contact = logged_in_client(users["municipal_contact"])
    for disguise in IDENTITY_NUMBER_DISGUISES:
        for line in (f"Skole {disguise}; 8A; 8; 24", f"Nordnes skole; {disguise}; 8; 24"):
            response = _order(contact, line)
            assert response.status_code == 400 and SCREENING_REFUSAL in response.content.decode(), line
    for name in INVISIBLE_NAMES:
        for line in (f"{name}; 8A; 8; 24", f"Nordnes skole;{name}; 8; 24"):
            response = _order(contact, line)
            assert response.status_code == 400 and "Linje 1" in response.content.decode(), repr(line)
    assert not Survey.objects.exists()
    assert _order(contact, "Sma\u030alenene skole; 8A; 8; 24").status_code == 302
    assert Survey.objects.get().schools.get().name == "Smålenene skole"


@pytest.mark.parametrize(
    ("classes", "changes"),
    [
        ("Nordnes skole; 8A; 8; " + "9" * 5000, {}),  # past Python's limit for reading a number
        ("Nordnes skole; 8A; " + "9" * 20 + "; 24", {}),
        ("Nordnes skole; 8A; 8; 2147483648", {}),
        ("Nordnes skole; 8A; 8; 24", {"ends_on": "9999-12-31"}),
        ("Nordnes skole; 8A; 8; 24", {"starts_on": "9999-01-01", "ends_on": "9999-12-31"}),
    ],
)
def test_huge_numbers_and_the_year_9999_are_refused_with_a_message(standard, users, classes, changes):
    response = _order(logged_in_client(users["municipal_contact"]), classes, **changes)
    assert response.status_code == 400
    assert "Linje 1" in response.content.decode() or "Velg en dato mellom" in response.content.decode()
    assert not Survey.objects.exists()
