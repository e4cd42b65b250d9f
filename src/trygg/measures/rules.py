"""Who may read and change the measures catalogue, the guide and municipal plans.

Published measures and published editions of the guide are open to everyone, the public included. Drafts, review
and history are for the editors: KS staff and partners granted the measures area (researchers, the national
crime-prevention centre), who may also write; only KS staff publish. Advice and plans concern one municipality:
its contacts and KS staff see them, and mapping partners, who already read every situation report.
"""

import rules

from trygg.core.models import Area
from trygg.core.roles import acts_for_municipality, is_ks_staff, partner_with_area

from .models import Measure

measures_partner = partner_with_area(Area.MEASURES)
mapping_partner = partner_with_area(Area.MAPPING)
is_editor = is_ks_staff | measures_partner


@rules.predicate
def is_published(user, measure) -> bool:
    return measure is not None and measure.status == Measure.Status.PUBLISHED


@rules.predicate
def for_plan_municipality(user, plan) -> bool:
    return plan is not None and acts_for_municipality(user, plan.municipality)


rules.add_perm("measures.view_measure", is_published | is_editor)
rules.add_perm("measures.view_drafts", is_editor)
rules.add_perm("measures.change_measure", is_editor)
rules.add_perm("measures.publish_measure", is_ks_staff)
rules.add_perm("measures.change_guide", is_ks_staff)
rules.add_perm("measures.publish_edition", is_ks_staff)
# Advice for a municipality reads its situation report, so it follows the report's readers.
rules.add_perm("measures.view_advice", is_ks_staff | mapping_partner | acts_for_municipality)
rules.add_perm("measures.advice_from_profile", rules.is_authenticated)
rules.add_perm("measures.view_plan", is_ks_staff | mapping_partner | for_plan_municipality)
rules.add_perm("measures.change_plan", is_ks_staff | for_plan_municipality)
rules.add_perm("measures.add_plan", is_ks_staff | acts_for_municipality)
