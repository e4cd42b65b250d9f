"""Measures built through the catalogue's own services, so every test starts from data the app could have made."""

import pytest

from tests.conftest import make_user
from trygg.core.models import Area, Role
from trygg.measures import catalogue, citations
from trygg.measures.models import Measure

# A measure that meets every publishing rule; tests override what they are about.
PUBLISHABLE = {
    "name": "Skjenkekontroll på klubbhus",
    "summary": "Kommunen kontrollerer skjenkestedene der miljøet samles og trekker bevillingen ved brudd.",
    "description": "Kontrollene **samordnes** med politiet.",
    "mechanisms": ["deterrence", "rewards"],
    "stages": ["activity"],
    "actors": ["municipality", "licensing", "police"],
    "legal_basis": "Alkoholloven § 1-8",
    "target_groups": "Skjenkesteder knyttet til miljøet",
    "strengths": "Billig og raskt.",
    "limitations": "Miljøet kan flytte.",
    "verdict": "promising",
    "verdict_reason": "Norske kommuner melder om færre arrangementer; ingen sammenligningsgruppe.",
    "verdict_quality": "low",
    "effect": 3,
    "effect_quality": "low",
    "backfires": ["displacement"],
    "transferability": "high",
    "transferability_reason": "Norsk lov, kommunalt ansvar.",
}
SOURCES = [{"reference": "Bjørgo, T. (2017). Preventing organised crime originating from outlaw motorcycle clubs."}]
EXPERIENCES = [{"country": "Norge", "place": "Drammen", "period": "2010–2012", "outcome": "Færre fester i klubbhuset."}]


@pytest.fixture
def editor(municipalities):
    """A KS adviser: may write, review and publish."""
    return make_user(Role.KS_ADVISER, username="test_editor")


@pytest.fixture
def measures_partner(municipalities):
    """A researcher at a partner body with the measures area: may write and review, not publish."""
    return make_user(Role.PARTNER, username="test_measures_partner", partner_areas=[Area.MEASURES])


@pytest.fixture
def make_measure(editor):
    """make_measure(status="published", sources=SOURCES, experiences=EXPERIENCES, **fields) -> Measure."""

    def make(status=Measure.Status.PUBLISHED, sources=SOURCES, experiences=EXPERIENCES, **fields):
        measure = catalogue.save_measure(
            editor,
            None,
            {**PUBLISHABLE, **fields},
            sources=sources,
            experiences=experiences,
            reason="Første utkast",
        )
        if status != Measure.Status.DRAFT:  # someone has compared the sources with the originals
            for source in measure.sources.all():
                citations.mark_checked(source, "Test Redaktør")
        path = {"draft": [], "review": ["review"], "published": ["review", "published"]}[status]
        for step in path:
            measure = catalogue.change_status(editor, measure, step, reason=step, revision=measure.revision)
        return measure

    return make
