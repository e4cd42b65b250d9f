"""Researchers' access to the raw anonymous answer sets: KS grants it to one person, for a stated purpose, until a
day; the researcher downloads the answer sets in scope as CSV or Excel while the grant holds.

A row holds the answers by item code and the background the answer set has (gender, grade, level), the survey's
year and municipality: never a code, class, school, submission id or day, and rows come in the answer sets' random
key order, never in the order they arrived.
"""

import datetime as dt
from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.documents import Sheet, csv_line, to_xlsx
from trygg.core.roles import is_ks_staff
from trygg.questionnaires.models import DECLINED, Item, Module

from .models import ResearchGrant, Response, Survey
from .services import SurveyError

# An Excel file of more rows than this is too large to make while the researcher waits: they take the CSV.
XLSX_ROWS = 50_000
CHUNK = 2_000


def grants_for(user) -> QuerySet:
    """KS sees every grant; anyone else their own."""
    grants = ResearchGrant.objects.select_related("user", "granted_by").prefetch_related("surveys__municipality")
    return grants if is_ks_staff(user) else grants.filter(user=user)


def is_active(grant: ResearchGrant, today: dt.date | None = None) -> bool:
    return grant.revoked_on is None and (today or timezone.localdate()) <= grant.until


@transaction.atomic
def grant(actor, user, purpose: str, until: dt.date, surveys=(), year=None, level="") -> ResearchGrant:
    if not actor.has_perm("youth.grant_research"):
        raise SurveyError(_("Only KS grants researchers access."))
    if not purpose.strip():
        raise SurveyError(_("State the purpose of the research."))
    if until < timezone.localdate():
        raise SurveyError(_("The last day of access cannot be in the past."))
    if not surveys and year is None:
        raise SurveyError(_("Choose surveys, or a survey year."))
    if surveys and (year is not None or level):
        raise SurveyError(_("Choose either surveys or a year and level, not both."))
    if any(survey.status != Survey.Status.CLOSED for survey in surveys):
        raise SurveyError(_("Only closed surveys can be granted."))
    granted = ResearchGrant.objects.create(
        user=user, purpose=purpose.strip(), until=until, year=year, level=level or "", granted_by=actor
    )
    granted.surveys.set(surveys)
    return granted


def revoke(actor, grant: ResearchGrant) -> None:
    if not actor.has_perm("youth.grant_research"):
        raise SurveyError(_("Only KS revokes researchers' access."))
    if grant.revoked_on is None:
        grant.revoked_on = timezone.localdate()
        grant.save(update_fields=["revoked_on"])


def surveys_of(grant: ResearchGrant) -> QuerySet:
    """The closed surveys in the grant's scope."""
    surveys = Survey.objects.filter(status=Survey.Status.CLOSED).select_related("municipality")
    if grant.year is None:
        return surveys.filter(grants=grant)
    return surveys.filter(starts_on__year=grant.year)


def responses_of(grant: ResearchGrant) -> QuerySet:
    responses = Response.objects.filter(survey__in=surveys_of(grant))
    return responses.filter(level=grant.level) if grant.level else responses


def _item_codes(grant: ResearchGrant) -> list[str]:
    """Every item the versions in scope ask, in the order of the questionnaires (the background variables apart),
    then the municipalities' own questions (their codes name the survey, so no two share a column)."""
    items = Item.objects.filter(version__in=responses_of(grant).values("version")).order_by(
        "version", "module__position", "position"
    )
    own = Item.objects.filter(module__kind=Module.Kind.OWN, version__youth_surveys__in=surveys_of(grant)).order_by(
        "version", "position"
    )
    codes = [*items.values_list("code", flat=True), *own.values_list("code", flat=True)]
    return list(dict.fromkeys(code for code in codes if code != "gender"))


SKIPPED = "_skipped"  # asked and left blank; DECLINED is "I don't want to answer"; not asked is an empty cell


def _value(answers: dict, code: str) -> str | int | None:
    if code not in answers:
        return None
    answer = answers[code]
    if answer is None:
        return SKIPPED
    if isinstance(answer, list):
        return "|".join(answer)
    return answer


def _rows(grant: ResearchGrant, codes: list[str]) -> Iterator[list]:
    """Row by row, in chunks: the answer sets' keys are random, so their order says nothing of when they came."""
    responses = responses_of(grant).select_related("survey__municipality").order_by("id")
    last = None
    while True:
        chunk = responses.filter(id__gt=last) if last else responses
        batch = list(chunk[:CHUNK])
        if not batch:
            return
        for response in batch:
            survey = response.survey
            yield [survey.year, survey.municipality.number, survey.municipality.name, response.level, response.grade,
                   response.gender, *(_value(response.answers, code) for code in codes)]  # fmt: skip
        last = batch[-1].id


def _header(codes: list[str]) -> list[str]:
    return ["year", "municipality_number", "municipality", "level", "grade", "gender", *codes]


def csv_chunks(grant: ResearchGrant) -> Iterator[bytes]:
    """The CSV file piece by piece (a year of the whole country is hundreds of thousands of rows)."""
    codes = _item_codes(grant)
    yield ("\ufeff" + csv_line(_header(codes))).encode("utf-8")
    lines = []
    for row in _rows(grant, codes):
        lines.append(csv_line(row))
        if len(lines) == CHUNK:
            yield "".join(lines).encode("utf-8")
            lines = []
    yield "".join(lines).encode("utf-8")


def xlsx(grant: ResearchGrant) -> bytes:
    if responses_of(grant).count() > XLSX_ROWS:
        raise SurveyError(
            _("More than %(rows)s answer sets: download the CSV file instead.")
            % {"rows": f"{XLSX_ROWS:,}".replace(",", " ")}
        )
    codes = _item_codes(grant)
    legend = _("Empty: not asked (skip logic). %(skipped)s: asked and left blank. %(declined)s: “I don't want to "
               "answer”.")  # fmt: skip
    preamble = [
        [_("Raw anonymous answer sets of the youth survey, for research access %(pk)s") % {"pk": grant.pk}],
        [_("Purpose: %(purpose)s") % {"purpose": grant.purpose}],
        [legend % {"skipped": SKIPPED, "declined": DECLINED}],
    ]
    return to_xlsx(
        _("Youth survey answer sets"),
        [Sheet(_("Answer sets"), _header(codes), list(_rows(grant, codes)), preamble=preamble)],
    )
