"""The municipality's context on a case page for the KS side: its latest situation report, the advice's measures
and its youth indicators where published.

All come through the other apps' services; the report is exempt from public disclosure, so it is shown only to
those who may read it and the read is recorded as mapping's own pages record it; the youth figures are those of the
published report, suppressed as there. Computing those figures costs more than the rest of the page together, and
they change only when a survey closes, so they are kept for five minutes in the shared cache, for each user apart
(the permission check stays theirs).
"""

from dataclasses import dataclass

from django.core.cache import cache

from trygg.core.audit import record_read
from trygg.mapping import situation
from trygg.measures import advice
from trygg.youth import services as youth

YOUTH_SECONDS = 300


@dataclass
class MunicipalityContext:
    report: object | None
    proposals: list
    youth: tuple | None  # (survey, rows) from youth.services.latest_indicators


def for_case(case, user) -> MunicipalityContext | None:
    """None for those who do not see internal notes (the municipality knows its own report)."""
    if not user.has_perm("cases.view_internal", case):
        return None
    indicators = _youth_indicators(case.municipality, user)
    report = situation.latest_report(case.municipality)
    if report is None or not user.has_perm("mapping.view_report", report):
        return MunicipalityContext(report=None, proposals=[], youth=indicators)
    record_read(report)
    proposals = advice.advise(advice.situation_from_report(report)).proposals[:5]
    return MunicipalityContext(report=report, proposals=proposals, youth=indicators)


def _youth_indicators(municipality, user):
    """The latest published survey's figures, kept ``YOUTH_SECONDS``; "none yet" is not kept, so the first survey to
    close shows at once (a later one within minutes)."""
    key = f"cases:youth:{municipality.pk}:{user.pk}"
    indicators = cache.get(key)
    if indicators is None:
        indicators = youth.latest_indicators(municipality, user)
        if indicators is not None:
            cache.set(key, indicators, YOUTH_SECONDS)
    return indicators
