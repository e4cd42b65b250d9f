"""Advice for one municipality: which published measures fit its situation, and why — transparent rules, no black box.

A measure's score is the sum of the points the rules below give it, and every point comes with a sentence the
municipality can read: the evidence (the verdict and how good its evidence is), the fit (what the situation calls
for: a "1 %" group present → hinder activity and establishment and cut the rewards; crews or recruitment signs →
hinder establishment and recruitment; economic crime → the tax authority and Nav; violence and narcotics → the
police; a neighbour hosting a group → hinder establishment here), transferability to Norwegian municipalities,
whether the municipality can start it itself, and what the municipality itself has tried (a measure that did not work
loses points; one that works through the same mechanism as a measure that worked gains one). A measure that no fit rule
speaks for is not proposed. Measures rated "no effect" or "harmful" are never proposed; measures known to backfire in
a way the situation invites carry a warning.

Unclear evidence ("inconclusive", or no verdict) never adds points: only effective and promising measures score for
their evidence, and only they for its quality. Each reason names the fact that gave its points (an answer in the
situation, or a property of the measure), so the page can show which facts gave which points. Equal scores are
ordered by what distinguishes the municipality's situation: first the points the situation itself gave (the fit),
then the evidence, then the name.

The situation comes from the municipality's latest submitted situation report (through ``mapping.situation``) or from
a short profile form. ``peers`` tells what neighbouring and similar municipalities tried, with the national picture's
disclosure control (``trygg.core.disclosure``) for anyone who may not read every report.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from trygg.core import disclosure
from trygg.core.models import Municipality
from trygg.mapping import situation as mapping_situation
from trygg.mapping.models import CrimeKind, Report, ReportMeasure, Round, YesNo

from . import catalogue, markdown
from .models import Actor, Backfire, Measure, Mechanism, Quality, Stage, Transferability, Verdict

SUPPRESSION_THRESHOLD = 3  # as in the national picture: fewer municipalities than this behind a figure → hidden
REPORT, PROFILE = "report", "profile"
WORKED, DID_NOT, TOO_EARLY = (
    ReportMeasure.Experience.WORKED,
    ReportMeasure.Experience.DID_NOT,
    ReportMeasure.Experience.TOO_EARLY,
)
NEVER_PROPOSED = (Verdict.NO_EFFECT, Verdict.HARMFUL)
# Better evidence first when scores tie.
EVIDENCE_RANK = {Verdict.EFFECTIVE: 3, Verdict.PROMISING: 2, Verdict.INCONCLUSIVE: 1}


@dataclass(frozen=True)
class Tried:
    """A measure the municipality has tried: a catalogue key when it named one, else its own title."""

    key: str
    title: str
    experience: str  # a ReportMeasure.Experience value, or "" when not said


@dataclass
class Situation:
    """What the advice is based on: the report (``source`` REPORT) or the profile form (PROFILE).

    A "what if" on a report is a PROFILE that keeps the report and its round: its answers started from the report's.
    """

    hosts_group: str = YesNo.UNKNOWN
    crews: str = YesNo.UNKNOWN
    recruitment_signs: str = YesNo.UNKNOWN
    crime_kinds: list[str] = field(default_factory=list)
    tried: list[Tried] = field(default_factory=list)
    source: str = PROFILE
    report: Report | None = None
    round: Round | None = None
    clubhouse: str = YesNo.UNKNOWN  # whether a group present has a clubhouse
    neighbours_without_group: bool = False  # the neighbours that answered all report no "1 %" group
    neighbours_with_group: bool = False  # some neighbour that answered reports a "1 %" group

    def as_dict(self) -> dict:
        """Plain JSON, as a saved plan keeps it."""
        return {
            "source": self.source,
            "round": self.round.name if self.round else "",
            "demo": bool(self.round and self.round.is_demo),
            "hosts_group": self.hosts_group,
            "crews": self.crews,
            "recruitment_signs": self.recruitment_signs,
            "clubhouse": self.clubhouse,
            "crime_kinds": list(self.crime_kinds),
            "neighbours_without_group": self.neighbours_without_group,
            "neighbours_with_group": self.neighbours_with_group,
            "tried": [{"key": t.key, "title": t.title, "experience": t.experience} for t in self.tried],
        }

    def as_initial(self) -> dict:
        """The situation as the profile form's initial values; tried measures as the catalogue keys they match."""
        names = ("hosts_group", "crews", "recruitment_signs", "clubhouse")
        initial = {name: getattr(self, name) for name in names} | {"crime_kinds": list(self.crime_kinds)}
        published = {m.key: m for m in catalogue.published().only("key", "name")}
        by_name = {_fold(m.name): m for m in published.values()}
        for experience in (WORKED, DID_NOT, TOO_EARLY):
            matches = (_match(t.title, t.key, published, by_name) for t in self.tried if t.experience == experience)
            initial[f"tried_{experience}"] = [m.key for m in matches if m]
        return initial

    def summary(self) -> list[tuple[str, str]]:
        """(question, answer) lines in the user's language, for the page, the plan and its PDF."""
        yes_no = dict(YesNo.choices)
        kinds = dict(CrimeKind.choices)
        experiences = dict(ReportMeasure.Experience.choices)
        if self.source == REPORT and self.round:
            basis = _("The situation report for round %(round)s") % {"round": self.round.name}
        elif self.round:
            basis = _("The situation report for round %(round)s, with answers changed in the profile form") % {
                "round": self.round.name
            }
        else:
            basis = _("Answers in the profile form")
        tried = [
            f"{t.title} ({experiences[t.experience]})" if t.experience in experiences else t.title for t in self.tried
        ]
        return [
            (_("Based on"), basis),
            (_("Hosts a “1 %” group"), str(yes_no[self.hosts_group])),
            (_("A group has a clubhouse"), str(yes_no[self.clubhouse])),
            (_("Support groups (“crews”)"), str(yes_no[self.crews])),
            (_("Signs of recruitment among young people"), str(yes_no[self.recruitment_signs])),
            (_("Kinds of crime"), ", ".join(str(kinds[k]) for k in self.crime_kinds if k in kinds) or "–"),
            (_("Measures already tried"), "; ".join(tried) or "–"),
        ]


def _answer(value: str) -> str:
    return value if value in YesNo.values else YesNo.UNKNOWN


def _neighbour_groups(municipalities) -> tuple[bool, bool]:
    """(every neighbour that answered has no "1 %" group, some neighbour has one)."""
    ids = [m.pk for m in municipalities]
    neighbours = Municipality.objects.filter(neighbours__in=ids).exclude(pk__in=ids).distinct()
    answers = mapping_situation.group_answers(neighbours).values()
    return bool(answers) and all(answer == YesNo.NO for answer in answers), YesNo.YES in answers


def situation_from_report(report: Report) -> Situation:
    """The situation as the report answers it; a region's report speaks for all its municipalities."""
    clubhouses = [group.clubhouse for group in report.groups.all()]
    if YesNo.YES in clubhouses:
        clubhouse = YesNo.YES
    elif clubhouses and all(value == YesNo.NO for value in clubhouses):
        clubhouse = YesNo.NO
    else:
        clubhouse = YesNo.UNKNOWN
    without, with_group = _neighbour_groups(list(report.municipalities.all()))
    return Situation(
        hosts_group=_answer(report.hosts_group),
        crews=_answer(report.crews),
        recruitment_signs=_answer(report.recruitment_signs),
        crime_kinds=[kind for kind in report.crime_kinds if kind in CrimeKind.values],
        tried=[Tried(m.measure_key, m.title, m.experience) for m in report.measures.order_by("pk")],
        source=REPORT,
        report=report,
        round=report.round,
        clubhouse=clubhouse,
        neighbours_without_group=without,
        neighbours_with_group=with_group,
    )


def situation_from_profile(
    data: dict, municipality: Municipality | None = None, base: Situation | None = None
) -> Situation:
    """The situation from the profile form's cleaned data; with a municipality, its neighbours' answers count too.

    For a "what if" on a report (``base``), the report's tried measures that are not in the catalogue are kept:
    the form can only list catalogue measures, and they still belong under "already in use".
    """
    published = list(catalogue.published().only("key", "name"))
    names = {m.key: m.name for m in published}
    tried = [
        Tried(key, names.get(key, key), experience)
        for experience in (WORKED, DID_NOT, TOO_EARLY)
        for key in data.get(f"tried_{experience}", [])
    ]
    if base is not None:
        folded = {_fold(m.name) for m in published}
        tried += [t for t in base.tried if t.key not in names and (t.key or _fold(t.title) not in folded)]
    without, with_group = _neighbour_groups([municipality]) if municipality else (False, False)
    return Situation(
        hosts_group=_answer(data.get("hosts_group", "")),
        crews=_answer(data.get("crews", "")),
        recruitment_signs=_answer(data.get("recruitment_signs", "")),
        clubhouse=_answer(data.get("clubhouse", "")),
        crime_kinds=[kind for kind in data.get("crime_kinds", []) if kind in CrimeKind.values],
        tried=tried,
        source=PROFILE,
        report=base.report if base else None,
        round=base.round if base else None,
        neighbours_without_group=without,
        neighbours_with_group=with_group,
    )


# The rules ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One rule's verdict on one measure: the points it gives (or takes), why, and the fact that gave them."""

    text: str
    points: int
    fact: str = ""  # e.g. "Hosts a “1 %” group: yes" or "Evidence: Promising", in the user's language
    fit: bool = False  # given by the municipality's situation (a fit rule), not by the measure alone

    def __str__(self):
        return f"{self.text} ({self.points:+d})"


Rule = Callable[[Situation, Measure], Iterable[Reason]]

EVIDENCE_POINTS = {Verdict.EFFECTIVE: 6, Verdict.PROMISING: 4}  # unclear evidence ("inconclusive") gives none
QUALITY_POINTS = {Quality.STRONG: 2, Quality.MODERATE: 1}
TRANSFER_POINTS = {Transferability.HIGH: 2, Transferability.MEDIUM: 1, Transferability.LOW: -2}
DID_NOT_WORK_POINTS = -4
CRIME_FOR_POLICE = {CrimeKind.NARCOTICS, CrimeKind.VIOLENCE, CrimeKind.WEAPONS, CrimeKind.THREATS}
CRIME_FOR_MONEY = {CrimeKind.ECONOMIC, CrimeKind.FRAUD}


def _fact(label, value) -> str:
    return f"{label}: {value}"


def _answer_fact(label, value: str) -> str:
    return _fact(label, dict(YesNo.choices)[value])


def evidence(situation: Situation, measure: Measure) -> Iterable[Reason]:
    """Effective > promising; better evidence behind the verdict adds a little. Unclear evidence adds nothing."""
    if measure.verdict in EVIDENCE_POINTS:
        label = Verdict(measure.verdict).label
        fact = _fact(_("Evidence"), label)
        yield Reason(
            _("The catalogue rates the evidence “%(verdict)s”.") % {"verdict": label},
            EVIDENCE_POINTS[measure.verdict],
            fact,
        )
        if measure.verdict_quality in QUALITY_POINTS:
            quality = Quality(measure.verdict_quality).label
            yield Reason(
                _("The rating rests on good evidence: %(quality)s.") % {"quality": quality},
                QUALITY_POINTS[measure.verdict_quality],
                _fact(_("Quality of the evidence"), quality),
            )


def transferability(situation: Situation, measure: Measure) -> Iterable[Reason]:
    points = TRANSFER_POINTS.get(measure.transferability)
    texts = {
        Transferability.HIGH: _("It transfers well to Norwegian municipalities."),
        Transferability.MEDIUM: _("It transfers to Norwegian municipalities with some adaptation."),
        Transferability.LOW: _("It transfers poorly to Norwegian municipalities."),
    }
    if measure.transferability in texts:
        fact = _fact(_("Transferability"), Transferability(measure.transferability).label)
        yield Reason(texts[measure.transferability], points, fact)


def who_acts(situation: Situation, measure: Measure) -> Iterable[Reason]:
    """A measure the municipality leads (its first actor) or takes part in beats one that waits for the law."""
    actors = _fact(_("Actors"), ", ".join(str(Actor(a).label) for a in measure.actors if a in Actor.values))
    if measure.actors[:1] == [Actor.MUNICIPALITY]:
        yield Reason(_("The municipality leads it and can start it itself."), 2, actors)
    elif Actor.MUNICIPALITY in measure.actors:
        yield Reason(_("The municipality takes part and can start it with the others."), 1, actors)
    elif Actor.LEGISLATOR in measure.actors:
        yield Reason(_("It needs the Government or Parliament: the municipality cannot start it alone."), -1, actors)


def group_present(situation: Situation, measure: Measure) -> Iterable[Reason]:
    """A group is established: hinder its activity, its foothold (the clubhouse) and what its crime brings in."""
    if situation.hosts_group != YesNo.YES:
        return
    fact = _answer_fact(_("Hosts a “1 %” group"), YesNo.YES)
    if Stage.ACTIVITY in measure.stages:
        yield Reason(_("A “1 %” group is established in the municipality; this measure hinders its activity."), 4, fact)
    if Stage.ESTABLISHMENT in measure.stages:
        if situation.clubhouse == YesNo.YES:
            text = _(
                "The “1 %” group has a clubhouse in the municipality; this measure hinders its establishment there."
            )
            yield Reason(text, 3, _answer_fact(_("A group has a clubhouse"), YesNo.YES))
        else:
            text = _("A “1 %” group is established; this measure hinders it from taking root, e.g. in a clubhouse.")
            yield Reason(text, 2, fact)
    if Mechanism.REWARDS in measure.mechanisms:
        yield Reason(_("A “1 %” group is established; this measure reduces what its crime brings in."), 2, fact)
    if Stage.EXIT in measure.stages:
        yield Reason(_("A “1 %” group is established; this measure helps members who want to leave."), 1, fact)


def group_may_establish(situation: Situation, measure: Measure) -> Iterable[Reason]:
    """No group yet, but crews or recruitment: stop a group from establishing itself and from recruiting."""
    if situation.hosts_group == YesNo.YES:
        return
    if situation.crews == YesNo.YES:
        fact = _answer_fact(_("Support groups (“crews”)"), YesNo.YES)
        if Stage.ESTABLISHMENT in measure.stages:
            yield Reason(
                _(
                    "There are support groups (“crews”) but no “1 %” group; this measure hinders a group from "
                    "establishing itself."
                ),
                3,
                fact,
            )
        if Stage.RECRUITMENT in measure.stages:
            yield Reason(
                _("Support groups (“crews”) recruit for the “1 %” groups; this measure stops recruitment."), 2, fact
            )
    elif situation.recruitment_signs == YesNo.YES and Stage.ESTABLISHMENT in measure.stages:
        yield Reason(
            _(
                "There are signs of recruitment but no “1 %” group yet; this measure hinders a group from "
                "establishing itself."
            ),
            2,
            _answer_fact(_("Signs of recruitment among young people"), YesNo.YES),
        )
    if situation.neighbours_with_group and Stage.ESTABLISHMENT in measure.stages:
        yield Reason(
            _("A neighbouring municipality reports a “1 %” group; this measure hinders it from establishing here."),
            2,
            _("A neighbour hosts a “1 %” group"),
        )


def keep_it_so(situation: Situation, measure: Measure) -> Iterable[Reason]:
    """No group and no crews (answered "no", not "don't know"): preventing recruitment keeps it that way."""
    if situation.hosts_group == YesNo.NO and situation.crews == YesNo.NO and Stage.RECRUITMENT in measure.stages:
        yield Reason(
            _("There is no “1 %” group and no crews; stopping recruitment early keeps it that way."),
            1,
            _answer_fact(_("Hosts a “1 %” group"), YesNo.NO),
        )


def recruitment(situation: Situation, measure: Measure) -> Iterable[Reason]:
    """Signs of recruitment among young people: stop recruitment, or at least reach the young people at risk.

    An established group (``group_present``) weighs more than recruitment signs: it is already doing harm.
    """
    if situation.recruitment_signs != YesNo.YES:
        return
    fact = _answer_fact(_("Signs of recruitment among young people"), YesNo.YES)
    if Stage.RECRUITMENT in measure.stages or Mechanism.RECRUITMENT in measure.mechanisms:
        yield Reason(_("There are signs of recruitment among young people; this measure stops recruitment."), 3, fact)
    elif {Actor.SCHOOLS, Actor.YOUTH_WORK} & set(measure.actors):
        yield Reason(
            _("There are signs of recruitment; schools and youth work reach the young people at risk."), 1, fact
        )


def follow_the_money(situation: Situation, measure: Measure) -> Iterable[Reason]:
    """Economic crime or fraud: the tax authority and Nav, and measures that take the profit away."""
    named = CRIME_FOR_MONEY & set(situation.crime_kinds)
    if not named:
        return
    fact = _crime_fact(named)
    if {Actor.TAX, Actor.NAV} & set(measure.actors):
        yield Reason(_("Economic crime or fraud is named; the tax authority and Nav can follow the money."), 2, fact)
    if Mechanism.REWARDS in measure.mechanisms:
        yield Reason(_("Economic crime or fraud is named; this measure takes away the rewards of crime."), 2, fact)


def police_pressure(situation: Situation, measure: Measure) -> Iterable[Reason]:
    """Narcotics, violence, threats or weapons: the police disrupt the crime and take offenders out of circulation."""
    named = CRIME_FOR_POLICE & set(situation.crime_kinds)
    if not named:
        return
    if Actor.POLICE in measure.actors and {Mechanism.DISRUPTION, Mechanism.INCAPACITATION} & set(measure.mechanisms):
        yield Reason(
            _("Narcotics, violence, threats or weapons are named; with this measure the police disrupt the crime."),
            2,
            _crime_fact(named),
        )


def _crime_fact(kinds: set[str]) -> str:
    labels = dict(CrimeKind.choices)
    return _fact(_("Kinds of crime"), ", ".join(str(labels[k]) for k in CrimeKind.values if k in kinds))


def basics(situation: Situation, measure: Measure) -> Iterable[Reason]:
    """Always: shared knowledge and local cooperation (SLT) are where every municipality starts.

    Gives no points: it applies to every municipality alike, so it proposes the measure without ranking it.
    """
    if Actor.YOUTH_WORK in measure.actors or Mechanism.NORMATIVE in measure.mechanisms:
        yield Reason(
            _("Knowledge and local cooperation (SLT) are the basis of prevention in every municipality."),
            0,
            _("Every municipality"),
        )


def builds_on(worked: list[Measure]) -> Rule:
    """A score rule: one point for a measure that works through a mechanism of one the municipality says worked."""

    def rule(situation: Situation, measure: Measure) -> Iterable[Reason]:
        for done in worked:
            shared = next((m for m in measure.mechanisms if m in done.mechanisms), None)
            if shared and done.pk != measure.pk:
                text = _("It works through the same mechanism (%(mechanism)s) as “%(measure)s”, which worked here.")
                yield Reason(
                    text % {"mechanism": Mechanism(shared).label, "measure": done.name},
                    1,
                    _fact(_("Worked here"), done.name),
                )
                return

    return rule


def own_experience(situation: Situation, measure: Measure) -> Iterable[Reason]:
    tried = _tried(situation, measure)
    if tried is None:
        return
    fact = _fact(_("Measures already tried"), tried.title)
    if tried.experience == DID_NOT:
        yield Reason(_("The municipality has tried this and says it did not work."), DID_NOT_WORK_POINTS, fact)
    elif tried.experience == TOO_EARLY:
        yield Reason(_("The municipality has started this; it is too early to tell how it works."), 0, fact)


# A measure is proposed only when at least one fit rule speaks for it; the others then add to or take from its score.
FIT_RULES: tuple[Rule, ...] = (
    group_present,
    group_may_establish,
    keep_it_so,
    recruitment,
    follow_the_money,
    police_pressure,
    basics,
)
SCORE_RULES: tuple[Rule, ...] = (evidence, transferability, who_acts)


# Warnings: a backfire tag of the measure, and when the situation invites it (None: it does not).
def _cohesion(situation: Situation) -> str | None:
    if situation.hosts_group == YesNo.YES:
        return _("Uniform crackdowns have made groups more cohesive. Combine pressure with a way out (exit support).")
    return None


def _displacement(situation: Situation) -> str | None:
    if YesNo.YES not in (situation.hosts_group, situation.crews):
        return None
    if situation.neighbours_without_group:
        return _(
            "The activity may move to a neighbouring municipality: none of your neighbours that answered has a "
            "“1 %” group. Warn them and plan together."
        )
    return _("The activity may move elsewhere rather than stop. Plan together with neighbours and the police.")


def _short_lived(situation: Situation) -> str | None:
    if situation.hosts_group == YesNo.YES:
        return _(
            "Groups have come back when a ban ran out (Danish clubhouse bans). Plan the follow-up before you start."
        )
    return None


def _new_clubs(situation: Situation) -> str | None:
    if YesNo.YES in (situation.hosts_group, situation.crews):
        return _("Bans have been met with new or renamed clubs and growing support clubs.")
    return None


def _underground(situation: Situation) -> str | None:
    if situation.hosts_group == YesNo.YES:
        return _("The activity may go underground, out of sight of the municipality and the police.")
    return None


def _legal_defeat(situation: Situation) -> str | None:
    return _("It has been defeated in court elsewhere: get legal advice before you start.")


def _no_convictions(situation: Situation) -> str | None:
    return _("Where it was tried, it led to few or no convictions.")


WARNINGS: dict[str, Callable[[Situation], str | None]] = {
    Backfire.COHESION: _cohesion,
    Backfire.DISPLACEMENT: _displacement,
    Backfire.SHORT_LIVED: _short_lived,
    Backfire.NEW_CLUBS: _new_clubs,
    Backfire.UNDERGROUND: _underground,
    Backfire.LEGAL_DEFEAT: _legal_defeat,
    Backfire.NO_CONVICTIONS: _no_convictions,
}


# The advice -----------------------------------------------------------------------------------------------------


@dataclass
class Proposal:
    measure: Measure
    score: int
    reasons: list[Reason]
    warnings: list[str]

    @property
    def fit(self) -> int:
        """The points the municipality's situation gave, which order equal scores."""
        return sum(r.points for r in self.reasons if r.fit)

    @property
    def facts(self) -> list[tuple[str, int]]:
        """Which facts gave which points: (fact, points) in the order they first appear, summed per fact."""
        points: dict[str, int] = {}
        for reason in self.reasons:
            points[reason.fact] = points.get(reason.fact, 0) + reason.points
        return list(points.items())


@dataclass
class InUse:
    """A measure the municipality already uses (``measure`` None when it is not in the catalogue)."""

    title: str
    measure: Measure | None
    experience: str
    note: str


@dataclass
class NotRecommended:
    measure: Measure
    reason: str

    @property
    def explanation(self):
        """The catalogue's own reasons for the verdict, as safe HTML."""
        return markdown.to_html(self.measure.verdict_reason)


@dataclass
class Advice:
    situation: Situation
    proposals: list[Proposal]
    already_in_use: list[InUse]
    not_recommended: list[NotRecommended]
    not_fitting: int  # published measures no fit rule speaks for

    @property
    def warnings(self) -> list[tuple[Measure, str]]:
        return [(p.measure, warning) for p in self.proposals for warning in p.warnings]


def _fold(text: str) -> str:
    return " ".join((text or "").casefold().split())


def _matches(tried: Tried, measure: Measure) -> bool:
    """By catalogue key when the municipality gave one, else by name (case and spacing aside)."""
    return tried.key == measure.key if tried.key else _fold(tried.title) == _fold(measure.name)


def _tried(situation: Situation, measure: Measure) -> Tried | None:
    """The municipality's own entry for the measure (the first, should it have named the measure twice)."""
    return next((tried for tried in situation.tried if _matches(tried, measure)), None)


def _match(title: str, key: str, measures: dict[str, Measure], by_name: dict[str, Measure]) -> Measure | None:
    """The published measure a reported measure names (``measures`` by key, ``by_name`` by folded name)."""
    return measures.get(key) if key else by_name.get(_fold(title))


def _in_use_note(experience: str) -> str:
    return {
        WORKED: _("You say it worked: keep going."),
        DID_NOT: _("You say it did not work."),
        TOO_EARLY: _("Too early to tell: give it time and follow it up."),
    }.get(experience, _("How it went was not said."))


def advise(situation: Situation, measures: QuerySet[Measure] | None = None) -> Advice:
    """Rank the published measures for ``situation``; every point a measure gets comes with its reason."""
    measures = list((catalogue.published() if measures is None else measures).order_by("name"))
    proposals, in_use, not_recommended, not_fitting = [], [], [], 0
    matched = set()
    worked = [m for m in measures if (tried := _tried(situation, m)) and tried.experience == WORKED]
    score_rules = (*SCORE_RULES, builds_on(worked))
    for measure in measures:
        tried = _tried(situation, measure)
        matched.update(t for t in situation.tried if _matches(t, measure))
        if measure.verdict in NEVER_PROPOSED:
            reason = _("The catalogue rates it “%(verdict)s”, so it is never proposed.") % {
                "verdict": Verdict(measure.verdict).label
            }
            if tried and tried.experience == WORKED:
                reason += " " + _("You say it worked for you; the evidence from elsewhere says otherwise.")
            not_recommended.append(NotRecommended(measure, reason))
            continue
        if tried and tried.experience == WORKED:
            in_use.append(InUse(measure.name, measure, WORKED, _in_use_note(WORKED)))
            continue
        fit = [replace(reason, fit=True) for rule in FIT_RULES for reason in rule(situation, measure)]
        if not fit:
            not_fitting += 1
            continue
        reasons = [reason for rule in score_rules for reason in rule(situation, measure)]
        reasons += fit + list(own_experience(situation, measure))
        warnings = [text for tag in measure.backfires if tag in WARNINGS and (text := WARNINGS[tag](situation))]
        proposals.append(Proposal(measure, sum(r.points for r in reasons), reasons, warnings))
    proposals.sort(key=lambda p: (-p.score, -p.fit, -EVIDENCE_RANK.get(p.measure.verdict, 0), p.measure.name))
    for tried in situation.tried:
        if tried not in matched:
            in_use.append(InUse(tried.title, None, tried.experience, _in_use_note(tried.experience)))
    return Advice(situation, proposals, in_use, not_recommended, not_fitting)


# Peers ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerUse:
    municipality: Municipality
    round: Round
    experience: str

    @property
    def experience_label(self) -> str:
        return str(dict(ReportMeasure.Experience.choices).get(self.experience, ""))


@dataclass
class PeerRow:
    """One measure and how many of the peers took it; figures are None when hidden, ``hidden`` says why."""

    title: str
    measure: Measure | None
    count: int | None
    worked: int | None
    did_not: int | None
    too_early: int | None
    uses: list[PeerUse]  # named only for viewers who may read every report
    hidden: tuple[str, ...] = ("", "", "", "")  # per figure: "", "primary" (small) or "secondary" (protects one)

    @property
    def figures(self) -> list[tuple[int | None, str]]:
        """(value, why hidden) for the count and each experience."""
        values = (self.count, self.worked, self.did_not, self.too_early)
        return list(zip(values, self.hidden, strict=True))


@dataclass
class PeerGroup:
    kind: str  # "neighbours" or "similar"
    size: int  # municipalities in the group (who borders whom is public)
    answered: int | None  # peers with a submitted report; None when hidden
    rows: list[PeerRow]
    answered_hidden: str = ""  # why ``answered`` is hidden: "primary" or "secondary"


@dataclass
class Peers:
    full: bool
    groups: list[PeerGroup]


PEER_FIGURES = ("count", WORKED, DID_NOT, TOO_EARLY)


def _controlled(table: disclosure.Table, full: bool) -> disclosure.Disclosure:
    return table.everything() if full else table.suppress()


def _answered(size: int, answered: int, public_size: bool, full: bool) -> tuple[int | None, str]:
    """How many of the group answered. Who borders whom is public, so for neighbours the non-answering are a
    figure too; the similar municipalities all answered (that is how they were found), their number is the count."""
    table = disclosure.Table(threshold=SUPPRESSION_THRESHOLD)
    table.count("answered", answered)
    table.count("not", size - answered)
    if public_size:
        table.publish("size", ["answered", "not"], forced=True)
        table.publish("not", ["not"], within="size")
    table.publish("answered", ["answered"], within="size" if public_size else None)
    result = _controlled(table, full)
    return result.shown("answered"), result.mark("answered")


def _peer_rows(taken, full: bool, measures: dict[str, Measure], by_name: dict[str, Measure]) -> list[PeerRow]:
    """Measures by catalogue key (or, without one, by name), counted per municipality that took them.

    Each row's count and experiences go through core's disclosure control: a small figure is hidden, and so is
    any 0 beside it and any figure it could be worked out from. Without full access a free-text title that fewer
    than 3 municipalities used is folded into "other measures": the title alone could point to the municipality,
    as in the national picture.
    """
    titles, uses = {}, defaultdict(dict)
    catalogue_measure = {}
    for row in taken:
        measure = _match(row.title, row.measure_key, measures, by_name)
        ident = measure.key if measure else (row.measure_key or _fold(row.title))
        titles.setdefault(ident, measure.name if measure else row.title)
        catalogue_measure[ident] = measure
        uses[ident].setdefault(row.municipality.pk, PeerUse(row.municipality, row.round, row.experience))
    ordered = sorted(uses, key=lambda i: (-len(uses[i]), titles[i].casefold()))
    kept = [i for i in ordered if full or catalogue_measure[i] is not None or len(uses[i]) >= SUPPRESSION_THRESHOLD]
    table = disclosure.Table(threshold=SUPPRESSION_THRESHOLD)
    for ident in kept:
        experiences = Counter(use.experience for use in uses[ident].values())
        for experience in (WORKED, DID_NOT, TOO_EARLY):
            table.count((ident, experience), experiences.pop(experience, 0))
        table.count((ident, ""), sum(experiences.values()))
        table.publish((ident, "count"), lambda inner, i=ident: inner[0] == i)
        table.publish((ident, ""), [(ident, "")], forced=True)  # "not said" is assumed known
        for experience in (WORKED, DID_NOT, TOO_EARLY):
            table.publish((ident, experience), [(ident, experience)], within=(ident, "count"))
    result = _controlled(table, full)
    rows = [
        PeerRow(
            titles[ident],
            catalogue_measure[ident],
            *(result.shown((ident, figure)) for figure in PEER_FIGURES),
            uses=sorted(uses[ident].values(), key=lambda u: u.municipality.name) if full else [],
            hidden=tuple(result.mark((ident, figure)) for figure in PEER_FIGURES),
        )
        for ident in kept
    ]
    if len(kept) < len(ordered):
        title = _("Other measures (each taken by fewer than 3 municipalities)")
        rows.append(PeerRow(title, None, None, None, None, None, [], ("primary",) * 4))
    return rows


def peers(municipality: Municipality, viewer, situation: Situation | None = None) -> Peers:
    """What neighbouring and similar municipalities tried, from their latest submitted reports.

    Situation reports are exempt from public disclosure: only viewers who may read every report
    (``mapping.view_full_picture``) see which municipality did what; everyone else gets counts, with any figure
    that fewer than 3 municipalities stand behind hidden, and any figure it could be worked out from. A profile
    ``situation`` ("what if") decides which municipalities count as similar.
    """
    full = viewer.has_perm("mapping.view_full_picture")
    published = {m.key: m for m in catalogue.published()}
    by_name = {_fold(m.name): m for m in published.values()}
    answers = None
    if situation is not None and situation.source == PROFILE:
        answers = {
            "hosts_group": situation.hosts_group,
            "crews": situation.crews,
            "recruitment_signs": situation.recruitment_signs,
        }
    groups = []
    for kind, members in (
        ("neighbours", list(municipality.neighbours.all())),
        ("similar", mapping_situation.similar_municipalities(municipality, answers)),
    ):
        taken = mapping_situation.measures_taken(members)
        answered = len(mapping_situation.group_answers(members))
        rows = _peer_rows(taken, full, published, by_name)
        shown, hidden = _answered(len(members), answered, kind == "neighbours", full)
        groups.append(PeerGroup(kind, len(members), shown, rows, hidden))
    return Peers(full, groups)
