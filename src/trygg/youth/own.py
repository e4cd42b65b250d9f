"""A municipality's own questions in its youth survey: written while the survey is ordered, frozen when KS approves.

They are a questionnaire version of the survey's own (``ung-egne-<survey>``) with one module of kind "own", so
they are written, validated and frozen the one way every questionnaire is (``questionnaires.services``). Their item
codes carry the survey's id (``egen-<survey>-<n>``): the answers sit beside the standard ones in the same answer
set, and no two municipalities' questions share a code in a researcher's file. No free text: a pupil's own words can
name them, and the survey is anonymous.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from trygg.core import screening
from trygg.questionnaires import services as questionnaires
from trygg.questionnaires.models import Item, Module, Questionnaire, Version

from .models import Level, Survey
from .services import SurveyError

MAX_QUESTIONS = 5
MAX_OPTIONS = 10
KINDS = (Item.Kind.SINGLE, Item.Kind.MULTIPLE, Item.Kind.LIKERT, Item.Kind.NUMBER)
LANGUAGES = ("nb", "nn", "en")
MODULE = "egne"
TITLE = {
    "nb": "Kommunens egne spørsmål",
    "nn": "Kommunen sine eigne spørsmål",
    "en": "The municipality's own questions",
}
SCREENING_CONTEXT = gettext_lazy("The questions are shown to every pupil taking part.")


def kind_label(kind: str) -> str:
    """The kind of answer as the writer reads it ("Number" as a kind of answer is "Tall" in bokmål, not "Nummer")."""
    return pgettext("kind of answer", "Number") if kind == Item.Kind.NUMBER else Item.Kind(kind).label


def questionnaire_code(survey: Survey) -> str:
    return f"ung-egne-{survey.pk}"


def asks(level: str) -> bool:
    """Grades 5–7 answer the core questions only, as with the theme modules."""
    return level != Level.JUNIOR


def version_of(survey: Survey) -> Version | None:
    return Version.objects.filter(questionnaire__code=questionnaire_code(survey)).first()


def count(survey: Survey) -> int:
    return Item.objects.filter(version__questionnaire__code=questionnaire_code(survey)).count()


def items_asked(survey: Survey) -> list[Item]:
    """The own questions pupils are asked: those frozen into the survey when KS approved it."""
    return list(
        Item.objects.filter(version__in=survey.versions.filter(questionnaire__code=questionnaire_code(survey)))
        .select_related("module")
        .prefetch_related("options")
    )


def definitions(survey: Survey) -> list[dict]:
    """The own questions as the definition data ``questionnaires.services`` reads (codes, texts, options)."""
    version = version_of(survey)
    return questionnaires.export_definition(version)["modules"][0]["items"] if version else []


def may_write(user, survey: Survey) -> bool:
    return survey.status == Survey.Status.ORDERED and user.has_perm("youth.write_own_questions", survey)


def question(kind: str, texts: dict, options: dict | None = None, minimum=None, maximum=None) -> dict:
    """One question's definition from what was written: ``texts`` and ``options`` (label lists) by language."""
    texts = {language: text.strip() for language, text in texts.items() if text and text.strip()}
    if kind not in KINDS:
        raise SurveyError(_("Choose single choice, multiple choice, Likert scale or number."))
    if not texts.get("nb"):
        raise SurveyError(_("Write the question in bokmål."))
    _screen(texts.values())
    entry = {"kind": kind, "text": texts}
    if kind == Item.Kind.NUMBER:
        if minimum is None or maximum is None:
            raise SurveyError(_("A number question needs a lowest and a highest answer."))
        if not minimum < maximum:
            raise SurveyError(_("The lowest answer must be below the highest."))
        return {**entry, "minimum": minimum, "maximum": maximum}
    labels = {language: [line.strip() for line in (options or {}).get(language, []) if line.strip()]
              for language in LANGUAGES}  # fmt: skip
    if not 2 <= len(labels["nb"]) <= MAX_OPTIONS:
        raise SurveyError(_("Write from 2 to %(max)s answer options in bokmål, one per line.") % {"max": MAX_OPTIONS})
    if len({label.casefold() for label in labels["nb"]}) < len(labels["nb"]):
        raise SurveyError(_("Two answer options are the same."))
    for language, lines in labels.items():
        if lines and len(lines) != len(labels["nb"]):
            raise SurveyError(
                _("Write as many options in %(language)s as in bokmål, in the same order, or none.")
                % {"language": {"nn": pgettext("language", "nynorsk"), "en": pgettext("language", "English")}[language]}
            )
        _screen(lines)
    options = [
        {"code": str(index + 1), "label": {language: lines[index] for language, lines in labels.items() if lines}}
        for index in range(len(labels["nb"]))
    ]
    return {**entry, "options": options}


def _screen(texts) -> None:
    """Core's screening: a national identity number is refused, wherever in the question it is typed."""
    try:
        for text in texts:
            screening.refuse_identity_numbers(text, SCREENING_CONTEXT)
    except ValidationError as error:
        raise SurveyError(" ".join(error.messages)) from error


def warnings(entry: dict) -> list[str]:
    """Core's warnings for what may be a person's phone number or e-mail address in the question or its options."""
    texts = [
        *entry["text"].values(),
        *(label for option in entry.get("options", []) for label in option["label"].values()),
    ]
    return list(dict.fromkeys(warning for text in texts for warning in screening.warnings(text)))


def _writable(actor, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not actor.has_perm("youth.write_own_questions", survey):
        raise SurveyError(_("Only the municipality's contacts and KS write its own questions."))
    if survey.status != Survey.Status.ORDERED:
        raise SurveyError(_("The survey is approved: its questions can no longer change."))
    return survey


@transaction.atomic
def save(actor, survey: Survey, entry: dict, number: int | None = None) -> None:
    """Add the question (``number`` None) or replace question ``number`` (from 1)."""
    survey = _writable(actor, survey)
    entries = definitions(survey)
    if number is None:
        if len(entries) >= MAX_QUESTIONS:
            raise SurveyError(_("A survey takes at most %(max)s questions of its own.") % {"max": MAX_QUESTIONS})
        entries.append(entry)
    elif 1 <= number <= len(entries):
        entries[number - 1] = entry
    else:
        raise SurveyError(_("That question is no longer there."))
    _store(survey, entries)


@transaction.atomic
def remove(actor, survey: Survey, number: int) -> None:
    survey = _writable(actor, survey)
    entries = definitions(survey)
    if 1 <= number <= len(entries):
        del entries[number - 1]
    _store(survey, entries)


@transaction.atomic
def move(actor, survey: Survey, number: int, step: int) -> None:
    """Move question ``number`` one place up (``step`` −1) or down (+1)."""
    survey = _writable(actor, survey)
    entries = definitions(survey)
    other = number + step
    if 1 <= number <= len(entries) and 1 <= other <= len(entries):
        entries[number - 1], entries[other - 1] = entries[other - 1], entries[number - 1]
    _store(survey, entries)


def load(survey: Survey, entries: list[dict]) -> Version:
    """Give a survey loaded in bulk (``aggregates.ingest``: the demo, benchmarks) its own questions, frozen and
    attached as approval would have done."""
    _store(survey, entries)
    version = version_of(survey)
    questionnaires.freeze(version)
    survey.versions.add(version)
    return version


def _store(survey: Survey, entries: list[dict]) -> None:
    """Write the questions as version 1 of the survey's own questionnaire (codes numbered in order), or remove it
    when none are left."""
    code = questionnaire_code(survey)
    if not entries:
        Version.objects.filter(questionnaire__code=code).delete()
        Questionnaire.objects.filter(code=code).delete()
        return
    items = [{**entry, "code": f"egen-{survey.pk}-{index}"} for index, entry in enumerate(entries, start=1)]
    title = {language: f"{text}: {survey}" for language, text in TITLE.items()}
    module = {"code": MODULE, "kind": Module.Kind.OWN, "title": TITLE, "items": items}
    try:
        questionnaires.import_definition(
            {
                "questionnaire": code,
                "version": 1,
                "audience": Questionnaire.Audience.PUPILS,
                "title": title,
                "modules": [module],
            }
        )
    except questionnaires.DefinitionError as error:
        raise SurveyError(str(error)) from error
