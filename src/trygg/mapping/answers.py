"""Answers to a round's questionnaire definition: read them against the version, show them, and count them.

A round may ask the items of a shared questionnaire definition (``Round.definition``): after the deck's MC
questions, or as all its questions on another topic. The report keeps the answers per item code
(``Report.answers``); every question may be skipped, and an item whose skip-logic condition is not met is not
asked, so an answer to it is dropped. The round's per-item counts go through core's disclosure control the way the
national picture's do: full viewers see every figure, others only what cannot point to a municipality.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from trygg.core import disclosure
from trygg.questionnaires.models import Item, translated
from trygg.questionnaires.services import asked, read_answer

from .models import TEXT_LIMIT, Report, Round
from .picture import SUPPRESSION_THRESHOLD


class AnswerError(ValueError):
    """An answer does not fit the round's definition; the message is for the user, in their language."""


def items(round: Round) -> list[Item]:
    """The round's definition items in order, with their options (none when the round has no definition)."""
    if round.definition_id is None:
        return []
    return list(round.definition.items.select_related("module").prefetch_related("options"))


def clean(round: Round, answers: dict) -> dict:
    """The answers as stored: each read against its item, skipped and unasked items left out.

    Raises AnswerError naming the question when an answer cannot be one (an unknown option, a number out of range,
    an item the definition does not have).
    """
    by_code = {item.code: item for item in items(round)}
    unknown = sorted(set(answers) - set(by_code))
    if unknown:
        raise AnswerError(_("The round has no question %(codes)s.") % {"codes": ", ".join(unknown)})
    cleaned = {}
    for code, item in by_code.items():
        value = answers.get(code)
        values = [str(v) for v in value] if isinstance(value, list) else [] if value is None else [str(value)]
        try:
            answer = read_answer(item, values)
        except ValueError as error:
            raise AnswerError(f"{translated(item.text)}: {error}") from error
        if isinstance(answer, str) and item.kind == Item.Kind.TEXT and len(answer) > TEXT_LIMIT:
            raise AnswerError(
                _("%(question)s: the answer is longer than %(limit)d characters.")
                % {"question": translated(item.text), "limit": TEXT_LIMIT}
            )
        if answer is not None and asked(item, cleaned):
            cleaned[code] = answer
    return cleaned


def condition(item: Item, by_code: dict[str, Item]) -> str:
    """When a follow-up is asked, in words (the form without a script shows every question): "" for any other."""
    if not item.show_if:
        return ""
    trigger = by_code[item.show_if["item"]]
    labels = {option.code: translated(option.label) for option in trigger.options.all()}
    return _("Answer only if you answered %(answers)s to “%(question)s”; otherwise it is not saved.") % {
        "answers": _(" or ").join(f"“{labels.get(code, code)}”" for code in item.show_if["any_of"]),
        "question": translated(trigger.text),
    }


def not_saved(round: Round, answers: dict, stored: dict) -> list[str]:
    """The questions answered in ``answers`` that ``clean`` left out of ``stored``: follow-ups the answers did not
    ask. The person answering is told, rather than finding the answer gone."""
    return [
        translated(item.text)
        for item in items(round)
        if answers.get(item.code) not in (None, "", []) and item.code not in stored
    ]


def label(item: Item, answer) -> str:
    """An answer as a reader sees it: option labels, the number, or the text; "–" when skipped."""
    if answer is None or answer == "" or answer == []:
        return "–"
    if not item.has_options:
        return str(answer)
    labels = {option.code: translated(option.label) for option in item.options.all()}
    chosen = answer if isinstance(answer, list) else [answer]
    return ", ".join(labels.get(code, code) for code in chosen)


def texts(report_answers: dict, round: Round) -> list[tuple[str, str]]:
    """(question, text) for every free-text answer, for screening and warnings."""
    return [
        (translated(item.text), str(report_answers[item.code]))
        for item in items(round)
        if item.kind == Item.Kind.TEXT and report_answers.get(item.code)
    ]


@dataclass
class AnswerRow:
    module: str
    question: str
    answer: str


def rows(report: Report) -> list[AnswerRow]:
    """Each item of the round with the report's answer as a reader sees it, in the definition's order."""
    return [
        AnswerRow(translated(item.module.title), translated(item.text), label(item, report.answers.get(item.code)))
        for item in items(report.round)
    ]


# The round's summary ------------------------------------------------------------------------------------------


@dataclass
class OptionCount:
    label: str
    count: int | None  # None: hidden
    hidden: str = ""  # "primary" or "secondary" when hidden


@dataclass
class ItemSummary:
    item: Item
    answered: int  # submitted reports that answered the item (public: who answered the round is listed)
    options: list[OptionCount] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # a number item's answers, shown only to full viewers

    @property
    def text(self) -> str:
        return translated(self.item.text)


def submitted_answers(round: Round) -> list[dict]:
    return list(round.reports.filter(status=Report.Status.SUBMITTED).values_list("answers", flat=True))


def summary(round: Round, full: bool) -> list[ItemSummary]:
    """Per choice item: how many submitted reports chose each option, disclosure-controlled unless ``full``.

    Each item is its own table (the answered total is public, a skipped answer a cell nobody sees, each option
    published within the answered): a single-choice item's options add up to the total, a multiple-choice option
    is counted as chosen or not by every report that answered the item. Number items show the answers themselves
    to full viewers only; free text is read per report.
    """
    answer_sets = submitted_answers(round)
    result = []
    for item in items(round):
        answers = [answers[item.code] for answers in answer_sets if item.code in answers]
        summary = ItemSummary(item, len(answers))
        if item.has_options:
            summary.options = _option_counts(item, answers, full)
        elif item.kind == Item.Kind.NUMBER and full:
            summary.numbers = sorted(answers)
        result.append(summary)
    return result


def _option_counts(item: Item, answers: list, full: bool) -> list[OptionCount]:
    options = list(item.options.all())
    codes = [option.code for option in options]
    table = disclosure.Table(threshold=SUPPRESSION_THRESHOLD)
    if item.kind == Item.Kind.MULTIPLE:
        # A report may choose several options: each option splits the answered reports into chosen and not.
        for code in codes:
            table.count((code, True), 0)
            table.count((code, False), 0)
        for answer in answers:
            for code in codes:
                table.count((code, code in answer))
        for code in codes:
            table.publish(("answered", code), [(code, True), (code, False)], forced=True)
            table.publish(code, [(code, True)], within=("answered", code), beside=item.code)
    else:
        # One answer per report: the options add up to the answered reports (public), so a hidden option is
        # protected from the total minus the others.
        for code in codes:
            table.count(code, 0)
        for answer in answers:
            if answer in codes:
                table.count(answer)
        table.publish(("answered",), codes, forced=True)
        for code in codes:
            table.publish(code, [code], within=("answered",), beside=item.code)
    result = table.everything() if full else table.suppress()
    return [
        OptionCount(translated(option.label), result.shown(option.code), result.mark(option.code)) for option in options
    ]
