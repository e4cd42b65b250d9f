"""Fictional rounds for the demo: one required before the study trip (its 17 invited municipalities, invented MC
answers), and one on another topic, "Trygghet i det offentlige rom", asked with the shipped questionnaire definition.

The trip's round opened three weeks ago and closes two weeks before the trip; the topic round opened two weeks ago
and closes in three. Reports came in since each opened. Every organisation is invented ("Demo MC Nord", …) and
marked fictional, the rounds are marked as demo data, free-text answers say they are invented, and the answers come
from a fixed seed: nothing here says anything about real groups, places or crime in a real municipality. A few
municipalities have not answered and some have only a draft, so every screen has something to show.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from trygg.core.models import Municipality, User
from trygg.events.demo import FIRST_DAY as TRIP_DAY
from trygg.events.demo import TITLE as TRIP_TITLE
from trygg.events.models import Event
from trygg.questionnaires import services as questionnaires
from trygg.questionnaires.models import Item, translated

from . import answers as definition_answers
from . import rounds
from .models import (
    Assessment,
    CrimeKind,
    MembershipRange,
    OutlawGroup,
    Partner,
    Questionnaire,
    Report,
    ReportGroup,
    ReportMeasure,
    Round,
    YesNo,
)

ROUND_NAME = f"Før studieturen {TRIP_DAY.year}"  # is_demo marks it fictional wherever it shows
OPENED_DAYS_AGO = 21
QUESTIONNAIRE_TITLE = "Dialogspørsmål om MC-kriminalitet"
# (name, support club) — invented; no real organisation is named in demo data.
GROUPS = [("Demo MC Nord", False), ("Demo MC Sør", False), ("Demo Riders Vest", False), ("Demo Crew Øst", True)]
NOT_STARTED = ["Klepp", "Hamar", "Ringsaker"]
DRAFT = "Drammen"
REGION = ["Skien", "Porsgrunn"]  # answer together, as a municipal region
# (stage, key in the measures catalogue, the municipality's own words)
MEASURES = [
    ("establishment", "skjenke-og-salgsbevilling", "Nekte skjenkebevilling til klubbhus (fiktivt eksempel)"),
    ("establishment", "regulering-og-byggesak", "Regulering og byggesak mot klubbhus (fiktivt eksempel)"),
    ("activity", "al-capone-samarbeid", "Samordnet kontroll med politi og Skatteetaten (fiktivt eksempel)"),
    ("activity", "bekymringssamtale", "Bekymringssamtaler med ungdom via SLT (fiktivt eksempel)"),
]
GUIDANCE = [
    "Veileder for samordnet kontroll (fiktivt demosvar)",
    "Erfaringer fra andre kommuner om klubbhus (fiktivt demosvar)",
    "",
]


@transaction.atomic
def load():
    """Create the demo rounds once; running it again only keeps the demo groups marked fictional."""
    _trip_round()
    _topic_round()
    return []


def _trip_round():
    groups = [
        OutlawGroup.objects.update_or_create(name=name, defaults={"is_support_club": crew, "is_fictional": True})[0]
        for name, crew in GROUPS
    ]
    questionnaire = Questionnaire.objects.get_or_create(version=1, defaults={"title": QUESTIONNAIRE_TITLE})[0]
    trip = Event.objects.filter(title=TRIP_TITLE).first()
    if trip is None or Round.objects.filter(name=ROUND_NAME).exists():
        return
    admin = User.objects.filter(username="admin").first()
    deadline = timezone.make_aware(dt.datetime.combine(TRIP_DAY - dt.timedelta(days=14), dt.time(12)))
    round = Round.objects.create(
        name=ROUND_NAME,
        questionnaire=questionnaire,
        opens_at=timezone.now() - dt.timedelta(days=OPENED_DAYS_AGO),
        deadline=deadline,
        event=trip,
        is_demo=True,
        created_by=admin,
    )
    asked = Municipality.objects.filter(pk__in=trip.invitations.values("municipality")).order_by("name")
    round.municipalities.set(asked)
    rng = random.Random(2011)
    region = [m for m in asked if m.name in REGION]
    for municipality in asked:
        if municipality.name in NOT_STARTED or municipality in region[1:]:
            continue
        covers = region if municipality in region else [municipality]
        _report(round, covers, rng, groups, admin, submitted=municipality.name != DRAFT)


def _report(round, municipalities, rng, groups, admin, submitted: bool) -> Report:
    """One invented report from a fixed seed; the free text says it is fictional."""
    hosts = rng.random() < 0.5
    crews = hosts or rng.random() < 0.4
    kinds = (
        sorted(rng.sample([k for k in CrimeKind.values if k != CrimeKind.OTHER], rng.randint(1, 4))) if crews else []
    )
    # Sent some day since the round opened; from the municipality's number, so the answers' seed stays as it was.
    spread = int(municipalities[0].number)
    sent = round.opens_at + dt.timedelta(days=1 + spread % (OPENED_DAYS_AGO - 2), hours=spread % 8)
    report = Report.objects.create(
        round=round,
        status=Report.Status.SUBMITTED if submitted else Report.Status.DRAFT,
        submitted_at=sent if submitted else None,
        hosts_group=YesNo.YES if hosts else YesNo.NO,
        crews=YesNo.YES if crews else YesNo.NO,
        crews_count=rng.randint(1, 4) if crews else None,
        recruitment_signs=rng.choice([YesNo.YES, YesNo.NO, YesNo.UNKNOWN]) if crews else YesNo.NO,
        crime_kinds=kinds,
        assessment=rng.choice([Assessment.MUST_ACT, Assessment.MUST_ACT, Assessment.LIVE_WITH, Assessment.UNKNOWN]),
        partners=sorted(rng.sample([Partner.POLICE, Partner.SLT, Partner.TAX, Partner.COUNTY_GOVERNOR], 2)),
        wants_guidance=rng.choice([YesNo.YES, YesNo.YES, YesNo.NO]),
        guidance_topics=rng.choice(GUIDANCE),
        situation="Fiktivt demosvar: oppdiktet situasjonsbeskrivelse, ikke opplysninger om kommunen.",
        created_by=admin,
        updated_by=admin,
    )
    report.municipalities.set(municipalities)
    if hosts:
        for group in rng.sample([g for g in groups if not g.is_support_club], rng.randint(1, 2)):
            ReportGroup.objects.create(
                report=report,
                group=group,
                clubhouse=rng.choice([YesNo.YES, YesNo.NO]),
                membership=rng.choice([MembershipRange.R1_10, MembershipRange.R11_25, MembershipRange.R26_50]),
            )
    if crews and rng.random() < 0.5:
        crew = next(g for g in groups if g.is_support_club)
        ReportGroup.objects.create(report=report, group=crew, membership=MembershipRange.R1_10)
    for stage, key, title in rng.sample(MEASURES, rng.randint(0, 3)):
        ReportMeasure.objects.create(
            report=report,
            stage=stage,
            measure_key=key,
            title=title,
            description="Fiktivt demosvar.",
            experience=rng.choice(ReportMeasure.Experience.values),
        )
    return report


# A round on another topic ------------------------------------------------------------------------------------

TOPIC_FILE = "trygghet-offentlig-rom.yaml"
TOPIC_OPENED_DAYS_AGO = 14
TOPIC_DEADLINE_DAYS = 21
TOPIC_SUBMITTED = [
    "Oslo",
    "Kristiansand",
    "Tromsø",
    "Bodø",
    "Fredrikstad",
    "Sarpsborg",
    "Skien",
    "Porsgrunn",
    "Ålesund",
]
TOPIC_DRAFTS = ["Drammen", "Tønsberg"]
TOPIC_NOT_STARTED = ["Bergen", "Gjøvik", "Lillehammer"]  # not the MC round's, so each page starts one report
TOPIC_TEXT = "Fiktivt demosvar: oppdiktet beskrivelse av steder og fenomener, ikke opplysninger om kommunen."


def _topic_round():
    """The topic round, opened through the rounds service (which freezes the definition's version)."""
    version = questionnaires.import_text(questionnaires.shipped()[TOPIC_FILE].read_text(encoding="utf-8"))[0]
    if Round.objects.filter(is_demo=True, definition__questionnaire=version.questionnaire).exists():
        return
    admin = User.objects.filter(username="admin").first()
    names = TOPIC_SUBMITTED + TOPIC_DRAFTS + TOPIC_NOT_STARTED
    asked = list(Municipality.objects.filter(name__in=names).order_by("name"))
    now = timezone.now()
    opened = now - dt.timedelta(days=TOPIC_OPENED_DAYS_AGO)
    round = rounds.open_round(
        admin,
        f"{translated(version.questionnaire.title, 'nb')} {opened.year}",
        None,
        now + dt.timedelta(days=TOPIC_DEADLINE_DAYS),
        municipalities=asked,
        definition=version,
    )
    round.opens_at, round.is_demo = opened, True
    round.save(update_fields=["opens_at", "is_demo"])
    rng = random.Random(2026)
    items = definition_answers.items(round)
    for municipality in asked:
        if municipality.name in TOPIC_NOT_STARTED:
            continue
        submitted = municipality.name in TOPIC_SUBMITTED
        answers = definition_answers.clean(round, _topic_answers(items, rng, complete=submitted))
        sent = opened + dt.timedelta(days=1 + rng.randrange(TOPIC_OPENED_DAYS_AGO - 1), hours=rng.randrange(8))
        report = Report.objects.create(
            round=round,
            status=Report.Status.SUBMITTED if submitted else Report.Status.DRAFT,
            submitted_at=sent if submitted else None,
            answers=answers,
            created_by=admin,
            updated_by=admin,
        )
        report.municipalities.set([municipality])


def _topic_answers(items: list[Item], rng: random.Random, complete: bool) -> dict:
    """Invented answers to the definition's items from a fixed seed, by its skip logic; a draft stops half-way and
    any question may be skipped, as a real one might be."""
    answers = {}
    for index, item in enumerate(items):
        if (not complete and index >= len(items) // 2) or not questionnaires.asked(item, answers) or rng.random() < 0.1:
            continue
        options = [option.code for option in item.options.all()]
        if item.kind == Item.Kind.MULTIPLE:
            answers[item.code] = rng.sample(options, rng.randint(1, min(3, len(options))))
        elif item.has_options:
            answers[item.code] = rng.choice(options)
        elif item.kind == Item.Kind.NUMBER:
            answers[item.code] = rng.randint(item.minimum or 0, min(item.maximum or 10, 10))
        else:
            answers[item.code] = TOPIC_TEXT
    return answers
