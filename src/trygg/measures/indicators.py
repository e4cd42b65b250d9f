"""Which measures may help with which youth-survey indicators: KS tags a measure with indicator codes, and a
municipality's report points to the published measures tagged with its weak indicators.

The tags live on the measure apart from its versioned content (the audit trail keeps their changes). Measures reads
the indicators' definitions from questionnaires and the weak ones from youth's report (through the hook in
``apps``); youth imports nothing from here.
"""

from django.utils.translation import gettext as _

from trygg.questionnaires.models import Indicator

from .catalogue import published
from .models import Measure


class IndicatorError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def indicator_choices() -> list[tuple[str, str]]:
    return [(indicator.code, str(indicator)) for indicator in Indicator.objects.exclude(direction="")]


def set_indicators(actor, measure: Measure, codes: list[str]) -> Measure:
    if not actor.has_perm("measures.publish_measure"):
        raise IndicatorError(_("Only KS staff link measures to youth survey indicators."))
    known = {code for code, _label in indicator_choices()}
    if not set(codes) <= known:
        raise IndicatorError(_("Choose indicators from the list."))
    measure.youth_indicators = sorted(set(codes))
    measure.save(update_fields=["youth_indicators"])
    return measure


def helping(weak: list[dict]) -> list[dict]:
    """For each weak indicator (``code``, ``title``, …), the published measures tagged with it, by name."""
    codes = {indicator["code"] for indicator in weak}
    measures = [
        measure
        for measure in published().only("key", "name", "summary", "youth_indicators").order_by("name")
        if codes & set(measure.youth_indicators)
    ]
    groups = [
        {"indicator": indicator, "measures": [m for m in measures if indicator["code"] in m.youth_indicators]}
        for indicator in weak
    ]
    return [group for group in groups if group["measures"]]
