"""Which questionnaire definitions a round may ask, how they are offered, and the demo's round on another topic.

Through HTTP: the round form, the definitions page, the Django admin and the API offer only definitions a
municipality answers (``audience: municipality``), never the youth survey's; the demo's "Trygghet i det offentlige
rom" round has something to show on the overview, in the exports and in a contact's form; a follow-up answered
without being asked is not saved, and the contact is told.
"""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import migrated_apps
from tests.mapping.conftest import SHIPPED, future
from tests.mapping.test_api import bearer
from tests.mapping.test_reports import english
from tests.mapping.test_topic_rounds import post, start
from trygg.core import demo as core_demo
from trygg.core.audit import acting_as
from trygg.core.models import Municipality
from trygg.mapping import demo as mapping_demo
from trygg.mapping import rounds
from trygg.mapping.models import Report, Round
from trygg.questionnaires import services as questionnaires
from trygg.questionnaires.models import Questionnaire, Version

pytestmark = pytest.mark.django_db
YOUTH = "youth-standard.yaml"


@pytest.fixture
def youth_versions(db):
    """The youth survey's standard questionnaires, loaded as an administrator does, with the command."""
    call_command("questionnaire", "import", str(questionnaires.shipped()[YOUTH]), stdout=io.StringIO())
    return list(Version.objects.filter(questionnaire__audience=Questionnaire.Audience.PUPILS))


# Only what a municipality answers -----------------------------------------------------------------------------


def test_the_round_form_offers_no_youth_questionnaire(youth_versions, topic_round, clients):
    assert {v.questionnaire.code for v in youth_versions} == {"ung-barneskole", "ung-ungdomsskole", "ung-vgs"}
    ks = english(clients["ks_adviser"])
    with translation.override("en"):
        form = ks.get(reverse("mapping:round_create")).content.decode()
        assert "Safety in public space v1" in form
        assert "secondary school" not in form and "grades 5 to 7" not in form
        response = ks.post(
            reverse("mapping:round_create"),
            {
                "name": "Ungdom",
                "definition": youth_versions[0].pk,
                "deadline": future().strftime("%Y-%m-%dT%H:%M"),
                "scope": "all",
            },
        )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Round.objects.filter(name="Ungdom").exists()


def test_the_rounds_service_refuses_a_youth_questionnaire(youth_versions, users):
    with translation.override("en"), pytest.raises(rounds.RoundError, match="not answered by municipalities"):
        rounds.open_round(users["ks_adviser"], "Ungdom", None, future(), definition=youth_versions[0])
    assert not any(Version.objects.filter(pk=v.pk, frozen=True).exists() for v in youth_versions)


def test_the_definitions_page_names_the_shipped_questionnaire_and_keeps_the_youth_one_out(youth_versions, clients):
    ks = clients["ks_adviser"]
    with translation.override("nb"):
        page = ks.get(reverse("mapping:definitions")).content.decode()
    assert "Importer «Trygghet i det offentlige rom», versjon 1" in page
    assert SHIPPED not in page.replace(f'value="{SHIPPED}"', "")  # the file name only in the form's hidden value
    assert YOUTH not in page and "Ungdomsundersøkelsen –" not in page
    with translation.override("en"):
        page = english(ks).get(reverse("mapping:definitions")).content.decode()
    assert "Import “Safety in public space”, version 1" in page
    with translation.override("en"):
        refused = english(ks).post(reverse("mapping:definition_import_shipped"), {"file": YOUTH}, follow=True)
    assert "Choose one of the definitions shipped with Trygg." in refused.content.decode()
    assert ks.get(reverse("mapping:definition_export", args=[youth_versions[0].pk, "yaml"])).status_code == 404


def test_an_uploaded_youth_questionnaire_is_refused_on_the_rounds_page(clients):
    upload = io.BytesIO(questionnaires.shipped()[YOUTH].read_bytes())
    upload.name = YOUTH
    with translation.override("en"):
        response = english(clients["ks_adviser"]).post(reverse("mapping:definitions"), {"upload": upload}, follow=True)
    assert "audience: pupils" in response.content.decode()
    assert not Version.objects.exists()


def test_the_api_says_who_answers_the_round_definition(topic_round, client, users):
    body = client.get(f"/api/mapping/rounds/{topic_round.pk}/definition", headers=bearer(users["ks_adviser"])).json()
    assert body["audience"] == "municipality"


def test_a_hidden_option_cannot_be_worked_out_from_the_total_and_the_others(topic_round, clients):
    """8 answered: 3 yes, 3 no, 2 do-not-know. Hiding only the 2 would give it away (8 − 3 − 3)."""
    for name, answer in zip(
        ["Oslo", "Bergen", "Drammen", "Asker", "Bærum", "Hamar", "Tromsø", "Bodø"],
        ["yes", "yes", "yes", "no", "no", "no", "unknown", "unknown"],
        strict=True,
    ):
        report = Report.objects.create(
            round=topic_round, status="submitted", submitted_at=timezone.now(), answers={"unsafe_places": answer}
        )
        report.municipalities.add(Municipality.objects.get(name=name))
    with translation.override("en"):
        page = english(clients["municipal_contact"]).get(topic_round.get_absolute_url()).content.decode()
    assert "8 reports answered." in page
    table = page.split("8 reports answered.")[1].split("</table>")[0]
    assert '<th scope="row">Do not know</th><td class="num">–</td>' in table
    assert table.count('<td class="num">3</td>') <= 1, "a second figure is hidden so the small one stays hidden"


# The admin cannot set a definition past the service -------------------------------------------------------


def test_the_admin_opens_no_round_and_cannot_change_its_questions(topic_round, youth_versions, clients):
    admin = clients["ks_admin"]
    assert admin.get(reverse("admin:mapping_round_add")).status_code == 403
    change = reverse("admin:mapping_round_change", args=[topic_round.pk])
    page = admin.get(change).content.decode()
    assert 'name="definition"' not in page and "Trygghet i det offentlige rom v1" in page
    data = {
        "name": topic_round.name,
        "definition": youth_versions[0].pk,
        "status": "open",
        "opens_at_0": timezone.localtime(topic_round.opens_at).strftime("%Y-%m-%d"),
        "opens_at_1": "08:00:00",
        "deadline_0": future().strftime("%Y-%m-%d"),
        "deadline_1": "12:00:00",
        "municipalities": list(topic_round.municipalities.values_list("pk", flat=True)),
    }
    assert admin.post(change, data).status_code == 302
    topic_round.refresh_from_db()
    assert topic_round.definition.questionnaire.code == "trygghet-offentlig-rom"
    assert not Version.objects.filter(pk=youth_versions[0].pk, frozen=True).exists()


# Skip logic without a script --------------------------------------------------------------------------------


def test_a_follow_up_says_when_to_answer_and_an_unasked_answer_is_reported_not_kept(topic_round, clients):
    client = english(clients["municipal_contact"])
    report = start(clients, topic_round)
    with translation.override("en"):
        form = client.get(reverse("mapping:report_edit", args=[report.pk])).content.decode()
        assert "Answer only if you answered “Yes” to “Does the municipality have places" in form
        saved = post(client, report, q_unsafe_places="no", q_place_kinds=["parks", "centre"])
        assert saved.status_code == 302
        page = client.get(saved.url).content.decode()
    assert "Not saved, as your other answers do not ask it: “What kinds of places?”" in page
    report.refresh_from_db()
    assert report.answers == {"unsafe_places": "no"}
    with translation.override("en"):
        page = client.get(post(client, report, q_unsafe_places="yes", q_place_kinds=["parks"]).url).content.decode()
    assert "Not saved" not in page
    report.refresh_from_db()
    assert report.answers == {"unsafe_places": "yes", "place_kinds": ["parks"]}


# Import: who answers a questionnaire stays as it was once it is in use ------------------------------------


def test_who_answers_cannot_change_once_a_version_is_in_use(topic_round):
    data = questionnaires.parse(questionnaires.shipped()[SHIPPED].read_text(encoding="utf-8"))[0]
    with translation.override("en"), pytest.raises(questionnaires.DefinitionError, match="who answers it"):
        questionnaires.import_definition({**data, "version": 2, "audience": "pupils"})
    assert questionnaires.import_definition({**data, "version": 2}).number == 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_questionnaires_the_audience_of_their_files(municipalities):
    try:
        old = migrated_apps([("questionnaires", "0003_free_text_and_direction")])
        Stored = old.get_model("questionnaires", "Questionnaire")
        Stored.objects.all().delete()
        for code in ("ung-vgs", "ung-barneskole", "trygghet-offentlig-rom", "kommunens-egne"):
            Stored.objects.create(code=code, title={"nb": code})
        new = migrated_apps([("questionnaires", "0004_questionnaire_audience")])
        audiences = dict(new.get_model("questionnaires", "Questionnaire").objects.values_list("code", "audience"))
        assert audiences == {
            "ung-vgs": "pupils",
            "ung-barneskole": "pupils",
            "trygghet-offentlig-rom": "municipality",
            "kommunens-egne": "municipality",
        }
    finally:
        call_command("migrate", verbosity=0)


# The demo's round on another topic ------------------------------------------------------------------------


@pytest.fixture
def demo(municipalities):
    with acting_as(None, "test"):
        core_demo.load(), mapping_demo.load()
    return Round.objects.get(is_demo=True, definition__questionnaire__code="trygghet-offentlig-rom")


def test_the_demo_has_a_topic_round_with_submitted_reports_and_drafts_relative_to_today(demo):
    now = timezone.now()
    assert demo.questionnaire is None and demo.definition.frozen
    assert demo.opens_at < now < demo.deadline and demo.deadline - now < dt.timedelta(days=60)
    states = [status.state for status in rounds.municipality_statuses(demo)]
    assert states.count("answered") >= 6 and states.count("draft") >= 1 and states.count("not_started") >= 1
    sent = Report.objects.filter(round=demo, status=Report.Status.SUBMITTED)
    assert all(demo.opens_at < report.submitted_at < now for report in sent)
    texts = [value for report in sent for value in report.answers.values() if isinstance(value, str) and " " in value]
    assert texts and all(text.startswith("Fiktivt demosvar") for text in texts)
    with acting_as(None, "test"):
        mapping_demo.load()
    assert Round.objects.filter(is_demo=True).count() == 1 and Report.objects.filter(round=demo).count() == len(
        states
    ) - states.count("not_started")


def test_the_demo_topic_round_shows_counts_exports_and_a_contacts_draft(demo, clients):
    with translation.override("en"):
        full = english(clients["ks_adviser"]).get(demo.get_absolute_url()).content.decode()
    assert "Answers per question" in full and "Safety in public space" in full
    assert '<td class="num">–</td>' not in full.split("Answers per question")[1]  # KS sees every figure
    workbook = openpyxl.load_workbook(
        io.BytesIO(clients["ks_adviser"].get(reverse("mapping:aggregates_export", args=[demo.pk, "xlsx"])).content)
    )
    shown = [row[2] for row in workbook["Questions"].iter_rows(values_only=True) if isinstance(row[2], int)]
    assert shown and max(shown) >= 3
    full_export = openpyxl.load_workbook(
        io.BytesIO(clients["ks_adviser"].get(reverse("mapping:full_export", args=[demo.pk])).content)
    )
    assert full_export["Reports"].max_row > 6
    contact = english(clients["municipal_contact"])  # Bergen and Drammen: Drammen has a draft
    draft = Report.objects.get(round=demo, municipalities__name="Drammen")
    assert draft.status == Report.Status.DRAFT and draft.answers
    with translation.override("en"):
        form = contact.get(reverse("mapping:report_edit", args=[draft.pk])).content.decode()
    assert "checked" in form and "Does the municipality have places" in form
