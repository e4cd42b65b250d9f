"""Read-only answers from the situation reports for other apps: a municipality's latest report, what was tried where.

Mapping owns the reports; the measures app asks here instead of querying them itself, so "a municipality's answer
is its latest submitted report" means the same everywhere (as in ``picture``: drafts never count, and a region's
report counts for each of its municipalities). Nothing here checks who asks: callers decide what a viewer may see.
"""

from dataclasses import dataclass

from trygg.core.models import Municipality

from .models import Report, ReportMeasure, Round, YesNo


@dataclass(frozen=True)
class TakenMeasure:
    """A measure one municipality reported in its latest submitted report."""

    municipality: Municipality
    round: Round
    measure_key: str
    title: str
    stage: str
    experience: str


@dataclass(frozen=True)
class _Latest:
    report_id: int
    hosts_group: str
    crews: str
    recruitment_signs: str


def _latest(municipality_ids=None) -> dict[int, _Latest]:
    """Municipality id → the answers of its latest submitted MC report, newest round first (one query).

    A round on another topic has no MC answers, so it never hides the municipality's latest MC situation.

    Rounds are ordered by when they opened; within a round the later report wins, as in the national picture.
    """
    links = Report.municipalities.through.objects.filter(
        report__status=Report.Status.SUBMITTED, report__round__questionnaire__isnull=False
    )
    if municipality_ids is not None:
        links = links.filter(municipality_id__in=municipality_ids)
    rows = links.values_list(
        "municipality_id",
        "report__round__opens_at",
        "report__round_id",
        "report_id",
        "report__hosts_group",
        "report__crews",
        "report__recruitment_signs",
    )
    latest, order = {}, {}
    for municipality_id, opens_at, round_id, report_id, group, crews, recruitment in rows:
        rank = (opens_at, round_id, report_id)
        if municipality_id not in order or rank > order[municipality_id]:
            order[municipality_id] = rank
            latest[municipality_id] = _Latest(report_id, group, crews, recruitment)
    return latest


def latest_report(municipality: Municipality) -> Report | None:
    """The municipality's latest submitted report, or None when it has submitted none."""
    answer = _latest([municipality.pk]).get(municipality.pk)
    if answer is None:
        return None
    return Report.objects.select_related("round").get(pk=answer.report_id)


def measures_taken(municipalities) -> list[TakenMeasure]:
    """The measures in each municipality's latest submitted report, municipality by municipality."""
    by_pk = {m.pk: m for m in municipalities}
    latest = _latest(list(by_pk))
    reports = {}
    for municipality_id, answer in latest.items():
        reports.setdefault(answer.report_id, []).append(by_pk[municipality_id])
    rows = ReportMeasure.objects.filter(report_id__in=reports).select_related("report__round").order_by("pk")
    taken = [
        TakenMeasure(municipality, row.report.round, row.measure_key, row.title, row.stage, row.experience)
        for row in rows
        for municipality in reports[row.report_id]
    ]
    return sorted(taken, key=lambda t: (t.municipality.name, t.title.casefold()))


def similar_municipalities(municipality: Municipality, answers: dict | None = None) -> list[Municipality]:
    """Municipalities whose latest submitted report answers "1 %" group and crews as this one does.

    Recruitment signs must match too when this municipality knows them (yes or no). ``answers`` (hosts_group,
    crews, recruitment_signs) replace the municipality's own report, e.g. for a "what if" question; without
    either there is nothing to compare, and the list is empty.
    """
    latest = _latest()
    own = latest.get(municipality.pk)
    if answers is not None:
        wanted = (answers.get("hosts_group", ""), answers.get("crews", ""), answers.get("recruitment_signs", ""))
    elif own is not None:
        wanted = (own.hosts_group, own.crews, own.recruitment_signs)
    else:
        return []
    group, crews, recruitment = wanted
    if not group or not crews:
        return []
    known = recruitment in (YesNo.YES, YesNo.NO)
    ids = [
        pk
        for pk, answer in latest.items()
        if pk != municipality.pk
        and (answer.hosts_group, answer.crews) == (group, crews)
        and (not known or answer.recruitment_signs == recruitment)
    ]
    return list(Municipality.objects.filter(pk__in=ids).order_by("name"))


def group_answers(municipalities) -> dict[int, str]:
    """Municipality id → its latest submitted answer to "does it host a “1 %” group?" (those without one left out)."""
    return {pk: answer.hosts_group for pk, answer in _latest([m.pk for m in municipalities]).items()}
