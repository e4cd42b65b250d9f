"""Demo content: the starter catalogue, two editions of the guide and a plan for Bergen.

The catalogue and the guide's chapters are Trygg's real starter content (data/measures); the plan is fictional and
says so. Edition 2 revises one measure's transferability, so comparing the editions shows what a new edition
changes. The trip lies ahead, so its group work (and the groups' assessments of measures) has not happened yet.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from trygg.core.models import Municipality, User
from trygg.mapping import situation

from . import advice, catalogue, guide, plans, starter
from .models import Edition, Measure

REVISED = "klubbhusforbud"


@transaction.atomic
def load():
    if Edition.objects.exists():
        return []
    admin = User.objects.get(username="admin")
    starter.load(admin)
    guide.publish_edition(admin, "Første utgave.", published_at=timezone.now() - dt.timedelta(days=120))
    _revise_transferability(admin)
    guide.publish_edition(admin, "Andre utgave: klubbhusforbudets overførbarhet er vurdert mot norsk lov.")
    _plan_for_bergen()
    return []


def _revise_transferability(admin: User) -> None:
    measure = Measure.objects.get(key=REVISED)
    data = catalogue.snapshot(measure)
    data["transferability_reason"] += (
        "\n\nTiltaket kan ikke overføres direkte: norsk lov har ingen hjemmel for et kommunalt forbud mot "
        "samlingssteder, så plan- og bygningsloven er det nærmeste verktøyet."
    )
    catalogue.save_measure(
        admin,
        measure,
        data,
        sources=data["sources"],
        experiences=data["experiences"],
        reason="Overførbarhet vurdert mot norsk lov",
        revision=measure.revision,
    )


def _plan_for_bergen() -> None:
    bergen = Municipality.objects.get(number="4601")
    report = situation.latest_report(bergen)
    if report is None:
        return
    contact = User.objects.get(username="kontakt")
    proposals = advice.advise(advice.situation_from_report(report)).proposals
    plans.save_plan(
        contact,
        bergen,
        advice.situation_from_report(report),
        [proposal.measure.key for proposal in proposals[:4]],
        "Handlingsplan mot MC-kriminalitet 2027 (fiktivt eksempel)",
        "Laget fra rådene etter situasjonsrapporten; drøftes i SLT-styringsgruppen.",
    )
