"""The national picture of a round: aggregates of the submitted situation reports, small numbers hidden.

The page, the API, the PDF brief and the Excel exports all take their figures from ``national_picture``, and every
figure in it goes through core's disclosure control (``trygg.core.disclosure``): a municipal contact never sees a
figure that fewer than SUPPRESSION_THRESHOLD municipalities stand behind, a 0 beside one, or any figure such a
number could be worked out from (by county, police district, nationally or in the trends), wherever it is shown.

A municipality's answer in a round is its latest submitted report (a region's report counts for each of its
municipalities); drafts do not count. Everything is loaded with a handful of ``values_list`` queries for all the
rounds at once and counted in Python, so the cost does not grow with queries per municipality or per round.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from trygg.core import disclosure
from trygg.core.models import County, Municipality, PoliceDistrict

from .models import Assessment, CrimeKind, Report, ReportMeasure, Round, YesNo

SUPPRESSION_THRESHOLD = 3

GROUP, CREWS, NEITHER, UNANSWERED, SUPPRESSED = "group", "crews", "neither", "unanswered", "suppressed"
NOT_ASKED = "not_asked"  # a county none of whose municipalities were asked in the round
CATEGORIES = (GROUP, CREWS, NEITHER)
ASSESSMENTS = (*Assessment.values, "")  # "" : not answered (only older reports can lack it)
EXPERIENCES = (*ReportMeasure.Experience.values, "")


@dataclass(frozen=True)
class Count:
    label: str
    value: int | None  # None = hidden
    hidden: str = ""  # why: "primary" (a small number) or "secondary" (it protects one)


@dataclass
class AreaRow:
    name: str
    asked: int
    answered: int | None
    hosts_group: int | None
    crews_only: int | None
    neither: int | None
    must_act: int | None
    hidden: dict[str, str] = field(default_factory=dict)  # field name -> "primary" or "secondary"


@dataclass
class MeasureRow:
    title: str
    stage: str
    municipalities: int | None
    worked: int | None
    did_not: int | None
    too_early: int | None
    hidden: dict[str, str] = field(default_factory=dict)


@dataclass
class TrendPoint:
    round_name: str
    answered: int
    hosts_group_share: float | None
    crews_share: float | None
    must_act_share: float | None
    hidden: dict[str, str] = field(default_factory=dict)


@dataclass
class Picture:
    round: Round
    full: bool  # municipality-level detail, for viewers with perm "mapping.view_full_picture"
    asked: int
    answered: int
    participants: list[str]  # the asked municipalities' numbers (public: the round lists them)
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

    @property
    def hidden_reasons(self) -> set[str]:
        """The reasons ("primary", "secondary") some figure of the picture is hidden for, for the footnotes."""
        rows = [*self.counties, *self.police_districts, *self.measures, *self.trends]
        counts = [*self.crime_kinds, *self.assessments, *self.guidance, *self.recruitment]
        return {r for row in rows for r in row.hidden.values()} | {c.hidden for c in counts if c.hidden}


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


class _Figures:
    """A disclosure-controlled table's cells as the viewer may see them: everything for full viewers."""

    def __init__(self, table: disclosure.Table, full: bool):
        self.result = table.everything() if full else table.suppress()

    def get(self, key) -> int | None:
        return self.result.shown(key)

    def mark(self, key) -> str:
        return self.result.mark(key)

    def row(self, cls, head: tuple, fields: dict[str, object]):
        """``cls(*head, <each field's value>, hidden=...)`` for a dataclass row whose figures are cells."""
        values = {name: self.get(key) for name, key in fields.items()}
        hidden = {name: self.mark(key) for name, key in fields.items() if self.mark(key)}
        return cls(*head, **values, hidden=hidden)


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


def _answers_table(places: dict[int, tuple], answers: dict[int, _Answer]) -> disclosure.Table:
    """The round's answers by county × police district × category × assessment, with every figure published of it.

    ``places`` maps each asked municipality to its (county, police district). Published: the national totals, each
    category and assessment nationally, and per county and police district the asked (public, as the round lists
    them: so are the asked in each county and police district together), the answered, those who did not answer,
    each category and "must act". A county whose only municipality answered thus does not show that it answered,
    and no hidden figure can be worked out from the others.
    """
    table = disclosure.Table(threshold=SUPPRESSION_THRESHOLD)
    cells = [
        (*place, category, assessment)
        for place in set(places.values())
        for category, assessment in [(UNANSWERED, ""), *((c, a) for c in CATEGORIES for a in ASSESSMENTS)]
    ]
    for cell in cells:
        table.count(cell, 0)
    for pk, (county, district) in places.items():
        answer = answers.get(pk)
        if answer is None:
            table.count((county, district, UNANSWERED, ""))
        else:
            table.count((county, district, answer.category, answer.assessment or ""))
    answered = [cell for cell in cells if cell[2] != UNANSWERED]
    table.publish("asked", cells, forced=True)
    table.publish("answered", answered, forced=True)
    for place in set(places.values()):  # which municipalities were asked is public, and where each lies
        table.publish(("asked", place), [cell for cell in cells if cell[:2] == place], forced=True)
    for category in CATEGORIES:
        table.publish(category, [cell for cell in answered if cell[2] == category], within="answered")
    for assessment in Assessment.values:
        members = [cell for cell in answered if cell[3] == assessment]
        table.publish(assessment, members, within="answered", beside="assessments")
    # A blank answer is assumed known (submitting needs an assessment), so the others cannot hide behind it.
    table.publish("no assessment", [cell for cell in answered if not cell[3]], forced=True)
    for level, position in (("county", 0), ("district", 1)):
        by_area = defaultdict(list)
        for cell in cells:
            by_area[cell[position]].append(cell)
        for area, pool in by_area.items():
            key, row = (level, area, "answered"), (level, area)
            here = [cell for cell in pool if cell[2] != UNANSWERED]
            table.publish((level, area, "asked"), pool, forced=True)
            # The whole row stands side by side: a 0 anywhere in it beside a hidden 1 or 2 is hidden too.
            table.publish(key, here, within=(level, area, "asked"), beside=row)
            table.publish(
                (level, area, UNANSWERED),
                [c for c in pool if c[2] == UNANSWERED],
                within=(level, area, "asked"),
                beside=row,
            )
            for category in CATEGORIES:
                table.publish((level, area, category), [c for c in here if c[2] == category], within=key, beside=row)
            must_act = [c for c in here if c[3] == Assessment.MUST_ACT]
            table.publish((level, area, Assessment.MUST_ACT), must_act, within=key, beside=row)
    return table


def _area_row(figures: _Figures, level: str, area, name: str, asked: int) -> AreaRow:
    cells = {
        "answered": (level, area, "answered"),
        "hosts_group": (level, area, GROUP),
        "crews_only": (level, area, CREWS),
        "neither": (level, area, NEITHER),
        "must_act": (level, area, Assessment.MUST_ACT),
    }
    if not asked:
        return AreaRow(name, 0, 0, 0, 0, 0, 0)
    return figures.row(AreaRow, (name, asked), cells)


def _majority(figures: _Figures, county: str, asked: int) -> str:
    """The county's most common category; suppressed when its count (or the number who answered) is hidden."""
    if not asked:
        return NOT_ASKED
    answered = figures.get(("county", county, "answered"))
    if answered == 0:
        return UNANSWERED
    counts = {c: figures.result.values[("county", county, c)] for c in CATEGORIES}
    # Ties go to the more serious category: the picture is meant to show where something must be done.
    winner = max(CATEGORIES, key=lambda c: (counts[c], -CATEGORIES.index(c)))
    if answered is None or figures.get(("county", county, winner)) is None:
        return SUPPRESSED
    return winner


def _choice_counts(full: bool, choices, values: list[str]) -> list[Count]:
    """One answer's counts nationally; the answered total is public, a missing answer a cell nobody sees."""
    known = [value for value, _label in choices]
    table = disclosure.Table(threshold=SUPPRESSION_THRESHOLD)
    for value in (*known, ""):
        table.count(value, 0)
    for value in values:
        table.count(value if value in known else "")
    table.publish("answered", lambda inner: True, forced=True)
    table.publish("no answer", [""], forced=True)  # assumed known, so the others cannot hide behind it
    for value in known:
        table.publish(value, [value], within="answered")
    return _counts(_Figures(table, full), choices)


def _counts(figures: _Figures, choices) -> list[Count]:
    return [Count(str(label), figures.get(value), figures.mark(value)) for value, label in choices]


def _crime_kinds(full: bool, values: list[_Answer]) -> list[Count]:
    """Each kind of crime named or not, by every answering municipality (one may name several)."""
    table = disclosure.Table(threshold=SUPPRESSION_THRESHOLD)
    kinds = CrimeKind.values
    for kind in kinds:
        table.count((kind, True), 0)
        table.count((kind, False), 0)
    for answer in values:
        named = set(answer.crime_kinds)
        for kind in kinds:
            table.count((kind, kind in named))
    for kind in kinds:
        table.publish(("answered", kind), [(kind, True), (kind, False)], forced=True)
        table.publish(kind, [(kind, True)], within=("answered", kind), beside="crime_kinds")
    return _counts(_Figures(table, full), CrimeKind.choices)


def _measures(answers: dict[int, _Answer], full: bool) -> list[MeasureRow]:
    """Measures taken, by catalogue key or (without one) by title, counted per municipality that took them.

    A measure fewer than SUPPRESSION_THRESHOLD municipalities took is folded into "other measures" of its
    purpose for viewers who see suppressed figures: its free-text title alone could point to the municipality.
    """
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
                experiences[ident][experience if experience in EXPERIENCES else ""] += 1
    shown = [i for i in users if full or len(users[i]) >= SUPPRESSION_THRESHOLD]
    table = disclosure.Table(threshold=SUPPRESSION_THRESHOLD)
    for ident in shown:
        for experience in EXPERIENCES:
            table.count((ident, experience), experiences[ident][experience])
        table.publish((ident, "count"), lambda inner, i=ident: inner[0] == i)
        table.publish((ident, ""), [(ident, "")], forced=True)  # "not said", assumed known like a blank answer
        for experience in ReportMeasure.Experience.values:
            table.publish((ident, experience), [(ident, experience)], within=(ident, "count"))
    figures = _Figures(table, full)
    stages = dict(ReportMeasure.Stage.choices)
    result = [
        figures.row(
            MeasureRow,
            (titles[ident], str(stages.get(ident[0], ident[0]))),
            {
                "municipalities": (ident, "count"),
                "worked": (ident, ReportMeasure.Experience.WORKED),
                "did_not": (ident, ReportMeasure.Experience.DID_NOT),
                "too_early": (ident, ReportMeasure.Experience.TOO_EARLY),
            },
        )
        for ident in sorted(shown, key=lambda i: (-len(users[i]), titles[i].casefold()))
    ]
    title = _("Other measures (each taken by fewer than 3 municipalities)")
    hidden = dict.fromkeys(("municipalities", "worked", "did_not", "too_early"), "primary")
    for stage in sorted({ident[0] for ident in users} - {ident[0] for ident in shown}):
        result.append(MeasureRow(title, str(stages.get(stage, stage)), None, None, None, None, hidden))
    return result


def _share(figures: _Figures, key, answered: int) -> float | None:
    count = figures.get(key)
    return None if count is None or not answered else count / answered


def _trend(round: Round, figures: _Figures, answered: int) -> TrendPoint:
    cells = {"hosts_group_share": GROUP, "crews_share": CREWS, "must_act_share": Assessment.MUST_ACT}
    return TrendPoint(
        round.name,
        answered,
        *(_share(figures, key, answered) for key in cells.values()),
        hidden={name: figures.mark(key) for name, key in cells.items() if figures.mark(key)},
    )


def national_picture(round: Round, viewer) -> Picture:
    """All the aggregates of ``round`` as ``viewer`` may see them, with trends over the rounds up to this one.

    Trends take the rounds asking the MC questions that opened no later than this one and are of the same kind
    (demo or real data, never mixed). Each round's national figures come from that round's own
    disclosure-controlled table, so a trend shows exactly what the round's own picture shows.
    """
    full = viewer.has_perm("mapping.view_full_picture")
    earlier = Round.objects.filter(is_demo=round.is_demo, opens_at__lte=round.opens_at, questionnaire__isnull=False)
    rounds = list(earlier.order_by("opens_at", "pk"))
    if round not in rounds:
        rounds.append(round)
    asked_by_round, answers_by_round = _load(rounds)
    asked, answers = asked_by_round[round.pk], answers_by_round[round.pk]

    municipalities = list(
        Municipality.objects.values_list("pk", "number", "county__number", "police_district_id").order_by("number")
    )
    places = {pk: (county, district) for pk, _number, county, district in municipalities}
    figures_by_round = {
        r.pk: _Figures(_answers_table({pk: places[pk] for pk in asked_by_round[r.pk]}, answers_by_round[r.pk]), full)
        for r in rounds
    }
    figures = figures_by_round[round.pk]
    asked_county, asked_district = Counter(), Counter()
    categories, participants = {}, []
    for pk, number, county, district in municipalities:
        if pk not in asked:
            continue
        participants.append(number)
        asked_county[county] += 1
        asked_district[district] += 1
        answer = answers.get(pk)
        categories[number] = answer.category if answer else UNANSWERED

    counties = list(County.objects.values_list("number", "name"))
    districts = list(PoliceDistrict.objects.values_list("pk", "name"))
    values = list(answers.values())
    return Picture(
        round=round,
        full=full,
        asked=len(asked),
        answered=len(values),
        participants=participants,
        categories=categories if full else {},
        county_categories={n: _majority(figures, n, asked_county[n]) for n, _name in counties},
        counties=[_area_row(figures, "county", n, name, asked_county[n]) for n, name in counties],
        police_districts=[_area_row(figures, "district", pk, name, asked_district[pk]) for pk, name in districts],
        crime_kinds=_crime_kinds(full, values),
        assessments=_counts(figures, Assessment.choices),
        guidance=_choice_counts(full, YesNo.choices, [a.guidance for a in values]),
        recruitment=_choice_counts(full, YesNo.choices, [a.recruitment for a in values]),
        measures=_measures(answers, full),
        trends=[_trend(r, figures_by_round[r.pk], len(answers_by_round[r.pk])) for r in rounds],
    )
