"""A municipality's own questions: written on the survey's pages while it is ordered, frozen by approval, asked
after the standard questions, reported (suppressed) on the web, in the PDF, Excel and the API, and in the
researchers' file."""

import csv
import datetime as dt
import io
import subprocess
import uuid

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from tests.conftest import IDENTITY_NUMBER_DISGUISES, SCREENING_REFUSAL, logged_in_client, make_user
from tests.youth.conftest import codes, report_pdf_words
from tests.youth.test_collection import ANSWER, answer_everything
from trygg.core.models import Municipality, Role
from trygg.questionnaires.services import latest_version
from trygg.youth import own, reports, research, services
from trygg.youth.models import Response

pytestmark = pytest.mark.django_db

SINGLE = {
    "text_nb": "Hvor ofte bruker du biblioteket?",
    "text_en": "How often do you use the library?",
    "kind": "single",
    "options_nb": "Aldri\nAv og til\nOfte",
    "options_en": "Never\nSometimes\nOften",
}
MULTIPLE = {
    "text_nb": "Hvilke tilbud bruker du?",
    "kind": "multiple",
    "options_nb": "Fritidsklubb\nIdrett\nKulturskole",
}
NUMBER = {"text_nb": "Hvor mange minutter går du til skolen?", "kind": "number", "minimum": "0", "maximum": "60"}


def order(users, classes="Nordnes skole; 9A; 9; 12"):
    today = timezone.localdate()
    bergen = Municipality.objects.get(name="Bergen")
    return services.order_survey(
        users["municipal_contact"], bergen, today, today + dt.timedelta(days=30), classes, themes=["vold"]
    )


@pytest.fixture
def ordered(standard, users):
    return order(users)


def pdf_text(path) -> str:
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def url(survey, *args, name="youth:own_questions"):
    return reverse(name, args=[survey.pk, *args])


def post(client, address, data):
    with translation.override("nb"):
        return client.post(address, data)


def test_a_contact_writes_edits_moves_and_removes_own_questions(ordered, users):
    contact = logged_in_client(users["municipal_contact"])
    for question in (SINGLE, MULTIPLE, NUMBER):
        assert post(contact, url(ordered), question).status_code == 302
    page = contact.get(url(ordered)).content.decode()
    assert "Hvor ofte bruker du biblioteket?" in page and "Av og til" in page and "0–60" in page
    assert "Legg til et spørsmål" in page  # room for two more
    edited = {
        **MULTIPLE,
        "text_nb": "Hvilke fritidstilbud bruker du?",
        "options_nn": "Fritidsklubb\nIdrett\nKulturskule",
    }
    assert contact.get(url(ordered, 2, name="youth:own_question")).status_code == 200
    assert post(contact, url(ordered, 2, name="youth:own_question"), edited).status_code == 302
    assert post(contact, url(ordered, 3, name="youth:own_question_change"), {"action": "up"}).status_code == 302
    assert post(contact, url(ordered, 1, name="youth:own_question_change"), {"action": "remove"}).status_code == 302
    entries = own.definitions(ordered)
    assert [entry["kind"] for entry in entries] == ["number", "multiple"]
    assert [entry["code"] for entry in entries] == [f"egen-{ordered.pk}-1", f"egen-{ordered.pk}-2"]
    assert entries[1]["text"] == {"nb": "Hvilke fritidstilbud bruker du?"}
    assert entries[1]["options"][2]["label"] == {"nb": "Kulturskole", "nn": "Kulturskule"}
    assert entries[0]["minimum"] == 0 and entries[0]["maximum"] == 60
    survey_page = contact.get(ordered.get_absolute_url()).content.decode()
    assert "2 egne spørsmål" in survey_page and url(ordered) in survey_page
    ks = logged_in_client(users["ks_adviser"])
    assert post(ks, url(ordered, 2, name="youth:own_question_change"), {"action": "remove"}).status_code == 302
    assert len(own.definitions(ordered)) == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"kind": "text"}, "Velg et gyldig valg"),
        ({"text_nb": ""}, "Feltet er påkrevet"),
        ({"options_nb": "Bare ett"}, "Skriv fra 2 til 10 svaralternativer på bokmål"),
        ({"options_nb": "Ja\nja"}, "To svaralternativer er like"),
        ({"options_en": "Never\nOften"}, "like mange alternativer på engelsk"),
        ({"kind": "number"}, "trenger et laveste og et høyeste svar"),
        ({"kind": "number", "minimum": "5", "maximum": "5"}, "Det laveste svaret må være under det høyeste"),
        ({"kind": "number", "minimum": "1", "maximum": "99999"}, "mindre enn eller lik 10000"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(ordered, users, changes, message):
    contact = logged_in_client(users["municipal_contact"])
    response = post(contact, url(ordered), {**SINGLE, **changes})
    html = response.content.decode()
    assert response.status_code == 400 and message in html, html[html.find("<main") :][:3000]
    assert "Hvor ofte bruker du biblioteket?" in html or changes.get("text_nb") == ""
    assert own.count(ordered) == 0


def test_free_text_is_not_offered(ordered, users):
    html = logged_in_client(users["municipal_contact"]).get(url(ordered)).content.decode()
    assert 'value="single"' in html and 'value="number"' in html and 'value="text"' not in html


@pytest.mark.parametrize("field", ["text_nb", "text_en", "options_nb", "options_nn"])
def test_an_identity_number_in_a_question_or_option_is_refused(ordered, users, field):
    contact = logged_in_client(users["municipal_contact"])
    for disguise in IDENTITY_NUMBER_DISGUISES:
        lines = ["Aldri", "Av og til", "Ofte"]
        lines[1] = f"Av og til {disguise}"
        value = "\n".join(lines) if field.startswith("options") else f"Kjenner du {disguise}?"
        response = post(contact, url(ordered), {**SINGLE, field: value})
        assert response.status_code == 400 and SCREENING_REFUSAL in response.content.decode()
    assert own.count(ordered) == 0
    with pytest.raises(services.SurveyError, match="D-number"), translation.override("en"):
        own.question("single", {"nb": "Spørsmål"}, {"nb": ["Ja", f"Nei {IDENTITY_NUMBER_DISGUISES[0]}"]})


def test_a_phone_number_warns_but_saves(ordered, users):
    contact = logged_in_client(users["municipal_contact"])
    response = post(contact, url(ordered), {**SINGLE, "text_nb": "Har du ringt 22 33 44 55?"})
    assert response.status_code == 302 and own.count(ordered) == 1
    with translation.override("nb"):
        assert "telefonnummer" in contact.get(response["Location"]).content.decode()


def test_at_most_five_questions(ordered, users):
    contact = logged_in_client(users["municipal_contact"])
    for _number in range(own.MAX_QUESTIONS):
        assert post(contact, url(ordered), SINGLE).status_code == 302
    page = contact.get(url(ordered)).content.decode()
    assert "Legg til et spørsmål" not in page and "har de 5 egne spørsmålene" in page
    response = post(contact, url(ordered), NUMBER)
    assert response.status_code == 400 and "høyst 5 egne spørsmål" in response.content.decode()
    assert own.count(ordered) == own.MAX_QUESTIONS


def test_another_municipalitys_contact_and_a_partner_are_refused(ordered, users):
    elsewhere = make_user(Role.MUNICIPAL_CONTACT, username="oslo_contact")
    elsewhere.municipalities.set(Municipality.objects.filter(name="Oslo"))
    post(logged_in_client(users["municipal_contact"]), url(ordered), SINGLE)
    for user in (elsewhere, users["partner"]):
        client = logged_in_client(user)
        assert client.get(url(ordered)).status_code == 403
        assert post(client, url(ordered), NUMBER).status_code == 403
        assert client.get(url(ordered, 1, name="youth:own_question")).status_code == 403
        assert post(client, url(ordered, 1, name="youth:own_question"), NUMBER).status_code == 403
        assert post(client, url(ordered, 1, name="youth:own_question_change"), {"action": "remove"}).status_code == 403
    assert own.count(ordered) == 1
    with pytest.raises(services.SurveyError):
        own.save(elsewhere, ordered, own.question("number", {"nb": "Hvor mange?"}, minimum=0, maximum=9))
    assert (
        logged_in_client(users["municipal_contact"]).get(url(ordered, 7, name="youth:own_question")).status_code == 404
    )


def test_approval_freezes_them_and_editing_after_is_refused(ordered, users):
    contact = logged_in_client(users["municipal_contact"])
    post(contact, url(ordered), SINGLE)
    services.approve_survey(users["ks_admin"], ordered)
    version = own.version_of(ordered)
    assert version.frozen and version in ordered.versions.all()
    page = contact.get(url(ordered)).content.decode()
    assert "Hvor ofte bruker du biblioteket?" in page and "frosset" in page and 'name="text_nb"' not in page
    assert 'name="text_nb"' not in contact.get(url(ordered, 1, name="youth:own_question")).content.decode()
    response = post(contact, url(ordered), NUMBER)
    assert response.status_code == 400 and "kan ikke lenger endres" in response.content.decode()
    assert (
        "kan ikke lenger endres" in post(contact, url(ordered, 1, name="youth:own_question"), NUMBER).content.decode()
    )
    changed = post(contact, url(ordered, 1, name="youth:own_question_change"), {"action": "remove"})
    assert changed.status_code == 302
    with translation.override("nb"):
        assert "kan ikke lenger endres" in contact.get(changed["Location"]).content.decode()
    assert own.count(ordered) == 1 and own.version_of(ordered).frozen


def test_a_pupil_answers_them_after_the_standard_questions_without_script(ordered, users, client):
    contact = logged_in_client(users["municipal_contact"])
    for question in (SINGLE, MULTIPLE, NUMBER):
        post(contact, url(ordered), question)
    survey = services.approve_survey(users["ks_admin"], ordered)
    first, second = codes(survey)[:2]
    single, multiple, number = (f"egen-{survey.pk}-{n}" for n in (1, 2, 3))
    final, _data = answer_everything(client, first, {"gender": "girl", single: "2", multiple: ["1", "3"], number: "15"})
    assert final.status_code == 302
    # In English the first question is in English; the others, written in bokmål only, fall back to it.
    page = client.post(ANSWER, {"action": "start", "code": second, "lang": "en", "sid": "", "whole": "1"})
    html = page.content.decode()
    assert "How often do you use the library?" in html and "Sometimes" in html
    assert f'lang="nb" data-item="{multiple}"' in html and "Hvilke tilbud bruker du?" in html
    assert f'lang="en" data-item="{single}"' in html and "Kommunen sine eigne spørsmål" not in html
    assert 'value="nn"' in html, "own questions in bokmål only do not take nynorsk from the pupils"
    services.close_survey(users["ks_admin"], survey)
    stored = Response.objects.get()
    assert stored.answers[single] == "2" and stored.answers[multiple] == ["1", "3"] and stored.answers[number] == 15
    assert stored.version.questionnaire.code == "ung-ungdomsskole"


# A survey of 50 pupils who answer one own question: three girls (a primary cell) chose "Aldri".
GIRLS = ["1"] * 3 + ["2"] * 12 + ["3"] * 10
BOYS = ["1"] * 12 + ["2"] * 13


class _Form(dict):
    def getlist(self, name):
        value = self.get(name)
        return [] if value is None else [value]


@pytest.fixture
def answered(standard, users):
    survey = order(users, "Nordnes skole; 9A; 9; 30\nNordnes skole; 9B; 9; 30")
    post(logged_in_client(users["municipal_contact"]), url(survey), SINGLE)
    survey = services.approve_survey(users["ks_admin"], survey)
    item = f"egen-{survey.pk}-1"
    chosen = [("girl", option) for option in GIRLS] + [("boy", option) for option in BOYS]
    for code, (gender, option) in zip(codes(survey), chosen, strict=False):
        access = services.code_of(code)
        answers, errors = services.read_answers(
            services.questionnaire_for(access), _Form({"a-gender": gender, f"a-{item}": option})
        )
        assert not errors and services.submit(access, uuid.uuid4(), answers) == services.Outcome.ACCEPTED
    return survey


def _solvable(shown: dict, hidden: tuple) -> bool:
    """Whether the hidden (gender, option) cell is a linear combination of the shown figures (exact rank test)."""
    genders, options = ["girl", "boy", "other", ""], ["1", "2", "3"]
    cells = [(g, o) for g in genders for o in options]
    members = {"all": genders, "gender:girl": ["girl"], "gender:boy": ["boy"]}
    rows = []
    for (group, answer), _value in shown.items():
        chosen = options if answer == "" else [answer]
        rows.append([1 if g in members[group] and o in chosen else 0 for g, o in cells])
    rows += [[1 if (g, o) == cell else 0 for g, o in cells] for cell in cells if cell[0] in ("other", "")]
    target = [1 if cell == hidden else 0 for cell in cells]
    return np.linalg.matrix_rank(np.array(rows)) == np.linalg.matrix_rank(np.array([*rows, target]))


def test_the_report_pdf_excel_and_api_show_them_suppressed(
    answered, users, tmp_path, django_capture_on_commit_callbacks
):
    contact = logged_in_client(users["municipal_contact"])
    assert contact.get(f"/api/youth/surveys/{answered.pk}/own-questions").status_code == 404  # not published yet
    assert "Kommunens egne spørsmål" not in contact.get(reverse("youth:report", args=[answered.pk])).content.decode()
    services.close_survey(users["ks_admin"], answered)
    api = contact.get(f"/api/youth/surveys/{answered.pk}/own-questions").json()
    by_cell = {(row["group"], row["answer"]): row for row in api}
    girls_never = by_cell[("gender:girl", "1")]
    assert girls_never["hidden"] == "primary" and girls_never["count"] is None and girls_never["share"] is None
    assert by_cell[("all", "")]["n"] == 50 and by_cell[("gender:boy", "2")]["count"] == 13
    shown = {key: row["count"] if key[1] else row["n"] for key, row in by_cell.items() if not row["hidden"]}
    assert not _solvable(shown, ("girl", "1")), f"the hidden cell {shown} can be worked out from the shown ones"
    assert any(row["hidden"] == "secondary" for row in api)
    with translation.override("nb"):
        html = contact.get(reverse("youth:report", args=[answered.pk])).content.decode()
    section = html[html.index('id="own-questions"') :]
    assert "Hvor ofte bruker du biblioteket?" in section and "13 (52 %)" in section and "Skjult: for få svar" in section
    assert "Vestland" not in section and "3 (12 %)" not in section
    workbook = load_workbook(io.BytesIO(contact.get(reverse("youth:report_export", args=[answered.pk])).content))
    sheet = workbook["Egne spørsmål"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] == "Hvor ofte bruker du biblioteket?"]
    assert len(rows) == len(api) == 12
    never = next(row for row in rows if row[1] == "Aldri" and row[2] == "Jenter")
    assert never[3:6] == (None, None, None) and "primary" in never[6]
    text = report_pdf_words(contact, answered, tmp_path, django_capture_on_commit_callbacks)
    assert "Kommunens egne spørsmål" in text and "Hvor ofte bruker du biblioteket?" in text and "13 (52 %)" in text


def test_the_researchers_file_has_the_own_answers_under_their_codes(answered, users):
    closed = services.close_survey(users["ks_admin"], answered)
    partner = users["partner"]
    grant = research.grant(users["ks_admin"], partner, "Bibliotekbruk", timezone.localdate(), [closed])
    response = logged_in_client(partner).get(reverse("youth:grant_export", args=[grant.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert f"egen-{answered.pk}-1" in rows[0], rows[:2]
    column = rows[0].index(f"egen-{answered.pk}-1")
    assert sorted(row[column] for row in rows[1:]) == sorted(GIRLS + BOYS)


def test_the_demo_has_two_own_questions_with_answers_in_a_closed_survey(municipalities):
    from trygg.youth import demo

    make_user(Role.KS_ADMIN, username="admin")
    demo.load()
    survey = services.Survey.objects.get(municipality__name=demo.OWN_QUESTIONS_IN, starts_on__year=max(demo.YEARS))
    questions = reports.own_questions(survey)
    assert survey.is_demo and len(questions) == 2
    assert any(figure.share for question in questions for row in question["rows"] for figure in row["figures"])
    running = services.Survey.objects.get(status=services.Survey.Status.APPROVED, is_demo=True)
    assert own.count(running) == 2 and own.version_of(running).frozen


def test_grades_5_to_7_are_not_asked_them_and_parents_read_them_word_for_word(standard, users, tmp_path):
    survey = order(users, "Nordnes skole; 6A; 6; 3\nNordnes skole; 9A; 9; 3")
    contact = logged_in_client(users["municipal_contact"])
    post(contact, url(survey), SINGLE)
    sheet = tmp_path / "parents.pdf"
    sheet.write_bytes(contact.get(reverse("youth:parents_pdf", args=[survey.pk])).content)
    text = pdf_text(sheet)
    assert "Kommunens egne spørsmål: Hvor ofte bruker du biblioteket?" in text
    survey = services.approve_survey(users["ks_admin"], survey)
    asked = {
        access.school_class.grade: [item.code for item in services.questionnaire_for(access).items]
        for access in services.AccessCode.objects.select_related("school_class__school__survey")
    }
    assert f"egen-{survey.pk}-1" in asked[9] and f"egen-{survey.pk}-1" not in asked[6]


def test_a_surveys_own_questions_are_not_offered_to_other_collections(ordered, users):
    post(logged_in_client(users["municipal_contact"]), url(ordered), SINGLE)
    ks = logged_in_client(users["ks_admin"])
    standard, mine = latest_version("ung-ungdomsskole"), own.version_of(ordered)
    for name in ("mapping:round_create", "mapping:definitions"):
        html = ks.get(reverse(name)).content.decode()
        # Pupils answer both: a situation-report round asks only questionnaires a municipality answers.
        assert str(standard.questionnaire) not in html and str(mine.questionnaire) not in html
        assert "Kommunens egne spørsmål" not in html
