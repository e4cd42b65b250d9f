"""The national picture of a round: aggregates of the submitted situation reports, with suppression of small groups.

The one door for suppression: the page, the API, the PDF brief and the Excel exports all take their figures from
``national_picture``, so a municipal contact never sees a figure that fewer than SUPPRESSION_THRESHOLD
municipalities stand behind, wherever it is shown.

A municipality's answer in a round is its latest submitted report (a region's report counts for each of its
municipalities); drafts do not count. Everything is loaded with a handful of ``values_list`` queries for all the
rounds at once and counted in Python, so the cost does not grow with queries per municipality or per round.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from trygg.core.models import County, Municipality, PoliceDistrict

from .models import Assessment, CrimeKind, Report, ReportMeasure, Round, YesNo

SUPPRESSION_THRESHOLD = 3

GROUP, CREWS, NEITHER, UNANSWERED, SUPPRESSED = "group", "crews", "neither", "unanswered", "suppressed"
NOT_ASKED = "not_asked"  # a county none of whose municipalities were asked in the round


@dataclass(frozen=True)
class Count:
    label: str
    value: int | None  # None = suppressed


@dataclass
class AreaRow:
    name: str
    asked: int
    answered: int
    hosts_group: int | None
    crews_only: int | None
    neither: int | None
    must_act: int | None


@dataclass
class MeasureRow:
    title: str
    stage: str
    municipalities: int | None
    worked: int | None
    did_not: int | None
    too_early: int | None


@dataclass
class TrendPoint:
    round_name: str
    answered: int
    hosts_group_share: float | None
    crews_share: float | None
    must_act_share: float | None


@dataclass
class Picture:
    round: Round
    full: bool  # municipality-level detail, for viewers with perm "mapping.view_full_picture"
    asked: int
    answered: int
    categories: dict[str, str]  # municipality number -> category; {} unless full
    county_categories: dict[str, str]  # county number -> majority category, "suppressed", "unanswered", "not_asked"
    counties: list[AreaRow]
    police_districts: list[AreaRow]
    crime_kinds: list[Count]
    assessments: list[Count]
    guidance: list[Count]
    recruitment: list[Count]
    measures: list[MeasureRow]
    trends: list[TrendPoint]

    @property
    def response_rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class _Answer:
    """One municipality's answer in a round: the fields of its latest submitted report."""

    report: int
    hosts_group: str
    crews: str
    assessment: str
    crime_kinds: tuple
    recruitment: str
    guidance: str

    @property
    def category(self) -> str:
        if self.hosts_group == YesNo.YES:
            return GROUP
        return CREWS if self.crews == YesNo.YES else NEITHER


def _suppress(value: int, full: bool) -> int | None:
    """None for a count of 1 or 2 (it would single out one or two municipalities' answers), unless full."""
    return None if not full and 0 < value < SUPPRESSION_THRESHOLD else value


def _share(count: int, answered: int, full: bool) -> float | None:
    if not answered or (not full and (answered < SUPPRESSION_THRESHOLD or _suppress(count, full) is None)):
        return None
    return count / answered


def _load(rounds: list[Round]) -> tuple[dict[int, set[int]], dict[int, dict[int, _Answer]]]:
    """Per round: the asked municipality ids and each answering municipality's answer (three queries)."""
    ids = [r.pk for r in rounds]
    asked = defaultdict(set)
    for round_id, municipality_id in Round.municipalities.through.objects.filter(round_id__in=ids).values_list(
        "round_id", "municipality_id"
    ):
        asked[round_id].add(municipality_id)
    submitted = Report.objects.filter(round_id__in=ids, status=Report.Status.SUBMITTED)
    reports = {
        pk: (round_id, _Answer(pk, group, crews, assessment, tuple(kinds or ()), recruitment, guidance))
        for pk, round_id, group, crews, assessment, kinds, recruitment, guidance in submitted.values_list(
            "pk", "round_id", "hosts_group", "crews", "assessment", "crime_kinds", "recruitment_signs", "wants_guidance"
        )
    }
    answers = defaultdict(dict)
    links = Report.municipalities.through.objects.filter(report_id__in=submitted.values("pk"))
    for report_id, municipality_id in sorted(links.values_list("report_id", "municipality_id")):
        round_id, answer = reports[report_id]
        answers[round_id][municipality_id] = answer  # sorted by report id: the latest report wins
        asked[round_id].add(municipality_id)  # a municipality that answered was asked, whatever the list says
    return asked, answers


def _area_row(name: str, asked: int, answers: list[_Answer], full: bool) -> AreaRow:
    answered = len(answers)
    if not full and answered < SUPPRESSION_THRESHOLD:
        return AreaRow(name, asked, answered, None, None, None, None)
    categories = Counter(a.category for a in answers)
    triple = [_suppress(categories[c], full) for c in (GROUP, CREWS, NEITHER)]
    if triple.count(None) == 1:
        # The three categories add up to `answered`: hide one more, or the hidden one could be worked out.
        smallest = min((i for i, v in enumerate(triple) if v is not None), key=lambda i: triple[i])
        triple[smallest] = None
    must_act = sum(a.assessment == Assessment.MUST_ACT for a in answers)
    return AreaRow(name, asked, answered, *triple, _suppress(must_act, full))


def _majority(asked: int, answers: list[_Answer], full: bool) -> str:
    if not asked:
        return NOT_ASKED
    if not answers:
        return UNANSWERED
    if not full and len(answers) < SUPPRESSION_THRESHOLD:
        return SUPPRESSED
    counts = Counter(a.category for a in answers)
    # Ties go to the more serious category: the picture is meant to show where something must be done.
    return max((GROUP, CREWS, NEITHER), key=lambda c: (counts[c], -(GROUP, CREWS, NEITHER).index(c)))


def _counts(choices, values: Counter, full: bool) -> list[Count]:
    return [Count(str(label), _suppress(values[value], full)) for value, label in choices]


def _measures(answers: dict[int, _Answer], full: bool) -> list[MeasureRow]:
    """Measures taken, by catalogue key or (without one) by title, counted per municipality that took them."""
    reports_to_municipalities = defaultdict(list)
    for municipality_id, answer in answers.items():
        reports_to_municipalities[answer.report].append(municipality_id)
    rows = ReportMeasure.objects.filter(report_id__in=reports_to_municipalities).values_list(
        "report_id", "stage", "measure_key", "title", "experience"
    )
    titles, users, experiences = {}, defaultdict(set), defaultdict(Counter)
    for report_id, stage, key, title, experience in rows.order_by("pk"):
        ident = (stage, key or " ".join(title.casefold().split()))
        titles.setdefault(ident, title)
        for municipality_id in reports_to_municipalities[report_id]:
            if municipality_id not in users[ident]:
                users[ident].add(municipality_id)
                experiences[ident][experience] += 1
    stages = dict(ReportMeasure.Stage.choices)
    result, hidden = [], set()
    for ident in sorted(users, key=lambda i: (-len(users[i]), titles[i].casefold())):
        if not full and len(users[ident]) < SUPPRESSION_THRESHOLD:
            hidden.add(ident[0])  # its free-text title alone could point to the municipality
            continue
        e = experiences[ident]
        result.append(
            MeasureRow(
                titles[ident],
                str(stages.get(ident[0], ident[0])),
                len(users[ident]),
                *(_suppress(e[x], full) for x in ("worked", "did_not", "too_early")),
            )
        )
    for stage in sorted(hidden):
        title = _("Other measures (each taken by fewer than 3 municipalities)")
        result.append(MeasureRow(title, str(stages.get(stage, stage)), None, None, None, None))
    return result


def _trend(round: Round, answers: dict[int, _Answer], full: bool) -> TrendPoint:
    values = list(answers.values())
    answered = len(values)
    categories = Counter(a.category for a in values)
    must_act = sum(a.assessment == Assessment.MUST_ACT for a in values)
    return TrendPoint(
        round.name,
        answered,
        _share(categories[GROUP], answered, full),
        _share(categories[CREWS], answered, full),
        _share(must_act, answered, full),
    )


def national_picture(round: Round, viewer) -> Picture:
    """All the aggregates of ``round`` as ``viewer`` may see them, with trends over the rounds up to this one.

    Trends take the rounds that opened no later than this one and are of the same kind (demo or real data,
    never mixed), computed with the viewer's suppression rule.
    """
    full = viewer.has_perm("mapping.view_full_picture")
    rounds = list(Round.objects.filter(is_demo=round.is_demo, opens_at__lte=round.opens_at).order_by("opens_at", "pk"))
    if round not in rounds:
        rounds.append(round)
    asked_by_round, answers_by_round = _load(rounds)
    asked, answers = asked_by_round[round.pk], answers_by_round[round.pk]

    municipalities = list(
        Municipality.objects.values_list("pk", "number", "county__number", "police_district_id").order_by("number")
    )
    by_county, by_district = defaultdict(list), defaultdict(list)
    asked_county, asked_district = Counter(), Counter()
    categories = {}
    for pk, number, county, district in municipalities:
        if pk not in asked:
            continue
        asked_county[county] += 1
        asked_district[district] += 1
        answer = answers.get(pk)
        categories[number] = answer.category if answer else UNANSWERED
        if answer:
            by_county[county].append(answer)
            by_district[district].append(answer)

    counties = list(County.objects.values_list("number", "name"))
    districts = list(PoliceDistrict.objects.values_list("pk", "name"))
    values = list(answers.values())
    kinds = Counter(kind for a in values for kind in set(a.crime_kinds))
    return Picture(
        round=round,
        full=full,
        asked=len(asked),
        answered=len(values),
        categories=categories if full else {},
        county_categories={n: _majority(asked_county[n], by_county[n], full) for n, _name in counties},
        counties=[_area_row(name, asked_county[n], by_county[n], full) for n, name in counties],
        police_districts=[_area_row(name, asked_district[pk], by_district[pk], full) for pk, name in districts],
        crime_kinds=_counts(CrimeKind.choices, kinds, full),
        assessments=_counts(Assessment.choices, Counter(a.assessment for a in values), full),
        guidance=_counts(YesNo.choices, Counter(a.guidance for a in values), full),
        recruitment=_counts(YesNo.choices, Counter(a.recruitment for a in values), full),
        measures=_measures(answers, full),
        trends=[_trend(r, answers_by_round[r.pk], full) for r in rounds],
    )
