"""Domain rules for filling in a situation report: start, save a draft, submit, reopen.

Services take the acting user explicitly and know nothing of HTTP. A round's answers freeze at its deadline; two
people editing the same report never silently overwrite each other (the revision a form was loaded at must still be
the stored one).
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core import screening
from trygg.core.models import Municipality, User

from . import answers as definition_answers
from .models import Report, ReportGroup, ReportMeasure, Round

# Answers a report needs before it can be submitted; everything else may stay blank.
REQUIRED_TO_SUBMIT = ("hosts_group", "crews", "assessment")
# Free-text answers of the report itself; groups and measures have their own.
TEXT_FIELDS = ("crime_other", "guidance_topics", "situation")
# Added to the screening's message when an identity number is refused.
SCREENING_CONTEXT = gettext_lazy("Situation reports describe organisations and phenomena, never named persons.")


class ReportError(Exception):
    """A rule of the report was broken; the message is for the user, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ReportConflict(ReportError):
    """Someone else saved the report after this form was loaded; nothing was saved."""


def is_open(round: Round) -> bool:
    now = timezone.now()
    return round.status == Round.Status.OPEN and round.opens_at <= now <= round.deadline


def _require_open(round: Round) -> None:
    if round.status == Round.Status.CLOSED:
        raise ReportError(_("The round “%(round)s” is closed. Reports can no longer be changed.") % {"round": round})
    now = timezone.now()
    if now < round.opens_at:
        raise ReportError(_("The round “%(round)s” has not opened yet.") % {"round": round})
    if now > round.deadline:
        raise ReportError(
            _("The deadline for “%(round)s” was %(deadline)s. Reports can no longer be changed or submitted.")
            % {"round": round, "deadline": formats.date_format(timezone.localtime(round.deadline), "DATETIME_FORMAT")}
        )


def require_editable(report: Report) -> None:
    """Only a draft in an open round can be changed; submitted reports are reopened first."""
    _require_open(report.round)
    if report.status != Report.Status.DRAFT:
        raise ReportError(_("The report has been submitted. Reopen it to make changes."))


def _names(municipalities) -> str:
    return ", ".join(m.name for m in municipalities)


def start_report(actor: User, round: Round, municipalities: list[Municipality]) -> Report:
    """A new draft for one municipality, or for several answering together as a region.

    A municipality answers at most once per round; the round row is locked so two contacts starting at the same
    moment cannot both succeed.
    """
    municipalities = list(municipalities)
    if not municipalities:
        raise ReportError(_("Choose at least one municipality."))
    _require_open(round)
    if not actor.is_ks_staff:
        foreign = [m for m in municipalities if not actor.municipalities.filter(pk=m.pk).exists()]
        if foreign:
            raise ReportError(_("You do not act for %(names)s.") % {"names": _names(foreign)})
    asked = set(round.municipalities.values_list("pk", flat=True))
    not_asked = [m for m in municipalities if m.pk not in asked]
    if not_asked:
        raise ReportError(_("%(names)s is not asked in this round.") % {"names": _names(not_asked)})
    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round.pk).exists()
        taken = Municipality.objects.filter(
            situation_reports__round=round, pk__in=[m.pk for m in municipalities]
        ).distinct()
        if taken:
            raise ReportError(
                _("%(names)s already has a report in this round. Continue that report instead.")
                % {"names": _names(taken)}
            )
        report = Report.objects.create(round=round, created_by=actor, updated_by=actor)
        report.municipalities.set(municipalities)
    return report


def save_report(actor: User, report: Report, data: dict, groups: list[dict], measures: list[dict], revision: int):
    """Save a draft, complete or not, if nobody else has saved it since ``revision`` was loaded.

    ``data`` holds the report's own answers (model field names, and ``answers`` to the round's definition, read
    against its version); ``groups`` and ``measures`` replace the report's rows. On a conflict nothing is saved.
    """
    require_editable(report)
    data = dict(data)
    try:
        data["answers"] = definition_answers.clean(report.round, data.get("answers", {}))
    except definition_answers.AnswerError as error:
        raise ReportError(str(error)) from error
    for text in _texts(data, groups, measures):
        try:
            screening.refuse_identity_numbers(text, SCREENING_CONTEXT)
        except ValidationError as error:
            raise ReportError(error.messages[0]) from error
    with transaction.atomic():
        stored = Report.objects.select_for_update().get(pk=report.pk)
        if stored.revision != revision:
            raise ReportConflict(
                _("Someone else saved this report while you were editing it. Your changes were not saved.")
            )
        require_editable(stored)
        for name, value in data.items():
            setattr(stored, name, value)
        stored.revision += 1
        stored.updated_by = actor
        stored.save()
        stored.groups.all().delete()
        stored.measures.all().delete()
        for group in groups:
            ReportGroup.objects.create(report=stored, **group)
        for measure in measures:
            ReportMeasure.objects.create(report=stored, **measure)
    report.refresh_from_db()
    return report


def _texts(data: dict, groups: list[dict], measures: list[dict]):
    yield from (data.get(name, "") for name in TEXT_FIELDS)
    yield from (value for value in data["answers"].values() if isinstance(value, str))
    yield from (group.get("other_name", "") for group in groups)
    for measure in measures:
        yield measure.get("title", "")
        yield measure.get("description", "")


def submit(actor: User, report: Report) -> Report:
    """Hand in the report, only until the deadline: an MC round needs the deck's core questions answered, a round
    on another topic at least one answer (any of its questions may be skipped)."""
    _require_open(report.round)
    if report.status == Report.Status.SUBMITTED:
        raise ReportError(_("The report has already been submitted."))
    if not report.round.asks_mc and not report.answers:
        raise ReportError(_("Answer at least one question before you submit. The draft is saved."))
    required = REQUIRED_TO_SUBMIT if report.round.asks_mc else ()
    missing = [str(Report._meta.get_field(name).verbose_name) for name in required if not getattr(report, name)]
    if missing:
        raise ReportError(
            _("Answer these questions before you submit: %(questions)s. The draft is saved.")
            % {"questions": ", ".join(missing)}
        )
    report.status, report.submitted_at, report.updated_by = Report.Status.SUBMITTED, timezone.now(), actor
    report.save(update_fields=["status", "submitted_at", "updated_by", "updated_at"])
    return report


def reopen(actor: User, report: Report) -> Report:
    """Back to draft so the municipality can correct it; only before the deadline."""
    _require_open(report.round)
    if report.status == Report.Status.DRAFT:
        raise ReportError(_("The report is already a draft."))
    report.status, report.submitted_at, report.updated_by = Report.Status.DRAFT, None, actor
    report.revision += 1
    report.save(update_fields=["status", "submitted_at", "updated_by", "revision", "updated_at"])
    return report


def warnings(report: Report) -> list[tuple[str, str]]:
    """(answer, warning) for every stored free text that seems to hold contact details, shown on the report."""
    texts = [(str(Report._meta.get_field(name).verbose_name), getattr(report, name)) for name in TEXT_FIELDS]
    texts += [(str(_("Group")), group.other_name) for group in report.groups.all()]
    texts += [(str(measure.title), f"{measure.title}\n{measure.description}") for measure in report.measures.all()]
    texts += definition_answers.texts(report.answers, report.round)
    return [(label, warning) for label, text in texts for warning in screening.warnings(text)]


def taken_measures(report: Report) -> list[ReportMeasure]:
    """The report's measure rows, each with ``catalogue_url``: the catalogue's page of its measure, or "".

    Mapping stands below measures, so it asks the installed apps' ``catalogue_url`` (measures answers) instead of
    naming the catalogue's URLs.
    """
    offers = [config.catalogue_url for config in apps.get_app_configs() if hasattr(config, "catalogue_url")]
    rows = list(report.measures.all())
    for row in rows:
        row.catalogue_url = next((offer(row.measure_key) for offer in offers), "") if row.measure_key else ""
    return rows
