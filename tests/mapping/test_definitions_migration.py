"""The move of mapping's extra questions into shared questionnaire definitions keeps every question and answer,
both ways."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import migrated_apps

BEFORE = [("mapping", "0003_one_door_validation"), ("questionnaires", "0002_free_text_items")]
AFTER = [("mapping", "0004_questions_from_definitions")]


@pytest.mark.django_db(transaction=True)
def test_extra_questions_become_a_definition_and_answers_keep_their_keys(municipalities):
    try:
        old = migrated_apps(BEFORE)
        Questionnaire, Round, Report = (old.get_model("mapping", n) for n in ("Questionnaire", "Round", "Report"))
        # A transactional test before this one may have flushed what the data migration made.
        plain, _made = Questionnaire.objects.get_or_create(version=1, defaults={"title": "Dialogspørsmål"})
        extra = Questionnaire.objects.create(
            version=2,
            title="Dialogspørsmål 2",
            extra_questions=[
                {"key": "school", "text": "Vet skolen om det?", "kind": "yes_no"},
                {"key": "notes", "text": "Noe mer?", "kind": "text"},
            ],
        )
        now = timezone.now()
        dates = {"opens_at": now - dt.timedelta(days=1), "deadline": now + dt.timedelta(days=9)}
        old_round = Round.objects.create(name="2011", questionnaire=plain, **dates)
        new_round = Round.objects.create(name="2012", questionnaire=extra, **dates)
        Report.objects.create(round=old_round, hosts_group="yes")
        Report.objects.create(round=new_round, hosts_group="no", extra_answers={"school": "yes", "notes": "Nei"})
        Report.objects.create(round=new_round, extra_answers={"school": "", "notes": "Bare tekst"})

        new = migrated_apps(AFTER)
        Round, Report = new.get_model("mapping", "Round"), new.get_model("mapping", "Report")
        Item = new.get_model("questionnaires", "Item")
        assert Round.objects.get(name="2011").definition_id is None
        migrated = Round.objects.get(name="2012")
        assert migrated.questionnaire_id == extra.pk and migrated.definition.frozen
        items = Item.objects.filter(version_id=migrated.definition_id).order_by("position")
        assert [(i.code, i.kind, i.text) for i in items] == [
            ("school", "single", {"nb": "Vet skolen om det?"}),
            ("notes", "text", {"nb": "Noe mer?"}),
        ]
        assert list(items[0].options.order_by("position").values_list("code", flat=True)) == ["yes", "no", "unknown"]
        assert sorted(Report.objects.filter(round=migrated).values_list("answers", flat=True), key=len) == [
            {"notes": "Bare tekst"},
            {"school": "yes", "notes": "Nei"},
        ]
        assert Report.objects.get(round__name="2011").answers == {}

        back = migrated_apps(BEFORE)
        Questionnaire, Report = back.get_model("mapping", "Questionnaire"), back.get_model("mapping", "Report")
        assert Questionnaire.objects.get(version=2).extra_questions == [
            {"key": "school", "text": "Vet skolen om det?", "kind": "yes_no"},
            {"key": "notes", "text": "Noe mer?", "kind": "text"},
        ]
        assert Report.objects.get(hosts_group="no").extra_answers == {"school": "yes", "notes": "Nei"}
    finally:
        call_command("migrate", verbosity=0)
