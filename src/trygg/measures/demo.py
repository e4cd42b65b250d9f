"""Demo content: the starter catalogue, three editions of the guide and a plan for Bergen.

The catalogue and the guide's chapters are Trygg's real starter content (data/measures); the plan is fictional and
says so. The demo replays the catalogue's history: editions 1 and 2 are built from the content as it stood before
the editorial review of November 2026 (kept in data/measures/before-review-2026-11/), edition 2 revising one
measure's transferability; then the current files are loaded as on any existing site, their corrections arrive as
proposals, KS accepts them, and edition 3 shows them when compared with edition 2. The trip lies ahead, so its
group work (and the groups' assessments of measures) has not happened yet.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from trygg.core.models import Municipality, User
from trygg.events.demo import FIRST_DAY as TRIP_DAY
from trygg.mapping import situation

from . import advice, catalogue, corrections, guide, plans, starter
from .models import Edition, Measure

REVISED = "klubbhusforbud"
# The youth-survey indicators KS has tagged a few youth measures with, so a demo report's weak figures point here.
YOUTH_INDICATORS = {
    "forebygging-i-skolen": ["bullied", "cannabis", "drunk"],
    "ungdomsarbeid-og-fritid": ["lonely", "organised", "screen_time"],
    "foreldrestotte": ["cannabis", "drunk"],
    "mentor-og-oppfolging": ["depressive", "happy_life", "lonely"],
}
BEFORE_REVIEW = starter.DIRECTORY / "before-review-2026-11"


@transaction.atomic
def load():
    if Edition.objects.exists():
        return []
    admin = User.objects.get(username="admin")
    starter.load(admin, BEFORE_REVIEW)
    guide.publish_edition(admin, "Første utgave.", published_at=timezone.now() - dt.timedelta(days=120))
    _revise_transferability(admin)
    guide.publish_edition(
        admin,
        "Andre utgave: klubbhusforbudets overførbarhet er vurdert mot norsk lov.",
        published_at=timezone.now() - dt.timedelta(days=60),
    )
    starter.load(admin)
    for proposal in corrections.open_proposals():
        target = proposal.measure or proposal.chapter
        corrections.accept(admin, proposal, revision=target.revision)
    guide.publish_edition(
        admin,
        "Tredje utgave: rettelser etter den redaksjonelle gjennomgangen av kilder, lovhenvisninger og vurderinger "
        "(november 2026), og to nye tiltak: fokusert avskrekking og forbud mot klubbfarger.",
    )
    for key, codes in YOUTH_INDICATORS.items():
        Measure.objects.filter(key=key).update(youth_indicators=codes)
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
        f"Handlingsplan mot MC-kriminalitet {TRIP_DAY.year} (fiktivt eksempel)",
        "Laget fra rådene etter situasjonsrapporten; drøftes i SLT-styringsgruppen.",
    )
