"""Rounds ask further questions through shared questionnaire definitions instead of ``extra_questions``.

Each MC questionnaire with extra questions becomes a definition (``mc-tillegg-v<version>``, one "own" module): a
yes/no question a single-choice item with the options yes, no and "do not know", a text question a free-text item,
under the same keys. Its rounds point at the definition (frozen when a round uses it) and each report's
``extra_answers`` move to ``answers`` under the same keys. Backwards, the definitions' items of MC rounds become
extra questions again (the definitions stay, and are used again when the migration runs forward once more).
"""

import django.db.models.deletion
from django.db import migrations, models

YES_NO = [
    ("yes", {"nb": "Ja", "en": "Yes"}),
    ("no", {"nb": "Nei", "en": "No"}),
    ("unknown", {"nb": "Vet ikke", "en": "Do not know"}),
]


def _immediate(schema_editor):
    """PostgreSQL checks deferred foreign keys now, so the columns can be dropped in the same migration."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def extra_to_definitions(apps, schema_editor):
    MCQuestionnaire, Round, Report = (apps.get_model("mapping", name) for name in ("Questionnaire", "Round", "Report"))
    Definition, Version = apps.get_model("questionnaires", "Questionnaire"), apps.get_model("questionnaires", "Version")
    Module, Item, Option = (apps.get_model("questionnaires", name) for name in ("Module", "Item", "Option"))
    for questionnaire in MCQuestionnaire.objects.order_by("version"):
        if not questionnaire.extra_questions:
            continue
        definition, _created = Definition.objects.get_or_create(
            code=f"mc-tillegg-v{questionnaire.version}",
            defaults={"title": {"nb": f"{questionnaire.title}: tilleggsspørsmål"}},
        )
        rounds = Round.objects.filter(questionnaire=questionnaire)
        version, created = Version.objects.get_or_create(
            questionnaire=definition, number=1, defaults={"frozen": rounds.exists()}
        )
        rounds.update(definition=version)
        if not created:  # migrated before and back again: the definition is still there
            continue
        module = Module.objects.create(
            version=version, code="tillegg", kind="own", position=0, title={"nb": "Flere spørsmål", "en": "More questions"}
        )
        for position, question in enumerate(questionnaire.extra_questions):
            yes_no = question["kind"] == "yes_no"
            item = Item.objects.create(
                version=version,
                module=module,
                code=question["key"],
                kind="single" if yes_no else "text",
                position=position,
                text={"nb": question["text"]},
            )
            if yes_no:
                Option.objects.bulk_create(
                    Option(item=item, code=code, position=index, label=label)
                    for index, (code, label) in enumerate(YES_NO)
                )
    for report in Report.objects.exclude(extra_answers={}):
        report.answers = {key: value for key, value in report.extra_answers.items() if value not in ("", None)}
        report.save(update_fields=["answers"])
    _immediate(schema_editor)


def definitions_to_extra(apps, schema_editor):
    Round, Report = apps.get_model("mapping", "Round"), apps.get_model("mapping", "Report")
    Item = apps.get_model("questionnaires", "Item")
    for round in Round.objects.filter(definition__isnull=False, questionnaire__isnull=False):
        questionnaire = round.questionnaire
        questionnaire.extra_questions = [
            {"key": item.code, "text": item.text.get("nb") or next(iter(item.text.values())), "kind": _kind(item)}
            for item in Item.objects.filter(version_id=round.definition_id).order_by("module__position", "position")
        ]
        questionnaire.save(update_fields=["extra_questions"])
    for report in Report.objects.exclude(answers={}):
        report.extra_answers = report.answers
        report.save(update_fields=["extra_answers"])
    _immediate(schema_editor)


def _kind(item) -> str:
    return "text" if item.kind == "text" else "yes_no"


class Migration(migrations.Migration):
    dependencies = [
        ("mapping", "0003_one_door_validation"),
        ("questionnaires", "0002_free_text_items"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="answers",
            field=models.JSONField(blank=True, default=dict, verbose_name="answers"),
        ),
        migrations.AddField(
            model_name="round",
            name="definition",
            field=models.ForeignKey(
                blank=True,
                help_text="The questions of a shared questionnaire definition, after the MC questions if there are any.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mapping_rounds",
                to="questionnaires.version",
                verbose_name="questionnaire definition",
            ),
        ),
        migrations.AlterField(
            model_name="round",
            name="questionnaire",
            field=models.ForeignKey(
                blank=True,
                help_text="The deck's questions on MC crime; empty for a round on another topic.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="mapping.questionnaire",
                verbose_name="MC questions",
            ),
        ),
        migrations.RunPython(extra_to_definitions, definitions_to_extra),
        migrations.RemoveField(model_name="questionnaire", name="extra_questions"),
        migrations.RemoveField(model_name="report", name="extra_answers"),
        migrations.AddConstraint(
            model_name="round",
            constraint=models.CheckConstraint(
                condition=models.Q(("questionnaire__isnull", False), ("definition__isnull", False), _connector="OR"),
                name="round_asks_questions",
            ),
        ),
    ]
