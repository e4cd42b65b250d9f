"""Who may do what with events.

Drafts are KS staff's own; once planned, an event and its programme are public. Registrations are personal data:
KS staff and partners with the events area see them all, a municipal contact sees their own municipalities'.
"""

import rules

from trygg.core.models import Area
from trygg.core.roles import acts_for_municipality, is_ks_staff, partner_with_area

from .models import Event

events_partner = partner_with_area(Area.EVENTS)


@rules.predicate
def is_published(user, event) -> bool:
    return event is not None and event.status != Event.Status.DRAFT


@rules.predicate
def registration_is_open(user, invitation) -> bool:
    return invitation is not None and invitation.event.status == Event.Status.REGISTRATION_OPEN


@rules.predicate
def contact_for_invited_municipality(user, invitation) -> bool:
    return invitation is not None and acts_for_municipality(user, invitation)


rules.add_perm("events.view_event", is_published | is_ks_staff | events_partner)
rules.add_perm("events.add_event", is_ks_staff)
rules.add_perm("events.change_event", is_ks_staff)
rules.add_perm("events.view_registrations", is_ks_staff | events_partner)
rules.add_perm("events.manage_registrations", is_ks_staff)
# obj: an Invitation. KS registers on anyone's behalf at any time; a contact only while registration is open.
rules.add_perm("events.view_delegation", is_ks_staff | events_partner | contact_for_invited_municipality)
rules.add_perm("events.register_delegates", is_ks_staff | (contact_for_invited_municipality & registration_is_open))
