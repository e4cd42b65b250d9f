"""A fictional round for the demo, required before the study trip: its 17 invited municipalities, invented answers.

The round opened three weeks ago and closes two weeks before the trip; the reports came in since it opened. Every
organisation is invented ("Demo MC Nord", …) and marked fictional, the round is marked as demo data, and the
answers come from a fixed seed: nothing here says anything about real groups or crime in a real municipality. A few
municipalities have not answered and one has only a draft, so every screen has something to show.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from trygg.core.models import Municipality, User
from trygg.events.demo import FIRST_DAY as TRIP_DAY
from trygg.events.demo import TITLE as TRIP_TITLE
from trygg.events.models import Event

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
    """Create the demo round once; running it again only keeps the demo groups marked fictional."""
    groups = [
        OutlawGroup.objects.update_or_create(name=name, defaults={"is_support_club": crew, "is_fictional": True})[0]
        for name, crew in GROUPS
    ]
    questionnaire = Questionnaire.objects.get_or_create(version=1, defaults={"title": QUESTIONNAIRE_TITLE})[0]
    trip = Event.objects.filter(title=TRIP_TITLE).first()
    if trip is None or Round.objects.filter(name=ROUND_NAME).exists():
        return []
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
    return []


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
